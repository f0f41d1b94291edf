using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Core.Codes;

namespace Onshi.Server.Insurance;

/// <summary>What the three 証 of a qualification have in common: the person, the issuing insurer and the validity.</summary>
public abstract class PersonCertificate
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    public InsuredPerson? Person { get; set; }

    /// <summary>保険者番号 of the insurer that issued the certificate; it belongs to the qualification with that insurer.</summary>
    public required string InsurerNumber { get; set; }

    /// <summary>交付年月日.</summary>
    public DateOnly? IssuedOn { get; set; }

    /// <summary>有効開始年月日.</summary>
    public DateOnly ValidFrom { get; set; }

    /// <summary>有効終了年月日 (inclusive), or null when open-ended.</summary>
    public DateOnly? ValidUntil { get; set; }

    public bool IsValidOn(DateOnly day) => ValidFrom <= day && (ValidUntil is null || day <= ValidUntil);
}

/// <summary>高齢受給者証 (70–74 year-olds): its own 一部負担金割合.</summary>
public sealed class ElderlyRecipientCertificate : PersonCertificate
{
    /// <summary>一部負担金割合 ("020" or "030" in practice).</summary>
    public PartialContributionRatio ContributionRatio { get; set; }
}

/// <summary>限度額適用認定証 / 限度額適用・標準負担額減額認定証 / 標準負担額減額認定証 information.</summary>
public sealed class LimitCertificate : PersonCertificate
{
    /// <summary>区分 (OQSCD011, 01–03).</summary>
    public LimitCertificateClassification Classification { get; set; }

    /// <summary>適用区分 (OQSCD012, A01–A06 under 70, B01–B10 from 70).</summary>
    public LimitApplicationBracket Bracket { get; set; }

    /// <summary>長期入院該当年月日 (標準負担額減額 after 90 days in hospital), if any.</summary>
    public DateOnly? LongTermHospitalizationDate { get; set; }
}

/// <summary>特定疾病療養受療証.</summary>
public sealed class SpecificDiseaseCertificate : PersonCertificate
{
    /// <summary>疾病区分 (OQSCD013, 1–3).</summary>
    public SpecificDiseaseCategory Category { get; set; }

    /// <summary>自己負担限度額 in yen per month (10,000 or 20,000).</summary>
    public int SelfPayLimit { get; set; }
}

internal sealed class ElderlyRecipientCertificateConfiguration : IEntityTypeConfiguration<ElderlyRecipientCertificate>
{
    public void Configure(EntityTypeBuilder<ElderlyRecipientCertificate> builder)
    {
        builder.ToTable("ElderlyRecipientCertificates");
        PersonCertificateConfiguration.Configure(builder, p => p.ElderlyRecipientCertificates);
    }
}

internal sealed class LimitCertificateConfiguration : IEntityTypeConfiguration<LimitCertificate>
{
    public void Configure(EntityTypeBuilder<LimitCertificate> builder)
    {
        builder.ToTable("LimitCertificates");
        PersonCertificateConfiguration.Configure(builder, p => p.LimitCertificates);
    }
}

internal sealed class SpecificDiseaseCertificateConfiguration : IEntityTypeConfiguration<SpecificDiseaseCertificate>
{
    public void Configure(EntityTypeBuilder<SpecificDiseaseCertificate> builder)
    {
        builder.ToTable("SpecificDiseaseCertificates");
        PersonCertificateConfiguration.Configure(builder, p => p.SpecificDiseaseCertificates);
    }
}

internal static class PersonCertificateConfiguration
{
    // Each certificate type is its own table (no TPH discriminator): the import writes them with COPY.
    public static void Configure<T>(EntityTypeBuilder<T> builder, System.Linq.Expressions.Expression<Func<InsuredPerson, IEnumerable<T>?>> collection)
        where T : PersonCertificate
    {
        builder.HasBaseType((Type?)null);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.InsurerNumber).HasMaxLength(8).IsUnicode(false);
        builder.HasOne(c => c.Person).WithMany(collection).HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Insurer>().WithMany().HasForeignKey(c => c.InsurerNumber).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.PersonId);
    }
}
