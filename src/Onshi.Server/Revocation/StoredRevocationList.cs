using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Onshi.Server.Revocation;

/// <summary>
/// A certificate revocation list (CRL) the operator loaded, standing in for J-LIS. Stored in the database so that
/// a restarted server and every other server process over the same database use it; rows are only added (the
/// newest per anchor wins, and the store refuses rollbacks).
/// </summary>
public sealed class StoredRevocationList
{
    public long Id { get; set; }

    /// <summary>The trust anchor (SHA-256 hex) whose key signed the list.</summary>
    public required string AnchorId { get; set; }

    public DateTimeOffset ThisUpdate { get; set; }

    public DateTimeOffset? NextUpdate { get; set; }

    /// <summary>CRL number (decimal), if the list has one.</summary>
    public string? CrlNumber { get; set; }

    public int RevokedCount { get; set; }

    /// <summary>The list exactly as the operator supplied it (DER or PEM).</summary>
    public required byte[] Content { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

internal sealed class StoredRevocationListConfiguration : IEntityTypeConfiguration<StoredRevocationList>
{
    public void Configure(EntityTypeBuilder<StoredRevocationList> builder)
    {
        builder.ToTable("RevocationLists");
        builder.Property(r => r.AnchorId).HasMaxLength(64).IsUnicode(false);
        builder.Property(r => r.CrlNumber).HasMaxLength(60).IsUnicode(false);
        builder.HasIndex(r => new { r.AnchorId, r.Id });
    }
}
