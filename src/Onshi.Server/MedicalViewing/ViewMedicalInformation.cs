using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Consent;
using Onshi.Server.Data;

namespace Onshi.Server.MedicalViewing;

/// <summary>One row of medical information as the portal shows it.</summary>
public sealed record MedicalInformationRow(DateOnly OccurredOn, string InstitutionName, IReadOnlyList<string> Values);

public sealed record MedicalInformationPage(InformationType Type, string? PatientName, IReadOnlyList<string> Headers, IReadOnlyList<MedicalInformationRow> Rows);

/// <summary>
/// 医療情報閲覧: a 医療情報閲覧 account of the institution sees one kind of a patient's medical information, only while
/// the patient's consent to this institution allows it (外来: 24 hours; 訪問/オンライン: until withdrawn). The view is
/// logged before anything is returned. Everything else is refused with the same "not found" as an unknown patient.
/// </summary>
public sealed class ViewMedicalInformation(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public static readonly Refusal NotMedicalViewer = new("medical_information.role_not_allowed", "医療情報の閲覧は「医療情報閲覧」権限のアカウントのみ行えます。");
    public static readonly Refusal NoConsent = new("medical_information.no_consent", "この患者の同意がないか、同意の有効期間が終了しているため閲覧できません。");
    public static readonly Refusal NotFound = new("medical_information.not_found", "資格確認結果が見つかりません。");

    public const int MaximumRows = 500;

    public async Task<OperationResult<MedicalInformationPage>> ExecuteAsync(Actor actor, Guid confirmationId, InformationType type, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.MedicalInformationViewer || actor.InstitutionId is not { } institutionId || actor.AccountId is not { } accountId)
        {
            return OperationResult<MedicalInformationPage>.Fail(NotMedicalViewer);
        }

        // The institution filter of AppDbContext applies: another institution's confirmation does not exist here.
        var confirmation = await db.AppConfirmations.AsNoTracking().Where(c => c.Id == confirmationId && c.InstitutionId == institutionId)
            .Select(c => new { c.PersonId, c.PatientName, c.QualificationOnly }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (confirmation?.PersonId is not { } personId)
        {
            return OperationResult<MedicalInformationPage>.Fail(NotFound);
        }

        var now = time.GetUtcNow();
        var consents = await db.ConsentRecords.AsNoTracking().Where(c => c.InstitutionId == institutionId && c.PersonId == personId && c.InformationType == type)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (!ConsentRules.ViewableTypes(consents, now).Contains(type))
        {
            return OperationResult<MedicalInformationPage>.Fail(NoConsent);
        }

        var page = await ShowAsync(actor, personId, confirmation.PatientName, type, new ViewBasis(confirmationId, null), cancellationToken).ConfigureAwait(false);
        return OperationResult<MedicalInformationPage>.Ok(page);
    }

    /// <summary>What allowed a view: the app confirmation's consent, or an emergency oral consent.</summary>
    public sealed record ViewBasis(Guid? ConfirmationId, Guid? EmergencyConsentId);

    /// <summary>
    /// Loads one kind of information of a person whose consent the caller has already checked, and commits the view's
    /// log row and chain entry before returning it: the one way any portal page shows medical information.
    /// </summary>
    public async Task<MedicalInformationPage> ShowAsync(Actor actor, long personId, string? patientName, InformationType type, ViewBasis basis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(basis);
        var page = await LoadAsync(type, personId, patientName, cancellationToken).ConfigureAwait(false);
        db.MedicalInformationViews.Add(new MedicalInformationView
        {
            InstitutionId = actor.InstitutionId!.Value,
            AccountId = actor.AccountId!.Value,
            AccountUserId = actor.DisplayId,
            PersonId = personId,
            PatientName = patientName,
            InformationType = type,
            ConfirmationId = basis.ConfirmationId,
            EmergencyConsentId = basis.EmergencyConsentId,
            ViewedAt = time.GetUtcNow(),
            RecordCount = page.Rows.Count,
        });

        // The view list above is what the portal shows; the chain entry is what makes the view impossible to erase unseen.
        var on = basis.EmergencyConsentId is { } consentId ? $"emergency_consent={consentId}" : $"confirmation={basis.ConfirmationId}";
        audit.Add(actor, actor.InstitutionId, "medical_information.viewed", $"person:{personId}", $"type={type} {on} rows={page.Rows.Count}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return page;
    }

    private async Task<MedicalInformationPage> LoadAsync(InformationType type, long personId, string? name, CancellationToken cancellationToken)
    {
        static string N(decimal value) => value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (type)
        {
            case InformationType.Pharmacy:
                var drugs = await db.MedicationDispensings.AsNoTracking().Where(r => r.PersonId == personId).OrderByDescending(r => r.OccurredOn).Take(MaximumRows).ToListAsync(cancellationToken).ConfigureAwait(false);
                return new(type, name, ["薬剤コード", "薬剤名", "用量", "日数"], [.. drugs.Select(r => new MedicalInformationRow(r.OccurredOn, r.InstitutionName, [r.DrugCode, r.DrugName, r.Dose, I(r.Days)]))]);
            case InformationType.Checkup:
                var checks = await db.HealthCheckResults.AsNoTracking().Where(r => r.PersonId == personId).OrderByDescending(r => r.OccurredOn).Take(MaximumRows).ToListAsync(cancellationToken).ConfigureAwait(false);
                return new(type, name, ["身長(cm)", "体重(kg)", "腹囲(cm)", "血圧(mmHg)", "HbA1c(%)", "LDL(mg/dL)"],
                    [.. checks.Select(r => new MedicalInformationRow(r.OccurredOn, r.InstitutionName, [N(r.HeightCm), N(r.WeightKg), N(r.WaistCm), $"{I(r.SystolicMmHg)}/{I(r.DiastolicMmHg)}", N(r.HbA1cPercent), I(r.LdlMgDl)]))]);
            case InformationType.Diagnosis:
                var treatments = await db.TreatmentRecords.AsNoTracking().Where(r => r.PersonId == personId).OrderByDescending(r => r.OccurredOn).Take(MaximumRows).ToListAsync(cancellationToken).ConfigureAwait(false);
                return new(type, name, ["傷病名", "診療行為", "入院/外来"], [.. treatments.Select(r => new MedicalInformationRow(r.OccurredOn, r.InstitutionName, [r.DiagnosisName, r.ProcedureName, r.Inpatient ? "入院" : "外来"]))]);
            default:
                var surgeries = await db.SurgeryRecords.AsNoTracking().Where(r => r.PersonId == personId).OrderByDescending(r => r.OccurredOn).Take(MaximumRows).ToListAsync(cancellationToken).ConfigureAwait(false);
                return new(type, name, ["手術コード", "手術名"], [.. surgeries.Select(r => new MedicalInformationRow(r.OccurredOn, r.InstitutionName, [r.ProcedureCode, r.ProcedureName]))]);
        }
    }
}
