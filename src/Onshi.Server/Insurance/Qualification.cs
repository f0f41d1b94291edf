using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Core.Codes;

namespace Onshi.Server.Insurance;

/// <summary>
/// One 資格 (qualification) of a person with one insurer: a row of the person's qualification history. A person
/// who changes job has a lost row (喪失日 set) and a newer one. Valid on a day D when 資格取得日 ≤ D and there is no
/// 資格喪失日 or D &lt; 資格喪失日 (the 喪失日 is the first day without cover).
/// </summary>
public sealed class Qualification
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    public InsuredPerson? Person { get; set; }

    /// <summary>保険者番号.</summary>
    public required string InsurerNumber { get; set; }

    public Insurer? Insurer { get; set; }

    /// <summary>被保険者証記号; empty when the card has none (e.g. 後期高齢者).</summary>
    public required string Symbol { get; set; }

    /// <summary>被保険者証番号.</summary>
    public required string Number { get; set; }

    /// <summary>枝番, 2 digits.</summary>
    public required string Branch { get; set; }

    /// <summary>本人・家族の別 (OQSCD009).</summary>
    public PersonalFamilyClassification PersonalFamilyClassification { get; set; }

    /// <summary>被保険者氏名 (世帯主氏名): the insured person this dependant belongs to, or the person themself.</summary>
    public required string InsuredName { get; set; }

    /// <summary>被保険者証区分 (OQSCD010).</summary>
    public InsuredCardClassification CardClassification { get; set; }

    /// <summary>資格取得年月日.</summary>
    public DateOnly QualificationDate { get; set; }

    /// <summary>資格喪失年月日, or null while the qualification lasts.</summary>
    public DateOnly? DisqualificationDate { get; set; }

    /// <summary>資格喪失事由 (OQSCD008), set exactly when <see cref="DisqualificationDate"/> is.</summary>
    public ReasonOfLoss? ReasonOfLoss { get; set; }

    /// <summary>証交付年月日.</summary>
    public DateOnly? CardIssuedOn { get; set; }

    /// <summary>証有効開始年月日.</summary>
    public DateOnly? CardValidFrom { get; set; }

    /// <summary>証有効終了年月日.</summary>
    public DateOnly? CardValidUntil { get; set; }

    /// <summary>一部負担金割合 ("010"/"020"/"030").</summary>
    public PartialContributionRatio ContributionRatio { get; set; }

    /// <summary>未就学区分: true for 義務教育就学前 (OQSCD015 "1").</summary>
    public bool Preschool { get; set; }

    public bool IsValidOn(DateOnly day) => QualificationDate <= day && (DisqualificationDate is null || day < DisqualificationDate);
}

internal sealed class QualificationConfiguration : IEntityTypeConfiguration<Qualification>
{
    public void Configure(EntityTypeBuilder<Qualification> builder)
    {
        builder.ToTable("Qualifications");
        builder.Property(q => q.InsurerNumber).HasMaxLength(8).IsUnicode(false);
        builder.Property(q => q.Symbol).HasMaxLength(InsuranceLimits.Symbol);
        builder.Property(q => q.Number).HasMaxLength(InsuranceLimits.Number);
        builder.Property(q => q.Branch).HasMaxLength(InsuranceLimits.Branch).IsUnicode(false);
        builder.Property(q => q.InsuredName).HasMaxLength(InsuranceLimits.PersonName);
        builder.HasOne(q => q.Person).WithMany(p => p.Qualifications).HasForeignKey(q => q.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(q => q.Insurer).WithMany().HasForeignKey(q => q.InsurerNumber).OnDelete(DeleteBehavior.Restrict);

        // The レセコン query (保険者番号 + 記号 + 番号 + 枝番); number before symbol because it is the selective part.
        builder.HasIndex(q => new { q.InsurerNumber, q.Number, q.Symbol, q.Branch });
        builder.HasIndex(q => q.PersonId);
    }
}
