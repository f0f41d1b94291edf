using System.Text.RegularExpressions;
using Onshi.Server.CardLinks;
using Onshi.Server.Insurance;
using Onshi.Server.MedicalInformation;
using static Onshi.Server.Import.ColumnKind;

namespace Onshi.Server.Import;

/// <summary>
/// The four medical-information files: each opens with person_id, the day it happened and the institution's name,
/// written to the record's PersonId, OccurredOn and InstitutionName; a file type names only its own columns after those.
/// </summary>
internal abstract class MedicalFile<TRecord> : ImportFileType<TRecord>
    where TRecord : class, IMedicalRecord
{
    protected MedicalFile(string dayColumn, IReadOnlyList<string> ownColumns, string table, IReadOnlyList<(string Name, ColumnKind Kind)> ownTargetColumns, Action<TRecord, IRowSink> writeOwn)
    {
        Columns = ["person_id", dayColumn, "institution_name", .. ownColumns];
        Targets =
        [
            new(table, [("PersonId", BigNumber), ("OccurredOn", Day), ("InstitutionName", Text), .. ownTargetColumns], _ => true, (r, s) =>
            {
                s.WriteLong(r.PersonId);
                s.WriteDay(r.OccurredOn);
                s.WriteText(r.InstitutionName);
                writeOwn(r, s);
            }),
        ];
    }

    public sealed override IReadOnlyList<string> Columns { get; }

    public sealed override IReadOnlyList<ImportTarget<TRecord>> Targets { get; }

    public sealed override TRecord? Parse(FieldReader f)
    {
        // The shared columns first, so that a row's errors are reported in column order.
        var personId = f.PersonId(0);
        var occurredOn = f.Date(1) ?? default;
        var institutionName = f.Text(2, InsuranceLimits.InstitutionName);
        var record = ParseOwnColumns(f, institutionName);
        record.PersonId = personId;
        record.OccurredOn = occurredOn;
        return f.HasErrors ? null : record;
    }

    /// <summary>
    /// The record from the file type's own columns (from column 3), with <paramref name="institutionName"/> (a required
    /// member, so it is set in the initializer); the caller sets the person and the day.
    /// </summary>
    protected abstract TRecord ParseOwnColumns(FieldReader f, string institutionName);

    public override long? ExistingPersonReference(TRecord row) => row.PersonId;
}

internal sealed class MedicationFile() : MedicalFile<MedicationDispensing>(
    "dispensed_on", ["drug_code", "drug_name", "dose", "days"],
    "MedicationDispensings", [("DrugCode", Text), ("DrugName", Text), ("Dose", Text), ("Days", Number)], (m, s) =>
    {
        s.WriteText(m.DrugCode);
        s.WriteText(m.DrugName);
        s.WriteText(m.Dose);
        s.WriteInt(m.Days);
    })
{
    public override string Kind => "medications";

    protected override MedicationDispensing ParseOwnColumns(FieldReader f, string institutionName) => new()
    {
        InstitutionName = institutionName,
        DrugCode = f.Text(3, InsuranceLimits.DrugCode),
        DrugName = f.Text(4, InsuranceLimits.MedicalText),
        Dose = f.Text(5, InsuranceLimits.MedicalText),
        Days = f.WholeNumber(6, 1, 365) ?? 0,
    };
}

internal sealed class CheckupFile() : MedicalFile<HealthCheckResult>(
    "checked_on", ["height_cm", "weight_kg", "waist_cm", "systolic", "diastolic", "hba1c", "ldl"],
    "HealthCheckResults",
    [("HeightCm", Fraction), ("WeightKg", Fraction), ("WaistCm", Fraction), ("SystolicMmHg", Number), ("DiastolicMmHg", Number), ("HbA1cPercent", Fraction), ("LdlMgDl", Number)],
    (h, s) =>
    {
        s.WriteFraction(h.HeightCm);
        s.WriteFraction(h.WeightKg);
        s.WriteFraction(h.WaistCm);
        s.WriteInt(h.SystolicMmHg);
        s.WriteInt(h.DiastolicMmHg);
        s.WriteFraction(h.HbA1cPercent);
        s.WriteInt(h.LdlMgDl);
    })
{
    public override string Kind => "checkups";

    protected override HealthCheckResult ParseOwnColumns(FieldReader f, string institutionName) => new()
    {
        InstitutionName = institutionName,
        HeightCm = f.DecimalValue(3, 30m, 250m, 1),
        WeightKg = f.DecimalValue(4, 2m, 300m, 1),
        WaistCm = f.DecimalValue(5, 30m, 250m, 1),
        SystolicMmHg = f.WholeNumber(6, 50, 300) ?? 0,
        DiastolicMmHg = f.WholeNumber(7, 20, 200) ?? 0,
        HbA1cPercent = f.DecimalValue(8, 3m, 20m, 1),
        LdlMgDl = f.WholeNumber(9, 10, 1000) ?? 0,
    };
}

internal sealed class TreatmentFile() : MedicalFile<TreatmentRecord>(
    "treated_on", ["diagnosis_name", "procedure_name", "inpatient"],
    "TreatmentRecords", [("DiagnosisName", Text), ("ProcedureName", Text), ("Inpatient", Flag)], (t, s) =>
    {
        s.WriteText(t.DiagnosisName);
        s.WriteText(t.ProcedureName);
        s.WriteFlag(t.Inpatient);
    })
{
    public override string Kind => "treatments";

    protected override TreatmentRecord ParseOwnColumns(FieldReader f, string institutionName) => new()
    {
        InstitutionName = institutionName,
        DiagnosisName = f.Text(3, InsuranceLimits.MedicalText),
        ProcedureName = f.Text(4, InsuranceLimits.MedicalText),
        Inpatient = f.Flag(5),
    };
}

internal sealed class SurgeryFile() : MedicalFile<SurgeryRecord>(
    "performed_on", ["procedure_code", "procedure_name"],
    "SurgeryRecords", [("ProcedureCode", Text), ("ProcedureName", Text)], (r, s) =>
    {
        s.WriteText(r.ProcedureCode);
        s.WriteText(r.ProcedureName);
    })
{
    public override string Kind => "surgeries";

    protected override SurgeryRecord ParseOwnColumns(FieldReader f, string institutionName) => new()
    {
        InstitutionName = institutionName,
        ProcedureCode = f.Text(3, InsuranceLimits.ProcedureCode),
        ProcedureName = f.Text(4, InsuranceLimits.MedicalText),
    };
}

/// <summary>Initial 健康保険証利用登録 in bulk; persons in ascending person_id, one current card each.</summary>
internal sealed partial class CardLinkFile(DateTimeOffset now) : ImportFileType<CardLink>
{
    private long _lastPerson;

    public override string Kind => "card-links";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "linkage_key", "certificate_not_after"];

    public override IReadOnlyList<ImportTarget<CardLink>> Targets { get; } =
    [
        new("CardLinks", [("PersonId", BigNumber), ("LinkageKey", Text), ("CertificateNotAfter", Instant), ("LinkedAt", Instant)], _ => true, (l, s) =>
        {
            s.WriteLong(l.PersonId);
            s.WriteText(l.LinkageKey);
            s.WriteInstant(l.CertificateNotAfter);
            s.WriteInstant(l.LinkedAt);
        }),
    ];

    public override CardLink? Parse(FieldReader f)
    {
        var person = f.PersonId(0);
        if (person != 0 && person <= _lastPerson)
        {
            f.Error(0, "row.person_id_not_ascending", "person_id は昇順に並べ、1人1行にしてください。");
        }

        _lastPerson = Math.Max(_lastPerson, person);
        var key = f.Text(1, InsuranceLimits.LinkageKey);
        if (key.Length > 0 && !LinkageKeyPattern().IsMatch(key))
        {
            f.Error(1, "row.linkage_key_invalid", "linkage_key は「信頼アンカーのSHA-256（16進64桁）:シリアル番号（16進）」の形です（大文字）。");
        }

        var notAfter = f.Timestamp(2);
        return f.HasErrors ? null : new CardLink { PersonId = person, LinkageKey = key, CertificateNotAfter = notAfter!.Value, LinkedAt = now };
    }

    public override long? ExistingPersonReference(CardLink row) => row.PersonId;

    public override string? NewLinkageKey(CardLink row) => row.LinkageKey;

    [GeneratedRegex("^[0-9A-F]{64}:[0-9A-F]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex LinkageKeyPattern();
}
