using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Insurance;

namespace Onshi.Server.CardLinks;

/// <summary>
/// 健康保険証利用登録: a person is linked to the user-authentication certificate (利用者証明用電子証明書) of their
/// My Number card. The key is <c>JpkiCertificateInfo.LinkageKey</c> (trust-anchor id + serial): issuer DN + serial
/// is ambiguous across J-LIS CA generations. A new card replaces the link; the old row stays as history with
/// <see cref="ReplacedAt"/> set, and only rows without it identify anybody.
/// </summary>
public sealed class CardLink
{
    public long Id { get; set; }

    public long PersonId { get; set; }

    public InsuredPerson? Person { get; set; }

    /// <summary>Upper-case hex SHA-256 of the anchor, ':', upper-case hex serial.</summary>
    public required string LinkageKey { get; set; }

    /// <summary>notAfter of the linked certificate (for the 3-month notice and the grace rule).</summary>
    public DateTimeOffset CertificateNotAfter { get; set; }

    public DateTimeOffset LinkedAt { get; set; }

    /// <summary>When a newer card replaced this link; null while it is the current link.</summary>
    public DateTimeOffset? ReplacedAt { get; set; }
}

internal sealed class CardLinkConfiguration : IEntityTypeConfiguration<CardLink>
{
    public void Configure(EntityTypeBuilder<CardLink> builder)
    {
        builder.ToTable("CardLinks");
        builder.Property(l => l.LinkageKey).HasMaxLength(InsuranceLimits.LinkageKey).IsUnicode(false);
        builder.HasOne(l => l.Person).WithMany().HasForeignKey(l => l.PersonId).OnDelete(DeleteBehavior.Cascade);

        // At most one current link per certificate and per person; the filter is the same SQL on both providers.
        builder.HasIndex(l => l.LinkageKey).IsUnique().HasFilter("\"ReplacedAt\" IS NULL").HasDatabaseName("IX_CardLinks_LinkageKey_Current");
        builder.HasIndex(l => l.PersonId).IsUnique().HasFilter("\"ReplacedAt\" IS NULL").HasDatabaseName("IX_CardLinks_PersonId_Current");

        // History: was this certificate ever linked (re-linking a replaced card is refused).
        builder.HasIndex(l => new { l.LinkageKey, l.Id }).HasDatabaseName("IX_CardLinks_LinkageKey_History");
    }
}
