using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Jpki;
using Onshi.Server.AppSessions;
using Onshi.Server.Devices;

namespace Onshi.Server.Challenges;

/// <summary>
/// A single-use, short-lived random challenge for one identification, bound to the device, the staff session and the
/// purpose. The card's signed message is rebuilt from this record, never from what the app sends back.
/// </summary>
public sealed class Challenge
{
    public Guid Id { get; set; }

    /// <summary>32 random bytes.</summary>
    public required byte[] Value { get; set; }

    public Guid DeviceId { get; set; }

    public Guid SessionId { get; set; }

    public int InstitutionId { get; set; }

    public AuthenticationPurpose Purpose { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set once, in the transaction that stores the confirmation; a concurrency token so two uses cannot both win.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class ChallengeConfiguration : IEntityTypeConfiguration<Challenge>
{
    public void Configure(EntityTypeBuilder<Challenge> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Value).HasMaxLength(64);
        builder.Property(c => c.UsedAt).IsConcurrencyToken();
        builder.HasIndex(c => c.ExpiresAt);
        builder.HasOne<Device>().WithMany().HasForeignKey(c => c.DeviceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Restrict);
    }
}
