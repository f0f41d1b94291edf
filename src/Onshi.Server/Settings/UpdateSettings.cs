using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Settings;

/// <summary>The values on the 環境設定情報更新 screen; <see cref="AgreedTermsVersion"/> is set only when the agreement box was ticked.</summary>
public sealed record SettingsChange(
    bool OutpatientFunction,
    bool HomeVisitFunction,
    bool OnlineCareFunction,
    bool OfferMedicationInformation,
    bool OfferClinicalInformation,
    bool OfferCheckupInformation,
    bool OfferSurgeryInformation,
    string? AgreedTermsVersion,
    Guid ExpectedVersion,
    bool RequireTwoFactor = false,
    bool IssuesPrescriptions = false);

/// <summary>
/// 環境設定情報更新. Switching 外来診療等(通常とは異なる動線)機能 on needs an explicit agreement to the current
/// 利用規約, recorded with who, when and which version. Switching it off needs nothing and takes effect at once.
/// </summary>
public sealed class UpdateSettings(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<InstitutionSettings>> ExecuteAsync(Actor actor, SettingsChange change, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId || actor.AccountId is not { } accountId)
        {
            return OperationResult<InstitutionSettings>.Fail(Refusals.NotAdministrator);
        }

        var settings = await db.InstitutionSettings.SingleAsync(s => s.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        var turningOutpatientOn = change.OutpatientFunction && !settings.OutpatientFunction;
        if (turningOutpatientOn)
        {
            if (string.IsNullOrEmpty(change.AgreedTermsVersion))
            {
                await audit.RecordNowAsync(actor, institutionId, "settings.update_refused", "settings", "terms_not_agreed", cancellationToken).ConfigureAwait(false);
                return OperationResult<InstitutionSettings>.Fail(Refusals.TermsNotAgreed);
            }

            if (change.AgreedTermsVersion != TermsOfUse.Current.Version)
            {
                await audit.RecordNowAsync(actor, institutionId, "settings.update_refused", "settings", "terms_version_outdated", cancellationToken).ConfigureAwait(false);
                return OperationResult<InstitutionSettings>.Fail(Refusals.TermsVersionOutdated);
            }
        }

        var now = time.GetUtcNow();
        db.Entry(settings).Property(s => s.Version).OriginalValue = change.ExpectedVersion;
        var detail = Describe(settings, change);
        settings.OutpatientFunction = change.OutpatientFunction;
        settings.HomeVisitFunction = change.HomeVisitFunction;
        settings.OnlineCareFunction = change.OnlineCareFunction;
        settings.OfferMedicationInformation = change.OfferMedicationInformation;
        settings.OfferClinicalInformation = change.OfferClinicalInformation;
        settings.OfferCheckupInformation = change.OfferCheckupInformation;
        settings.OfferSurgeryInformation = change.OfferSurgeryInformation;
        settings.RequireTwoFactor = change.RequireTwoFactor;
        settings.IssuesPrescriptions = change.IssuesPrescriptions;
        settings.UpdatedAt = now;
        settings.UpdatedByAccountId = accountId;
        settings.Version = Guid.NewGuid();
        if (turningOutpatientOn)
        {
            db.TermsAgreements.Add(new TermsAgreement { InstitutionId = institutionId, AccountId = accountId, TermsVersion = TermsOfUse.Current.Version, AgreedAt = now });
            audit.Add(actor, institutionId, "terms.agreed", "terms", TermsOfUse.Current.Version);
        }

        audit.Add(actor, institutionId, "settings.updated", "settings", detail);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return OperationResult<InstitutionSettings>.Fail(Refusals.SettingsChangedConcurrently);
        }

        return OperationResult<InstitutionSettings>.Ok(settings);
    }

    private static string Describe(InstitutionSettings before, SettingsChange after)
    {
        var parts = new List<string>();
        void Compare(string name, bool old, bool value)
        {
            if (old != value)
            {
                parts.Add($"{name}={(value ? "on" : "off")}");
            }
        }

        Compare("outpatient", before.OutpatientFunction, after.OutpatientFunction);
        Compare("home_visit", before.HomeVisitFunction, after.HomeVisitFunction);
        Compare("online_care", before.OnlineCareFunction, after.OnlineCareFunction);
        Compare("medication", before.OfferMedicationInformation, after.OfferMedicationInformation);
        Compare("clinical", before.OfferClinicalInformation, after.OfferClinicalInformation);
        Compare("checkup", before.OfferCheckupInformation, after.OfferCheckupInformation);
        Compare("surgery", before.OfferSurgeryInformation, after.OfferSurgeryInformation);
        Compare("require_two_factor", before.RequireTwoFactor, after.RequireTwoFactor);
        Compare("issues_prescriptions", before.IssuesPrescriptions, after.IssuesPrescriptions);
        return parts.Count == 0 ? "no_change" : string.Join(' ', parts);
    }
}
