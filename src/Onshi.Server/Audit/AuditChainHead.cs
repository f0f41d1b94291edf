using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Onshi.Server.Audit;

/// <summary>
/// The newest link of one audit chain. Appending locks this row for the rest of the transaction, so two server
/// processes writing to the same chain take turns; it also lets verification notice entries cut off the end.
/// </summary>
public sealed class AuditChainHead
{
    public const string Table = "AuditChainHeads";

    /// <summary>Institution id, or 0 for the chain of entries about no institution.</summary>
    public int ChainKey { get; set; }

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = AuditChainHash.Genesis;
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable(AuditChainHead.Table);
        builder.HasKey(h => h.ChainKey);
        builder.Property(h => h.ChainKey).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(64).IsUnicode(false);
    }
}
