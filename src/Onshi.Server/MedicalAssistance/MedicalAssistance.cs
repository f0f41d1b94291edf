using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Core.Codes;
using Onshi.Server.Insurance;

namespace Onshi.Server.MedicalAssistance;

/// <summary>
/// 医療扶助 (生活保護の医療): the 福祉事務所's record that a person is under 保護, the counterpart of a
/// <see cref="Qualification"/> with an insurer. The OQS result carries it as 被保険者証区分 A1 with the
/// 公費負担者番号 in InsurerNumber, the 受給者番号 in InsuredIdentificationNumber and the 福祉事務所名 in InsurerName
/// (oqs-system.md §3.5). A 生活保護 patient usually has no 医療保険 qualification at all.
/// </summary>
public sealed class MedicalAssistanceQualification
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    public InsuredPerson? Person { get; set; }

    /// <summary>公費負担者番号 (8 digits with check digit; 法別番号 12 for 生活保護).</summary>
    public required string BearerNumber { get; set; }

    /// <summary>公費受給者番号 (7 digits with check digit).</summary>
    public required string RecipientNumber { get; set; }

    /// <summary>福祉事務所名 (the 実施機関 that decided the 保護).</summary>
    public required string WelfareOfficeName { get; set; }

    /// <summary>保護開始年月日 (資格取得年月日 in the result).</summary>
    public DateOnly StartDate { get; set; }

    /// <summary>保護の停止・廃止年月日 (資格喪失年月日 in the result): the first day without 保護, or null while it lasts.</summary>
    public DateOnly? EndDate { get; set; }

    public bool IsValidOn(DateOnly day) => StartDate <= day && (EndDate is null || day < EndDate);
}

/// <summary>
/// 医療券・調剤券: what the 福祉事務所 registers for one month of care at one 指定医療機関 (PublicExpenseResultList/
/// MedicalTicketInfo, codes OQSCD018–026). It belongs to the person's 医療扶助 with the same 公費負担者番号.
/// </summary>
public sealed class MedicalTicket
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    public InsuredPerson? Person { get; set; }

    /// <summary>公費負担者番号 of the 医療扶助 the ticket was issued under.</summary>
    public required string BearerNumber { get; set; }

    /// <summary>券種 (OQSCD018).</summary>
    public MedicalTicketType TicketType { get; set; }

    /// <summary>有効開始年月日.</summary>
    public DateOnly ValidFrom { get; set; }

    /// <summary>有効終了年月日 (inclusive).</summary>
    public DateOnly ValidUntil { get; set; }

    /// <summary>交付番号.</summary>
    public required string IssueNumber { get; set; }

    /// <summary>診療年月: the first day of the month.</summary>
    public DateOnly TreatmentMonth { get; set; }

    /// <summary>指定医療機関コード (10 digits).</summary>
    public required string DesignatedInstitutionCode { get; set; }

    /// <summary>指定医療機関名.</summary>
    public required string DesignatedInstitutionName { get; set; }

    /// <summary>処方箋発行元医療機関コード (調剤券), or empty.</summary>
    public required string PrescriptionIssuerCode { get; set; }

    /// <summary>処方箋発行元医療機関名 (調剤券), or empty.</summary>
    public required string PrescriptionIssuerName { get; set; }

    /// <summary>傷病名 1–3 (2 and 3 may be empty).</summary>
    public required string InjuryName1 { get; set; }

    public required string InjuryName2 { get; set; }

    public required string InjuryName3 { get; set; }

    /// <summary>診療別 (OQSCD019).</summary>
    public MedicalTreatmentType TreatmentType { get; set; }

    /// <summary>本人支払額 (円).</summary>
    public int SelfPayAmount { get; set; }

    /// <summary>地区担当員名 (ケースワーカー), or empty.</summary>
    public required string DistrictContactName { get; set; }

    /// <summary>取扱担当者名, or empty.</summary>
    public required string HandlingContactName { get; set; }

    /// <summary>単独・併用別 (OQSCD020).</summary>
    public SingleOrCombinedUse SingleOrCombinedUse { get; set; }

    /// <summary>社会保険の有無 (OQSCD021).</summary>
    public StatusOfSocialInsurance SocialInsurance { get; set; }

    /// <summary>備考, or empty.</summary>
    public required string Remarks { get; set; }

    public bool IsValidOn(DateOnly day) => ValidFrom <= day && day <= ValidUntil;
}

/// <summary>Column lengths shared by the EF model and the CSV import.</summary>
public static class MedicalAssistanceLimits
{
    public const int WelfareOfficeName = 100;
    public const int IssueNumber = 20;
    public const int Text = 100;
    public const int Remarks = 200;
}

internal sealed class MedicalAssistanceQualificationConfiguration : IEntityTypeConfiguration<MedicalAssistanceQualification>
{
    public void Configure(EntityTypeBuilder<MedicalAssistanceQualification> builder)
    {
        builder.ToTable("MedicalAssistanceQualifications");
        builder.Property(q => q.BearerNumber).HasMaxLength(8).IsUnicode(false);
        builder.Property(q => q.RecipientNumber).HasMaxLength(7).IsUnicode(false);
        builder.Property(q => q.WelfareOfficeName).HasMaxLength(MedicalAssistanceLimits.WelfareOfficeName);
        builder.HasOne(q => q.Person).WithMany(p => p.MedicalAssistanceQualifications).HasForeignKey(q => q.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(q => q.PersonId);

        // The レセコン's key for a 生活保護 patient (公費負担者番号 + 受給者番号).
        builder.HasIndex(q => new { q.BearerNumber, q.RecipientNumber });
    }
}

internal sealed class MedicalTicketConfiguration : IEntityTypeConfiguration<MedicalTicket>
{
    public void Configure(EntityTypeBuilder<MedicalTicket> builder)
    {
        builder.ToTable("MedicalTickets");
        builder.Property(t => t.BearerNumber).HasMaxLength(8).IsUnicode(false);
        builder.Property(t => t.IssueNumber).HasMaxLength(MedicalAssistanceLimits.IssueNumber);
        builder.Property(t => t.DesignatedInstitutionCode).HasMaxLength(10).IsUnicode(false);
        builder.Property(t => t.DesignatedInstitutionName).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.PrescriptionIssuerCode).HasMaxLength(10).IsUnicode(false);
        builder.Property(t => t.PrescriptionIssuerName).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.InjuryName1).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.InjuryName2).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.InjuryName3).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.DistrictContactName).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.HandlingContactName).HasMaxLength(MedicalAssistanceLimits.Text);
        builder.Property(t => t.Remarks).HasMaxLength(MedicalAssistanceLimits.Remarks);
        builder.HasOne(t => t.Person).WithMany(p => p.MedicalTickets).HasForeignKey(t => t.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.PersonId);
    }
}
