using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Institutions;

namespace Onshi.Server.Receipt;

/// <summary>
/// 連携アプリ用アカウント: the credentials of a machine (the 連携 agent beside a レセコン, or a new integration) that may
/// call the レセコン API of one institution and nothing else. A separate table from <c>Accounts</c>, so a machine can
/// never log in to the portal or the app, and a person's account can never call the レセコン API.
/// </summary>
public sealed class MachineAccount
{
    public int Id { get; set; }

    public int InstitutionId { get; set; }

    public Institution? Institution { get; set; }

    /// <summary>Public identifier, e.g. <c>rc-3f9a…</c>; the user name of HTTP Basic.</summary>
    public required string ClientId { get; set; }

    /// <summary>What the administrator calls it (e.g. 受付レセコン1).</summary>
    public required string Label { get; set; }

    /// <summary>SHA-256 of the secret (the secret is 256 random bits, shown once and never stored).</summary>
    public required byte[] SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int CreatedByAccountId { get; set; }

    public DateTimeOffset? SecretRotatedAt { get; set; }

    /// <summary>利用停止: every request with this client id is refused from then on.</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Optimistic concurrency: two administrators cannot rotate or stop from stale pages.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}

internal sealed class MachineAccountConfiguration : IEntityTypeConfiguration<MachineAccount>
{
    public void Configure(EntityTypeBuilder<MachineAccount> builder)
    {
        builder.HasIndex(m => m.ClientId).IsUnique();
        builder.HasIndex(m => m.InstitutionId);
        builder.Property(m => m.ClientId).HasMaxLength(40).IsUnicode(false);
        builder.Property(m => m.Label).HasMaxLength(40);
        builder.Property(m => m.SecretHash).HasMaxLength(32);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasOne(m => m.Institution).WithMany().HasForeignKey(m => m.InstitutionId).OnDelete(DeleteBehavior.Restrict);
    }
}
