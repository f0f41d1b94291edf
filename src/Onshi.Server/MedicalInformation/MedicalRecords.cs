using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Insurance;

namespace Onshi.Server.MedicalInformation;

/// <summary>The four kinds of medical information a patient may consent to show (OQSCD036 YZK/TKK/SRJ/SHJ).</summary>
public enum MedicalRecordKind
{
    /// <summary>薬剤情報.</summary>
    Medication = 1,

    /// <summary>特定健診情報.</summary>
    HealthCheck = 2,

    /// <summary>診療情報.</summary>
    Treatment = 3,

    /// <summary>手術情報.</summary>
    Surgery = 4,
}

/// <summary>A medical-information record: whose it is and the day it happened (the day retention counts from).</summary>
public interface IMedicalRecord
{
    long PersonId { get; set; }

    DateOnly OccurredOn { get; set; }

    string InstitutionName { get; }
}

/// <summary>薬剤情報: one dispensed drug (from レセプト / 調剤).</summary>
public sealed class MedicationDispensing : IMedicalRecord
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    /// <summary>調剤年月日.</summary>
    public DateOnly OccurredOn { get; set; }

    /// <summary>医療機関等名称.</summary>
    public required string InstitutionName { get; set; }

    /// <summary>医薬品コード (YJ コード, 12 characters).</summary>
    public required string DrugCode { get; set; }

    /// <summary>医薬品名.</summary>
    public required string DrugName { get; set; }

    /// <summary>用量 (per day) with its unit, e.g. "3錠".</summary>
    public required string Dose { get; set; }

    /// <summary>日数 (days supplied).</summary>
    public int Days { get; set; }
}

/// <summary>特定健診情報: one specific health check-up with its core results.</summary>
public sealed class HealthCheckResult : IMedicalRecord
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    /// <summary>健診実施日.</summary>
    public DateOnly OccurredOn { get; set; }

    public required string InstitutionName { get; set; }

    public decimal HeightCm { get; set; }

    public decimal WeightKg { get; set; }

    /// <summary>腹囲.</summary>
    public decimal WaistCm { get; set; }

    public int SystolicMmHg { get; set; }

    public int DiastolicMmHg { get; set; }

    /// <summary>HbA1c (NGSP, %).</summary>
    public decimal HbA1cPercent { get; set; }

    /// <summary>LDL コレステロール.</summary>
    public int LdlMgDl { get; set; }
}

/// <summary>診療情報: one treatment (診療行為 with its 傷病名) at an institution.</summary>
public sealed class TreatmentRecord : IMedicalRecord
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    /// <summary>診療年月日.</summary>
    public DateOnly OccurredOn { get; set; }

    public required string InstitutionName { get; set; }

    /// <summary>傷病名.</summary>
    public required string DiagnosisName { get; set; }

    /// <summary>診療行為名.</summary>
    public required string ProcedureName { get; set; }

    /// <summary>true for 入院 (in-patient), false for 外来.</summary>
    public bool Inpatient { get; set; }
}

/// <summary>手術情報: one operation.</summary>
public sealed class SurgeryRecord : IMedicalRecord
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    /// <summary>手術年月日.</summary>
    public DateOnly OccurredOn { get; set; }

    public required string InstitutionName { get; set; }

    /// <summary>診療行為コード (K コード).</summary>
    public required string ProcedureCode { get; set; }

    /// <summary>手術名.</summary>
    public required string ProcedureName { get; set; }
}

internal sealed class MedicalRecordConfigurations :
    IEntityTypeConfiguration<MedicationDispensing>,
    IEntityTypeConfiguration<HealthCheckResult>,
    IEntityTypeConfiguration<TreatmentRecord>,
    IEntityTypeConfiguration<SurgeryRecord>
{
    public void Configure(EntityTypeBuilder<MedicationDispensing> builder)
    {
        Common(builder, "MedicationDispensings");
        builder.Property(m => m.DrugCode).HasMaxLength(InsuranceLimits.DrugCode).IsUnicode(false);
        builder.Property(m => m.DrugName).HasMaxLength(InsuranceLimits.MedicalText);
        builder.Property(m => m.Dose).HasMaxLength(InsuranceLimits.MedicalText);
    }

    public void Configure(EntityTypeBuilder<HealthCheckResult> builder)
    {
        Common(builder, "HealthCheckResults");
        builder.Property(h => h.HeightCm).HasPrecision(5, 1);
        builder.Property(h => h.WeightKg).HasPrecision(5, 1);
        builder.Property(h => h.WaistCm).HasPrecision(5, 1);
        builder.Property(h => h.HbA1cPercent).HasPrecision(4, 1);
    }

    public void Configure(EntityTypeBuilder<TreatmentRecord> builder)
    {
        Common(builder, "TreatmentRecords");
        builder.Property(t => t.DiagnosisName).HasMaxLength(InsuranceLimits.MedicalText);
        builder.Property(t => t.ProcedureName).HasMaxLength(InsuranceLimits.MedicalText);
    }

    public void Configure(EntityTypeBuilder<SurgeryRecord> builder)
    {
        Common(builder, "SurgeryRecords");
        builder.Property(s => s.ProcedureCode).HasMaxLength(InsuranceLimits.ProcedureCode).IsUnicode(false);
        builder.Property(s => s.ProcedureName).HasMaxLength(InsuranceLimits.MedicalText);
    }

    private static void Common<T>(EntityTypeBuilder<T> builder, string table)
        where T : class, IMedicalRecord
    {
        builder.ToTable(table);
        builder.Property(r => r.InstitutionName).HasMaxLength(InsuranceLimits.InstitutionName);
        builder.HasOne<InsuredPerson>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Cascade);

        // Viewing is "this person's records, newest first, inside the retention period": one index serves it.
        builder.HasIndex(r => new { r.PersonId, r.OccurredOn });

        // The purge deletes by date across all persons.
        builder.HasIndex(r => r.OccurredOn);
    }
}
