using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Jpki;
using Onshi.Server.Institutions;

namespace Onshi.Server.Consent;

/// <summary>
/// One answer of a patient (同意 / 同意しない) to sharing one kind of medical information with one institution for one
/// purpose. Never updated except to record a withdrawal (同意取消). The latest answer per institution × person × type ×
/// purpose is the one that counts (see <see cref="ConsentRules"/>).
/// </summary>
public sealed class ConsentRecord
{
    public long Id { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>The insured person (Insurance.InsuredPerson.Id).</summary>
    public long PersonId { get; set; }

    public InformationType InformationType { get; set; }

    public AuthenticationPurpose Purpose { get; set; }

    public bool Given { get; set; }

    /// <summary>True when the answer came from 包括同意 (one answer for every offered type).</summary>
    public bool Comprehensive { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }

    /// <summary>外来: 24 hours after the answer; 訪問/オンライン: null (until withdrawn).</summary>
    public DateTimeOffset? AvailableUntil { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    public int? WithdrawnByAccountId { get; set; }

    /// <summary>The confirmation whose request carried the answer.</summary>
    public Guid ConfirmationId { get; set; }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> builder)
    {
        builder.HasIndex(c => new { c.InstitutionId, c.PersonId, c.InformationType });
        builder.HasIndex(c => c.ConfirmationId);
        builder.HasOne<Institution>().WithMany().HasForeignKey(c => c.InstitutionId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The consent rules in one place (oqs-system.md §1.5, §7 rule 1).</summary>
public static class ConsentRules
{
    /// <summary>外来: viewing is allowed for 24 hours after the consent was registered.</summary>
    public static readonly TimeSpan OutpatientWindow = TimeSpan.FromHours(24);

    public static DateTimeOffset? AvailableUntil(AuthenticationPurpose purpose, DateTimeOffset answeredAt) =>
        purpose == AuthenticationPurpose.Outpatient ? answeredAt + OutpatientWindow : null;

    /// <summary>Whether this record, if it is the latest answer for its key, allows viewing at <paramref name="now"/>.</summary>
    public static bool Allows(ConsentRecord record, DateTimeOffset now) =>
        record.Given && record.WithdrawnAt is null && (record.AvailableUntil is null || now < record.AvailableUntil);

    /// <summary>
    /// The information types the institution may view for the person at <paramref name="now"/>: for each type and
    /// purpose the latest answer counts (a later 「同意しない」 replaces an earlier 「同意する」).
    /// </summary>
    public static IReadOnlySet<InformationType> ViewableTypes(IEnumerable<ConsentRecord> records, DateTimeOffset now) =>
        records.GroupBy(r => (r.InformationType, r.Purpose))
            .Select(g => g.OrderByDescending(r => r.AnsweredAt).ThenByDescending(r => r.Id).First())
            .Where(r => Allows(r, now))
            .Select(r => r.InformationType)
            .ToHashSet();
}
