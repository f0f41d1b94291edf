using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Institutions;

namespace Onshi.Server.Receipt;

/// <summary>
/// 照会番号: the institution's own key for an insured person (typically the 診察券番号), registered by the レセコン and
/// returned in every later result about that person for this institution (never usable as a lookup key by itself).
/// </summary>
public sealed class ReferenceNumberRecord
{
    public long Id { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>The insured person (Insurance.InsuredPerson.Id) the card fields resolved to at registration.</summary>
    public long PersonId { get; set; }

    public required string ReferenceNumber { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>The 連携アプリ用アカウント that registered it, when it came through the レセコン interface.</summary>
    public int? RegisteredByMachineAccountId { get; set; }

    /// <summary>The staff account that registered it by hand in the portal.</summary>
    public int? RegisteredByAccountId { get; set; }
}

/// <summary>What a bulk job does (the API-ID of its 01req).</summary>
public enum BulkJobKind
{
    /// <summary>OQSmuquc: 資格確認一括照会.</summary>
    QualificationConfirmation = 1,

    /// <summary>OQSmuimm: 照会番号一括登録.</summary>
    ReferenceNumberRegistration = 2,

    /// <summary>OQSmuhvq: 同意済資格情報一括取得（訪問診療等）.</summary>
    ConsentedHomeVisit = 3,

    /// <summary>OQSmuonq: 同意済資格情報一括取得（オンライン診療等）.</summary>
    ConsentedOnline = 4,

    /// <summary>OQSmutic: 医療扶助の一括取得 (診療年月).</summary>
    MedicalAssistance = 5,
}

public enum BulkJobStatus
{
    Queued = 1,
    Processing = 2,
    Completed = 3,
    Failed = 4,
}

/// <summary>
/// A two-phase bulk request: accepted with a 受付番号, processed by <see cref="BulkJobWorker"/>, fetched with the
/// 受付番号. Persisted so that a restart loses nothing: a job whose worker disappeared is taken over when its lease ends.
/// </summary>
public sealed class BulkJob
{
    public long Id { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>The 連携アプリ用アカウント that uploaded the job (the レセコン interface); null for a portal job.</summary>
    public int? MachineAccountId { get; set; }

    /// <summary>The staff account that uploaded the job in the portal (一括照会); null for a レセコン job.</summary>
    public int? AccountId { get; set; }

    /// <summary>受付番号: 16 random upper-case hex digits (unguessable; the layout allows 1–20 alphanumerics).</summary>
    public required string ReceptionNumber { get; set; }

    /// <summary>Idempotency-Key of the upload (the agent derives it from the request file), unique per institution.</summary>
    public string? ClientKey { get; set; }

    public BulkJobKind Kind { get; set; }

    public BulkJobStatus Status { get; set; }

    /// <summary>The accepted request (JSON of <see cref="BulkRequestBody"/>).</summary>
    public required string RequestJson { get; set; }

    /// <summary>The results (JSON), set when completed.</summary>
    public string? ResultJson { get; set; }

    public int RowCount { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int Attempts { get; set; }

    public string? FailureDetail { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>
/// Outbox of app confirmations for the レセコン feed. A row is added in the same SaveChanges that stores the
/// confirmation (AppDbContext hook), without a sequence; the feed assigns per-institution sequences under a lock
/// before reading, so the cursor only ever moves over committed rows. See readme.md "Feed cursor".
/// </summary>
public sealed class ConfirmationFeedEntry
{
    public Guid ConfirmationId { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>Null until sequenced; then 1, 2, 3… per institution, without gaps.</summary>
    public long? Sequence { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>The last feed sequence given out per institution; its row is the lock that serialises sequencing.</summary>
public sealed class ConfirmationFeedCounter
{
    public int InstitutionId { get; set; }

    public long LastSequence { get; set; }
}

internal sealed class ReferenceNumberRecordConfiguration : IEntityTypeConfiguration<ReferenceNumberRecord>
{
    public void Configure(EntityTypeBuilder<ReferenceNumberRecord> builder)
    {
        builder.HasIndex(r => new { r.InstitutionId, r.PersonId }).IsUnique();
        builder.Property(r => r.ReferenceNumber).HasMaxLength(50);
        builder.HasOne<Institution>().WithMany().HasForeignKey(r => r.InstitutionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BulkJobConfiguration : IEntityTypeConfiguration<BulkJob>
{
    public void Configure(EntityTypeBuilder<BulkJob> builder)
    {
        builder.HasIndex(j => j.ReceptionNumber).IsUnique();
        builder.HasIndex(j => new { j.InstitutionId, j.ClientKey }).IsUnique();
        builder.HasIndex(j => new { j.Status, j.AcceptedAt });
        builder.Property(j => j.ReceptionNumber).HasMaxLength(20).IsUnicode(false);
        builder.Property(j => j.ClientKey).HasMaxLength(100).IsUnicode(false);
        builder.Property(j => j.FailureDetail).HasMaxLength(200);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.HasOne<Institution>().WithMany().HasForeignKey(j => j.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MachineAccount>().WithMany().HasForeignKey(j => j.MachineAccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Accounts.Account>().WithMany().HasForeignKey(j => j.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(j => new { j.InstitutionId, j.AccountId, j.AcceptedAt });
        // Exactly one uploader: a machine (レセコン) or a staff account (portal).
        builder.ToTable(t => t.HasCheckConstraint("CK_BulkJobs_Uploader", "(\"MachineAccountId\" IS NULL) <> (\"AccountId\" IS NULL)"));
    }
}

internal sealed class ConfirmationFeedEntryConfiguration : IEntityTypeConfiguration<ConfirmationFeedEntry>
{
    public void Configure(EntityTypeBuilder<ConfirmationFeedEntry> builder)
    {
        builder.HasKey(e => e.ConfirmationId);
        builder.Property(e => e.ConfirmationId).ValueGeneratedNever();
        builder.HasIndex(e => new { e.InstitutionId, e.Sequence }).IsUnique();
        builder.HasOne<Confirmations.AppConfirmation>().WithOne().HasForeignKey<ConfirmationFeedEntry>(e => e.ConfirmationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConfirmationFeedCounterConfiguration : IEntityTypeConfiguration<ConfirmationFeedCounter>
{
    public void Configure(EntityTypeBuilder<ConfirmationFeedCounter> builder)
    {
        builder.HasKey(c => c.InstitutionId);
        builder.Property(c => c.InstitutionId).ValueGeneratedNever();
    }
}
