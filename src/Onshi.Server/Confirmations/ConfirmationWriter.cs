using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.AppSessions;
using Onshi.Server.Challenges;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Devices;

namespace Onshi.Server.Confirmations;

/// <summary>What the one write of a confirmation stores: the challenge consumed, the result, the consents, the proof's jti, the session's activity.</summary>
public sealed record ConfirmationWrite(Guid ChallengeId, Guid SessionId, DateTimeOffset Now, AppConfirmation Confirmation, IReadOnlyList<ConsentRecord> Consents, UsedProof Proof, string ActorUserId);

public enum ConfirmationWriteResult
{
    Committed,

    /// <summary>The challenge was consumed by another request first (its UsedAt concurrency check failed).</summary>
    ChallengeUsed,

    /// <summary>A unique index refused the write: the Idempotency-Key raced in twice or the proof's jti was replayed.</summary>
    UniqueViolation,
}

/// <summary>
/// Group commit for the confirmation hot path (docs/performance.md "Confirmation throughput"): one writer takes every
/// confirmation waiting at that moment and stores them in one transaction, so one durable commit (one fsync) carries
/// many answers. Each request gets its answer only after the transaction holding its rows has committed, so an
/// acknowledged confirmation survives a power cut exactly as before. If the batch is refused (a used challenge, a
/// replayed jti, a raced Idempotency-Key) it is rolled back and every write is retried alone, so each request gets
/// the same refusal it would have had without batching. Two writes that touch the same challenge, proof or key never
/// share a batch.
/// </summary>
public sealed partial class ConfirmationWriter : IDisposable
{
    /// <summary>Upper bound of one transaction; enough to amortise an fsync, small enough to keep p99 low.</summary>
    public const int MaximumBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<ConfirmationWriter> _logger;
    private readonly Task _loop;

    public ConfirmationWriter(IServiceScopeFactory scopes, ILogger<ConfirmationWriter> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues the write and completes once it is committed (or refused). Not cancellable: a write either commits or not.</summary>
    public Task<ConfirmationWriteResult> WriteAsync(ConfirmationWrite write)
    {
        var pending = new Pending(write, new TaskCompletionSource<ConfirmationWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var carried = new List<Pending>();
        while (carried.Count > 0 || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<Pending>(Math.Min(MaximumBatch, Math.Max(carried.Count, 16)));
            var next = new List<Pending>();
            var challenges = new HashSet<Guid>();
            var proofs = new HashSet<string>(StringComparer.Ordinal);
            var keys = new HashSet<(Guid, Guid)>();

            void Take(Pending pending)
            {
                var write = pending.Write;
                var proof = Convert.ToHexString(write.Proof.Key);
                if (batch.Count >= MaximumBatch || !challenges.Add(write.ChallengeId) | !proofs.Add(proof) | !keys.Add((write.Confirmation.DeviceId, write.Confirmation.IdempotencyKey)))
                {
                    next.Add(pending);
                    return;
                }

                batch.Add(pending);
            }

            foreach (var pending in carried)
            {
                Take(pending);
            }

            while (batch.Count < MaximumBatch && reader.TryRead(out var pending))
            {
                Take(pending);
            }

            carried = next;
            if (batch.Count == 0)
            {
                continue;
            }

            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            await SaveAsync(batch.Select(p => p.Write)).ConfigureAwait(false);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult(ConfirmationWriteResult.Committed);
            }

            return;
        }
        catch (DbUpdateException) when (batch.Count > 1)
        {
            LogBatchRefused(_logger, batch.Count);
        }
        catch (DbUpdateException exception)
        {
            Complete(batch[0], exception);
            return;
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }

            return;
        }

        // The batch held at least one refused write: find it (and the rest's fate) one transaction at a time.
        foreach (var pending in batch)
        {
            try
            {
                await SaveAsync([pending.Write]).ConfigureAwait(false);
                pending.Completion.TrySetResult(ConfirmationWriteResult.Committed);
            }
            catch (DbUpdateException exception)
            {
                Complete(pending, exception);
            }
            catch (Exception exception)
            {
                pending.Completion.TrySetException(exception);
            }
        }
    }

    /// <summary>One transaction holding <paramref name="writes"/>, in a scope (and context) of its own.</summary>
    private async Task SaveAsync(IEnumerable<ConfirmationWrite> writes)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Apply(db, writes);
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static void Complete(Pending pending, DbUpdateException exception)
    {
        if (exception is DbUpdateConcurrencyException)
        {
            pending.Completion.TrySetResult(ConfirmationWriteResult.ChallengeUsed);
        }
        else if (UniqueViolation.Is(exception))
        {
            pending.Completion.TrySetResult(ConfirmationWriteResult.UniqueViolation);
        }
        else
        {
            pending.Completion.TrySetException(exception);
        }
    }

    private static void Apply(AppDbContext db, IEnumerable<ConfirmationWrite> writes)
    {
        // Every change below is stated explicitly (added, or marked modified through the entry), so EF Core need not
        // scan every tracked entity for changes, repeatedly, while saving a batch of hundreds.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var sessions = new Dictionary<Guid, DateTimeOffset>();
        foreach (var write in writes)
        {
            // Consumed only if still unused: UsedAt is a concurrency token, so "UPDATE … WHERE UsedAt IS NULL".
            var challenge = new Challenge { Id = write.ChallengeId, Value = [] };
            db.Challenges.Attach(challenge);
            db.Entry(challenge).Property(c => c.UsedAt).CurrentValue = write.Now;
            db.AppConfirmations.Add(write.Confirmation);
            db.ConsentRecords.AddRange(write.Consents);
            db.UsedProofs.Add(write.Proof);

            // A confirmation reads a person's qualification (and records their consents): it goes into the institution's
            // audit chain in the same transaction, so a confirmation without its audit line cannot exist.
            db.AuditEntries.Add(new Audit.AuditEntry
            {
                OccurredAt = write.Now,
                InstitutionId = write.Confirmation.InstitutionId,
                ActorAccountId = write.Confirmation.AccountId,
                Actor = write.ActorUserId,
                Action = "app_confirmation.recorded",
                Target = write.Confirmation.PersonId is { } person ? $"person:{person}" : "person:none",
                Detail = $"confirmation={write.Confirmation.Id} purpose={write.Confirmation.Purpose} method={write.Confirmation.Method} consents={write.Consents.Count}",
                Succeeded = true,
            });
            sessions[write.SessionId] = sessions.TryGetValue(write.SessionId, out var seen) && seen > write.Now ? seen : write.Now;
        }

        foreach (var (sessionId, seen) in sessions)
        {
            AppSessionActivity.Touch(db, sessionId, seen);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} confirmation writes was refused; retrying each alone.")]
    private static partial void LogBatchRefused(ILogger logger, int count);

    private sealed record Pending(ConfirmationWrite Write, TaskCompletionSource<ConfirmationWriteResult> Completion);
}
