using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Devices;

namespace Onshi.Server.Confirmations;

/// <summary>
/// What the one write of a confirmation stores: the challenge consumed, the result, the consents, the proof's jti, and the
/// session's activity when its touch interval has passed (<paramref name="SessionToTouch"/>, as the proof ledger decided).
/// </summary>
public sealed record ConfirmationWrite(Guid ChallengeId, Guid? SessionToTouch, DateTimeOffset Now, AppConfirmation Confirmation, IReadOnlyList<ConsentRecord> Consents, UsedProof Proof, string ActorUserId);

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
            await SaveAsync([.. batch.Select(p => p.Write)]).ConfigureAwait(false);
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

    /// <summary>
    /// One transaction holding <paramref name="writes"/>, in a scope of its own. Plain ADO.NET statements built from the
    /// EF Core model (<see cref="BatchStatements"/>): EF Core's SaveChanges spent more CPU per confirmation on change
    /// tracking, ordering and SQL generation than the database spent storing the rows (docs/performance.md). On
    /// PostgreSQL the rows go in one NpgsqlBatch (one round trip); SQLite runs in process, so each statement runs on its
    /// own, compiled once per connection. A refused statement surfaces as the DbUpdateException EF Core would have thrown.
    /// </summary>
    private async Task SaveAsync(IReadOnlyList<ConfirmationWrite> writes)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var statements = BatchStatements.For(db.Model);
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
            var dbTransaction = transaction.GetDbTransaction();
            var connection = dbTransaction.Connection!;

            // A confirmation reads a person's qualification (and records their consents): it goes into the institution's
            // audit chain in the same transaction, so a confirmation without its audit line cannot exist.
            var audit = writes.Select(AuditEntryOf).ToList();
            var heads = new List<Audit.AuditChainInterceptor.HeadUpdate>(1);
            await Audit.AuditChainInterceptor.LinkAsync(dbTransaction, postgres, audit, CancellationToken.None, heads).ConfigureAwait(false);

            using var factory = connection.CreateCommand();
            var rows = new List<(string Sql, Action<DbParameterCollection> Bind, bool IsChallenge)>(writes.Count * 8);
            var sessions = new Dictionary<Guid, DateTimeOffset>();
            for (var i = 0; i < writes.Count; i++)
            {
                var write = writes[i];
                rows.Add((statements.ConsumeChallenge, p => statements.BindConsumeChallenge(factory, p, write.ChallengeId, write.Now), true));
                rows.Add((statements.Confirmation.Sql, p => statements.Confirmation.Bind(factory, p, write.Confirmation), false));
                foreach (var consent in write.Consents)
                {
                    rows.Add((statements.Consent.Sql, p => statements.Consent.Bind(factory, p, consent), false));
                }

                var feed = Receipt.ReceiptFeed.EntryFor(write.Confirmation);
                rows.Add((statements.Feed.Sql, p => statements.Feed.Bind(factory, p, feed), false));
                rows.Add((statements.Proof.Sql, p => statements.Proof.Bind(factory, p, write.Proof), false));
                var entry = audit[i];
                rows.Add((statements.Audit.Sql, p => statements.Audit.Bind(factory, p, entry), false));
                if (write.SessionToTouch is { } session)
                {
                    sessions[session] = sessions.TryGetValue(session, out var seen) && seen > write.Now ? seen : write.Now;
                }
            }

            foreach (var (session, seen) in sessions)
            {
                rows.Add((statements.TouchSession, p => statements.BindTouchSession(factory, p, session, seen), false));
            }

            foreach (var head in heads)
            {
                rows.Add((Audit.AuditChainInterceptor.HeadUpdate.Sql, p => BindPlain(factory, p, head.Parameters), false));
            }

            var challengesConsumed = 0;
            if (postgres && connection.CanCreateBatch)
            {
                await using var batch = connection.CreateBatch();
                batch.Transaction = dbTransaction;
                foreach (var (sql, bind, _) in rows)
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = sql;
                    bind(command.Parameters);
                    batch.BatchCommands.Add(command);
                }

                await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < rows.Count; i++)
                {
                    if (rows[i].IsChallenge)
                    {
                        challengesConsumed += batch.BatchCommands[i].RecordsAffected;
                    }
                }
            }
            else
            {
                foreach (var (sql, bind, isChallenge) in rows)
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = dbTransaction;
#pragma warning disable CA2100 // Built from the EF Core model's table and column names only; every value is a parameter.
                    command.CommandText = sql;
#pragma warning restore CA2100
                    bind(command.Parameters);
                    var affected = await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                    if (isChallenge)
                    {
                        challengesConsumed += affected;
                    }
                }
            }

            // "UPDATE … WHERE UsedAt IS NULL" found a used challenge: the same refusal EF Core's concurrency token gave.
            if (challengesConsumed != writes.Count)
            {
                throw new DbUpdateConcurrencyException("A challenge of this batch was already used.");
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            throw new DbUpdateException("The confirmation batch was refused by the database.", exception);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static void BindPlain(DbCommand factory, DbParameterCollection target, IEnumerable<(string Name, object Value)> values)
    {
        foreach (var (name, value) in values)
        {
            var parameter = factory.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            target.Add(parameter);
        }
    }

    private static Audit.AuditEntry AuditEntryOf(ConfirmationWrite write) => new()
    {
        OccurredAt = write.Now,
        InstitutionId = write.Confirmation.InstitutionId,
        ActorAccountId = write.Confirmation.AccountId,
        Actor = write.ActorUserId,
        Action = "app_confirmation.recorded",
        Target = write.Confirmation.PersonId is { } person ? $"person:{person}" : "person:none",
        Detail = $"confirmation={write.Confirmation.Id} purpose={write.Confirmation.Purpose} method={write.Confirmation.Method} consents={write.Consents.Count}",
        Succeeded = true,
    };

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

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} confirmation writes was refused; retrying each alone.")]
    private static partial void LogBatchRefused(ILogger logger, int count);

    private sealed record Pending(ConfirmationWrite Write, TaskCompletionSource<ConfirmationWriteResult> Completion);
}
