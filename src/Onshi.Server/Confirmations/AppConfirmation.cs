using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Jpki;
using Onshi.Server.Challenges;
using Onshi.Server.Devices;
using Onshi.Server.Institutions;

namespace Onshi.Server.Confirmations;

/// <summary>本人確認方法. Stored as its number; never renumber.</summary>
public enum IdentificationMethod
{
    /// <summary>暗証番号: the card signed the challenge.</summary>
    Pin = 1,

    /// <summary>目視確認: a staff member attested that the face photo matches the patient.</summary>
    Visual = 2,
}

/// <summary>
/// One qualification confirmation made by the app: who identified whom, how, for what, and the exact answer given.
/// The answer is stored as sent (<see cref="ResultJson"/>), with its domain facts (<see cref="SnapshotJson"/>), in the same commit that consumes the challenge, before the
/// app sees it, so an acknowledged result is never lost and a retry gets the same bytes.
/// </summary>
public sealed class AppConfirmation
{
    public Guid Id { get; set; }

    public int InstitutionId { get; set; }

    public Guid DeviceId { get; set; }

    public Guid SessionId { get; set; }

    /// <summary>The staff member logged in on the device (for 目視確認, the one who attested).</summary>
    public int AccountId { get; set; }

    public Guid ChallengeId { get; set; }

    /// <summary>Idempotency-Key chosen by the app; unique per device.</summary>
    public Guid IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request body: the same key with another body is a conflict, not a retry.</summary>
    public required byte[] RequestHash { get; set; }

    public AuthenticationPurpose Purpose { get; set; }

    public IdentificationMethod Method { get; set; }

    /// <summary>目視確認: the staff member's explicit attestation that the photo matches (always true when stored).</summary>
    public bool VisualAttestation { get; set; }

    public DateTimeOffset ConfirmedAt { get; set; }

    /// <summary>資格有効性 wire code "1".."5".</summary>
    public required string Validity { get; set; }

    /// <summary>The certificate expired less than three months ago: qualification only (no consent, no medical information).</summary>
    public bool QualificationOnly { get; set; }

    public long? PersonId { get; set; }

    public string? PatientName { get; set; }

    public string? PatientNameKana { get; set; }

    public DateOnly? PatientBirthdate { get; set; }

    /// <summary>Anchor id + serial of the certificate presented.</summary>
    public required string CertificateLinkageKey { get; set; }

    /// <summary>The response body exactly as answered (JSON).</summary>
    public required string ResultJson { get; set; }

    /// <summary>The domain facts of the answer (<see cref="ConfirmationSnapshot"/> as JSON): what 連携 results are mapped from.</summary>
    public required string SnapshotJson { get; set; }
}

internal sealed class AppConfirmationConfiguration : IEntityTypeConfiguration<AppConfirmation>
{
    public void Configure(EntityTypeBuilder<AppConfirmation> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasIndex(c => new { c.DeviceId, c.IdempotencyKey }).IsUnique();
        builder.HasIndex(c => new { c.InstitutionId, c.ConfirmedAt });
        builder.HasIndex(c => c.ChallengeId).IsUnique();
        builder.Property(c => c.RequestHash).HasMaxLength(32);
        builder.Property(c => c.Validity).HasMaxLength(1).IsUnicode(false);
        builder.Property(c => c.PatientName).HasMaxLength(100);
        builder.Property(c => c.PatientNameKana).HasMaxLength(100);
        builder.Property(c => c.CertificateLinkageKey).HasMaxLength(120).IsUnicode(false);
        builder.HasOne<Institution>().WithMany().HasForeignKey(c => c.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Device>().WithMany().HasForeignKey(c => c.DeviceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Challenge>().WithMany().HasForeignKey(c => c.ChallengeId).OnDelete(DeleteBehavior.Restrict);
    }
}
