using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Core.Codes;

namespace Onshi.Server.Insurance;

/// <summary>
/// 被保険者等 (an insured person or dependant) as the insurers registered them. The id is the operator's own
/// person number from the import (stable across files, so qualifications, certificates, medical records and card
/// links can refer to it without a lookup).
/// </summary>
public sealed class InsuredPerson
{
    public long Id { get; set; }

    /// <summary>氏名.</summary>
    public required string Name { get; set; }

    /// <summary>氏名カナ.</summary>
    public required string NameKana { get; set; }

    /// <summary>性別 (OQSCD007).</summary>
    public Sex Sex { get; set; }

    /// <summary>生年月日.</summary>
    public DateOnly Birthdate { get; set; }

    /// <summary>住所 (保険者届出).</summary>
    public required string Address { get; set; }

    /// <summary>郵便番号, "123-4567".</summary>
    public required string PostNumber { get; set; }

    public List<Qualification> Qualifications { get; } = [];

    public List<ElderlyRecipientCertificate> ElderlyRecipientCertificates { get; } = [];

    public List<LimitCertificate> LimitCertificates { get; } = [];

    public List<SpecificDiseaseCertificate> SpecificDiseaseCertificates { get; } = [];

    /// <summary>医療扶助 (生活保護) periods, usually instead of any 医療保険 qualification.</summary>
    public List<MedicalAssistance.MedicalAssistanceQualification> MedicalAssistanceQualifications { get; } = [];

    /// <summary>医療券・調剤券 the 福祉事務所 registered.</summary>
    public List<MedicalAssistance.MedicalTicket> MedicalTickets { get; } = [];
}

internal sealed class InsuredPersonConfiguration : IEntityTypeConfiguration<InsuredPerson>
{
    public void Configure(EntityTypeBuilder<InsuredPerson> builder)
    {
        builder.ToTable("InsuredPersons");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(InsuranceLimits.PersonName);
        builder.Property(p => p.NameKana).HasMaxLength(InsuranceLimits.PersonName);
        builder.Property(p => p.Address).HasMaxLength(InsuranceLimits.Address);
        builder.Property(p => p.PostNumber).HasMaxLength(InsuranceLimits.PostNumber).IsUnicode(false);

        // 緊急時医療情報・資格確認機能 searches by 生年月日 and 性別 first, then compares the カナ氏名 of those few rows.
        builder.HasIndex(p => new { p.Birthdate, p.Sex });
    }
}
