using System.Text.RegularExpressions;
using Onshi.Server.CardLinks;
using Onshi.Server.Insurance;
using Onshi.Server.MedicalInformation;
using static Onshi.Server.Import.ColumnKind;

namespace Onshi.Server.Import;

internal abstract class MedicalFile<TRecord> : ImportFileType<TRecord>
    where TRecord : class, IMedicalRecord
{
    public override long? ExistingPersonReference(TRecord row) => row.PersonId;

    protected static DateOnly ReadDate(FieldReader f, int column)
    {
        var date = f.Date(column);
        return date ?? default;
    }
}

internal sealed class MedicationFile : MedicalFile<MedicationDispensing>
{
    public override string Kind => "medications";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "dispensed_on", "institution_name", "drug_code", "drug_name", "dose", "days"];

    public override IReadOnlyList<ImportTarget<MedicationDispensing>> Targets { get; } =
    [
        new("MedicationDispensings", [("PersonId", BigNumber), ("OccurredOn", Day), ("InstitutionName", Text), ("DrugCode", Text), ("DrugName", Text), ("Dose", Text), ("Days", Number)], _ => true, (m, s) =>
        {
            s.WriteLong(m.PersonId);
            s.WriteDay(m.OccurredOn);
            s.WriteText(m.InstitutionName);
            s.WriteText(m.DrugCode);
            s.WriteText(m.DrugName);
            s.WriteText(m.Dose);
            s.WriteInt(m.Days);
        }),
    ];

    public override MedicationDispensing? Parse(FieldReader f)
    {
        var m = new MedicationDispensing
        {
            PersonId = f.PersonId(0),
            OccurredOn = ReadDate(f, 1),
            InstitutionName = f.Text(2, InsuranceLimits.InstitutionName),
            DrugCode = f.Text(3, InsuranceLimits.DrugCode),
            DrugName = f.Text(4, InsuranceLimits.MedicalText),
            Dose = f.Text(5, InsuranceLimits.MedicalText),
            Days = f.WholeNumber(6, 1, 365) ?? 0,
        };
        return f.HasErrors ? null : m;
    }
}

internal sealed class CheckupFile : MedicalFile<HealthCheckResult>
{
    public override string Kind => "checkups";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "checked_on", "institution_name", "height_cm", "weight_kg", "waist_cm", "systolic", "diastolic", "hba1c", "ldl"];

    public override IReadOnlyList<ImportTarget<HealthCheckResult>> Targets { get; } =
    [
        new("HealthCheckResults",
            [("PersonId", BigNumber), ("OccurredOn", Day), ("InstitutionName", Text), ("HeightCm", Fraction), ("WeightKg", Fraction), ("WaistCm", Fraction),
             ("SystolicMmHg", Number), ("DiastolicMmHg", Number), ("HbA1cPercent", Fraction), ("LdlMgDl", Number)], _ => true, (h, s) =>
        {
            s.WriteLong(h.PersonId);
            s.WriteDay(h.OccurredOn);
            s.WriteText(h.InstitutionName);
            s.WriteFraction(h.HeightCm);
            s.WriteFraction(h.WeightKg);
            s.WriteFraction(h.WaistCm);
            s.WriteInt(h.SystolicMmHg);
            s.WriteInt(h.DiastolicMmHg);
            s.WriteFraction(h.HbA1cPercent);
            s.WriteInt(h.LdlMgDl);
        }),
    ];

    public override HealthCheckResult? Parse(FieldReader f)
    {
        var h = new HealthCheckResult
        {
            PersonId = f.PersonId(0),
            OccurredOn = ReadDate(f, 1),
            InstitutionName = f.Text(2, InsuranceLimits.InstitutionName),
            HeightCm = f.DecimalValue(3, 30m, 250m, 1),
            WeightKg = f.DecimalValue(4, 2m, 300m, 1),
            WaistCm = f.DecimalValue(5, 30m, 250m, 1),
            SystolicMmHg = f.WholeNumber(6, 50, 300) ?? 0,
            DiastolicMmHg = f.WholeNumber(7, 20, 200) ?? 0,
            HbA1cPercent = f.DecimalValue(8, 3m, 20m, 1),
            LdlMgDl = f.WholeNumber(9, 10, 1000) ?? 0,
        };
        return f.HasErrors ? null : h;
    }
}

internal sealed class TreatmentFile : MedicalFile<TreatmentRecord>
{
    public override string Kind => "treatments";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "treated_on", "institution_name", "diagnosis_name", "procedure_name", "inpatient"];

    public override IReadOnlyList<ImportTarget<TreatmentRecord>> Targets { get; } =
    [
        new("TreatmentRecords", [("PersonId", BigNumber), ("OccurredOn", Day), ("InstitutionName", Text), ("DiagnosisName", Text), ("ProcedureName", Text), ("Inpatient", Flag)], _ => true, (t, s) =>
        {
            s.WriteLong(t.PersonId);
            s.WriteDay(t.OccurredOn);
            s.WriteText(t.InstitutionName);
            s.WriteText(t.DiagnosisName);
            s.WriteText(t.ProcedureName);
            s.WriteFlag(t.Inpatient);
        }),
    ];

    public override TreatmentRecord? Parse(FieldReader f)
    {
        var t = new TreatmentRecord
        {
            PersonId = f.PersonId(0),
            OccurredOn = ReadDate(f, 1),
            InstitutionName = f.Text(2, InsuranceLimits.InstitutionName),
            DiagnosisName = f.Text(3, InsuranceLimits.MedicalText),
            ProcedureName = f.Text(4, InsuranceLimits.MedicalText),
            Inpatient = f.Flag(5),
        };
        return f.HasErrors ? null : t;
    }
}

internal sealed class SurgeryFile : MedicalFile<SurgeryRecord>
{
    public override string Kind => "surgeries";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "performed_on", "institution_name", "procedure_code", "procedure_name"];

    public override IReadOnlyList<ImportTarget<SurgeryRecord>> Targets { get; } =
    [
        new("SurgeryRecords", [("PersonId", BigNumber), ("OccurredOn", Day), ("InstitutionName", Text), ("ProcedureCode", Text), ("ProcedureName", Text)], _ => true, (r, s) =>
        {
            s.WriteLong(r.PersonId);
            s.WriteDay(r.OccurredOn);
            s.WriteText(r.InstitutionName);
            s.WriteText(r.ProcedureCode);
            s.WriteText(r.ProcedureName);
        }),
    ];

    public override SurgeryRecord? Parse(FieldReader f)
    {
        var r = new SurgeryRecord
        {
            PersonId = f.PersonId(0),
            OccurredOn = ReadDate(f, 1),
            InstitutionName = f.Text(2, InsuranceLimits.InstitutionName),
            ProcedureCode = f.Text(3, InsuranceLimits.ProcedureCode),
            ProcedureName = f.Text(4, InsuranceLimits.MedicalText),
        };
        return f.HasErrors ? null : r;
    }
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
