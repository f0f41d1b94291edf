using Microsoft.EntityFrameworkCore;
using Onshi.OqsXml.Responses;
using Onshi.Server.Confirmations;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>One app confirmation in the feed: its cursor and the result in the OQS layout (what a face file holds).</summary>
public sealed record FeedEntry(long Cursor, Guid ConfirmationId, DateTimeOffset ConfirmedAt, string Purpose, string Method, QualificationConfirmationResult Result);

public sealed record FeedPage(string InstitutionCode, IReadOnlyList<FeedEntry> Entries, long NextCursor);

/// <summary>
/// The cursor feed of app confirmations per institution. Why it never skips a committed row, even with concurrent
/// writers: confirmations do not get their number when they are written (a transaction that took number 7 could
/// commit after one that took 8, and a reader at 8 would never see 7). They get an outbox row without a number in
/// their own transaction; numbers are given later, by the reader, to rows that are already committed, one institution
/// at a time under the lock of its counter row. A row committed after that gets a larger number on the next read.
/// </summary>
public sealed class ReceiptFeed(AppDbContext db, OqsResultMapping mapping, TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <summary>The AppDbContext hook: an outbox row for every confirmation being added.</summary>
    public static void AddEntriesForNewConfirmations(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<ConfirmationFeedEntry>? entries = null;
        foreach (var entry in db.ChangeTracker.Entries<AppConfirmation>())
        {
            if (entry.State == EntityState.Added)
            {
                (entries ??= []).Add(EntryFor(entry.Entity));
            }
        }

        if (entries is not null)
        {
            // DbSet.Local detects changes on every access: read it once, not once per confirmation (a group commit
            // carries hundreds, and a per-entry scan made this quadratic in the batch).
            var existing = db.ConfirmationFeed.Local.Select(l => l.ConfirmationId).ToHashSet();
            foreach (var entry in entries)
            {
                if (existing.Add(entry.ConfirmationId))
                {
                    db.ConfirmationFeed.Add(entry);
                }
            }
        }
    }

    /// <summary>The outbox row of a new confirmation (unnumbered: see the class comment).</summary>
    public static ConfirmationFeedEntry EntryFor(AppConfirmation confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return new ConfirmationFeedEntry { ConfirmationId = confirmation.Id, InstitutionId = confirmation.InstitutionId, StoredAt = confirmation.ConfirmedAt };
    }

    public async Task<FeedPage> ReadAsync(int institutionId, string institutionCode, long after, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        after = Math.Max(0, after);
        await SequencePendingAsync(institutionId, cancellationToken).ConfigureAwait(false);

        var rows = await db.ConfirmationFeed.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.InstitutionId == institutionId && e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .Join(db.AppConfirmations.IgnoreQueryFilters(), e => e.ConfirmationId, c => c.Id, (e, c) => new { e.Sequence, c.Id, c.ConfirmedAt, c.Purpose, c.Method, c.PersonId, c.SnapshotJson })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        rows = [.. rows.OrderBy(r => r.Sequence)];

        var references = await mapping.ReferenceNumbersAsync(institutionId, rows.Where(r => r.PersonId is not null).Select(r => r.PersonId!.Value), cancellationToken).ConfigureAwait(false);
        var results = await mapping.FromConfirmationsAsync([.. rows.Select(r => new StoredConfirmation(r.Id, r.ConfirmedAt, r.PersonId, r.SnapshotJson))], references,
            time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var entries = rows.Select((r, i) => new FeedEntry(r.Sequence!.Value, r.Id, r.ConfirmedAt, WirePurposes.ToWire(r.Purpose),
            r.Method == IdentificationMethod.Pin ? WireMethods.Pin : WireMethods.Visual, results[i])).ToList();
        return new FeedPage(institutionCode, entries, entries.Count > 0 ? entries[^1].Cursor : after);
    }

    /// <summary>Numbers the committed, unnumbered outbox rows of one institution, serialised by its counter row.</summary>
    private async Task SequencePendingAsync(int institutionId, CancellationToken cancellationToken)
    {
        var pending = db.ConfirmationFeed.IgnoreQueryFilters().Where(e => e.InstitutionId == institutionId && e.Sequence == null);
        if (!await pending.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!await db.ConfirmationFeedCounters.AnyAsync(c => c.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false))
        {
            db.ConfirmationFeedCounters.Add(new ConfirmationFeedCounter { InstitutionId = institutionId });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                // Another reader created it first: fine, it exists now.
            }

            db.ChangeTracker.Clear();
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // The no-op update takes the row lock (PostgreSQL) / the write lock (SQLite) until commit.
            await db.ConfirmationFeedCounters.Where(c => c.InstitutionId == institutionId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, c => c.LastSequence), cancellationToken).ConfigureAwait(false);
            var last = await db.ConfirmationFeedCounters.Where(c => c.InstitutionId == institutionId).Select(c => c.LastSequence)
                .SingleAsync(cancellationToken).ConfigureAwait(false);
            var batch = await pending.OrderBy(e => e.StoredAt).ThenBy(e => e.ConfirmationId).Take(1000).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var entry in batch)
            {
                entry.Sequence = ++last;
            }

            await db.ConfirmationFeedCounters.Where(c => c.InstitutionId == institutionId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, last), cancellationToken).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
        }).ConfigureAwait(false);
    }
}
