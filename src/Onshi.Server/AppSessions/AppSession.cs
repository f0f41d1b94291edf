using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Accounts;
using Onshi.Server.Devices;

namespace Onshi.Server.AppSessions;

/// <summary>Why a staff session on a device ended. Stored as its number; never renumber.</summary>
public enum AppSessionEnd
{
    LoggedOut = 1,
    DeviceInvalidated = 2,
}

/// <summary>
/// A staff member's login on an activated device. The token is opaque and random; only its SHA-256 is stored, so a
/// copy of the database does not yield usable sessions. Idle and absolute timeouts are evaluated on every request.
/// </summary>
public sealed class AppSession
{
    public Guid Id { get; set; }

    /// <summary>SHA-256 of the token's ASCII text.</summary>
    public required byte[] TokenHash { get; set; }

    public Guid DeviceId { get; set; }

    public int AccountId { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>The account's security stamp at login: a password change, reset, role change or stop ends the session.</summary>
    public Guid AccountSecurityStamp { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last authenticated request (updated at most every <see cref="AppSessionOptions.TouchIntervalSeconds"/>).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Absolute end, however active the session is.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public AppSessionEnd? EndReason { get; set; }
}

internal sealed class AppSessionConfiguration : IEntityTypeConfiguration<AppSession>
{
    public void Configure(EntityTypeBuilder<AppSession> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.TokenHash).HasMaxLength(32);
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.HasIndex(s => s.DeviceId);
        builder.HasOne<Device>().WithMany().HasForeignKey(s => s.DeviceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
