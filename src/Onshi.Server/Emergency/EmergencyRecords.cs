using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Accounts;
using Onshi.Server.Institutions;

namespace Onshi.Server.Emergency;

/// <summary>
/// One period of 緊急時医療情報・資格確認機能 for one institution, switched on by its 管理者: from <see cref="StartsAt"/>
/// until <see cref="EndsAt"/> (never longer than <see cref="EmergencyOptions.MaximumDays"/>), or until ended early.
/// Rows are never deleted or edited except to record the early end, so the periods stay auditable.
/// </summary>
public sealed class EmergencyActivation
{
    public long Id { get; set; }

    public int InstitutionId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>Why (災害名・障害の内容), as the administrator wrote it.</summary>
    public required string Reason { get; set; }

    public int ActivatedByAccountId { get; set; }

    /// <summary>ユーザID of the administrator at the time.</summary>
    public required string ActivatedBy { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndedBy { get; set; }

    public bool IsActiveAt(DateTimeOffset now) => EndedAt is null && StartsAt <= now && now < EndsAt;
}

/// <summary>
/// The patient's oral consent (or why it could not be asked) to show medical information without a card, recorded by
/// the 医療情報閲覧 account before anything is shown: who recorded it, when, for whom, which kinds, and who consented.
/// </summary>
public sealed class EmergencyConsent
{
    public Guid Id { get; set; }

    public int InstitutionId { get; set; }

    public long ActivationId { get; set; }

    public long PersonId { get; set; }

    public required string PatientName { get; set; }

    public int AccountId { get; set; }

    public required string AccountUserId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>本人 / 家族等 (who gave the consent), or 同意取得困難 (unconscious patient) with the note saying why.</summary>
    public EmergencyConsentGiver GivenBy { get; set; }

    /// <summary>The 医療情報 kinds consented to, comma-separated <see cref="Consent.InformationType"/> numbers.</summary>
    public required string InformationTypes { get; set; }

    public string? Note { get; set; }
}

/// <summary>Who gave the oral consent. Stored as its number; never renumber.</summary>
public enum EmergencyConsentGiver
{
    /// <summary>本人.</summary>
    Patient = 1,

    /// <summary>家族等 (the patient cannot answer).</summary>
    Family = 2,

    /// <summary>同意取得困難: unconscious and no one to ask; the note says why the information is needed.</summary>
    NotObtainable = 3,
}

public static class EmergencyConsentGivers
{
    public static string Japanese(this EmergencyConsentGiver giver) => giver switch
    {
        EmergencyConsentGiver.Patient => "本人（口頭）",
        EmergencyConsentGiver.Family => "家族等（口頭）",
        EmergencyConsentGiver.NotObtainable => "同意取得困難",
        _ => "不明",
    };
}

internal sealed class EmergencyActivationConfiguration : IEntityTypeConfiguration<EmergencyActivation>
{
    public void Configure(EntityTypeBuilder<EmergencyActivation> builder)
    {
        builder.Property(a => a.Reason).HasMaxLength(EmergencyOptions.ReasonLength);
        builder.Property(a => a.ActivatedBy).HasMaxLength(40);
        builder.Property(a => a.EndedBy).HasMaxLength(40);
        builder.HasIndex(a => new { a.InstitutionId, a.EndsAt });
        builder.HasOne<Institution>().WithMany().HasForeignKey(a => a.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.ActivatedByAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EmergencyConsentConfiguration : IEntityTypeConfiguration<EmergencyConsent>
{
    public void Configure(EntityTypeBuilder<EmergencyConsent> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.PatientName).HasMaxLength(100);
        builder.Property(c => c.AccountUserId).HasMaxLength(40);
        builder.Property(c => c.InformationTypes).HasMaxLength(20).IsUnicode(false);
        builder.Property(c => c.Note).HasMaxLength(EmergencyOptions.ReasonLength);
        builder.HasIndex(c => new { c.InstitutionId, c.RecordedAt });
        builder.HasOne<Institution>().WithMany().HasForeignKey(c => c.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<EmergencyActivation>().WithMany().HasForeignKey(c => c.ActivationId).OnDelete(DeleteBehavior.Restrict);
    }
}
