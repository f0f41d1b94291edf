using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Onshi.Server.Audit;

/// <summary>
/// Links every new <see cref="AuditEntry"/> into its hash chain inside the transaction that saves it, so callers keep
/// using <see cref="AuditLog"/> unchanged. The chain head row is locked first (PostgreSQL: SELECT … FOR UPDATE;
/// SQLite: the transaction starts with BEGIN IMMEDIATE, the database's single writer lock), so two server processes
/// appending to the same chain take turns and never fork it. Chains are per institution, so institutions do not wait
/// for each other; heads are locked in ascending key order, so two transactions cannot deadlock on them.
/// </summary>
internal sealed class AuditChainInterceptor : SaveChangesInterceptor
{
    public static AuditChainInterceptor Instance { get; } = new();

    // Transactions this interceptor opened (the caller had none), to commit or roll back when the save ends.
    private readonly ConditionalWeakTable<DbContext, IDbContextTransaction> _owned = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        LinkAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await LinkAsync(eventData.Context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && _owned.TryGetValue(context, out var transaction))
        {
            _owned.Remove(context);
            using (transaction)
            {
                transaction.Commit();
            }
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _owned.TryGetValue(context, out var transaction))
        {
            _owned.Remove(context);
            await using (transaction.ConfigureAwait(false))
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => RollBack(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        RollBack(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => RollBack(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        RollBack(eventData.Context);
        return Task.CompletedTask;
    }

    private void RollBack(DbContext? context)
    {
        if (context is not null && _owned.TryGetValue(context, out var transaction))
        {
            _owned.Remove(context);
            using (transaction)
            {
                transaction.Rollback();
            }
        }
    }

    private async Task LinkAsync(DbContext? context, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return;
        }

        var added = context.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return;
        }

        if (context.Database.CurrentTransaction is null)
        {
            _owned.AddOrUpdate(context, await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false));
        }

        await LinkAsync(context.Database.CurrentTransaction!.GetDbTransaction(), context.Database.IsNpgsql(), added, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Links <paramref name="added"/> into their chains inside <paramref name="transaction"/>: the one implementation of the
    /// chain rules, used by this interceptor and by writers that store rows without EF Core's SaveChanges (the
    /// confirmation group commit).
    /// </summary>
    /// <remarks>
    /// With <paramref name="headUpdates"/>, the chain heads' new values are handed to the caller, which must run them in
    /// the same transaction before it commits (the group commit sends them with its rows, in one round trip).
    /// </remarks>
    internal static async Task LinkAsync(DbTransaction transaction, bool postgres, IReadOnlyList<AuditEntry> added, CancellationToken cancellationToken,
        ICollection<HeadUpdate>? headUpdates = null)
    {
        foreach (var chain in added.GroupBy(e => e.InstitutionId ?? 0).OrderBy(g => g.Key))
        {
            var (sequence, previous) = await LockHeadAsync(transaction, postgres, chain.Key, cancellationToken).ConfigureAwait(false);
            foreach (var entry in chain)
            {
                entry.ChainKey = chain.Key;
                entry.OccurredAt = AuditChainHash.Canonical(entry.OccurredAt);
                entry.Sequence = ++sequence;
                entry.PreviousHash = previous;
                entry.Hash = AuditChainHash.Compute(entry);
                previous = entry.Hash;
            }

            var head = new HeadUpdate(chain.Key, sequence, previous);
            if (headUpdates is not null)
            {
                headUpdates.Add(head);
                continue;
            }

            await using var update = Command(transaction, HeadUpdate.Sql, [.. head.Parameters]);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The new head of one chain: its last sequence and hash.</summary>
    internal sealed record HeadUpdate(int Key, long Sequence, string Hash)
    {
        public static readonly string Sql =
            $"UPDATE {Quote(AuditChainHead.Table)} SET {Quote("LastSequence")} = @sequence, {Quote("LastHash")} = @hash WHERE {Quote("ChainKey")} = @key";

        public IEnumerable<(string Name, object Value)> Parameters => [("key", Key), ("sequence", Sequence), ("hash", Hash)];
    }

    private static async Task<(long Sequence, string Hash)> LockHeadAsync(DbTransaction transaction, bool postgres, int key, CancellationToken cancellationToken)
    {
        var table = Quote(AuditChainHead.Table);
        var columns = $"{Quote("ChainKey")}, {Quote("LastSequence")}, {Quote("LastHash")}";
        var insert = postgres
            ? $"INSERT INTO {table} ({columns}) VALUES (@key, 0, @genesis) ON CONFLICT DO NOTHING"
            : $"INSERT OR IGNORE INTO {table} ({columns}) VALUES (@key, 0, @genesis)";
        // Created if missing and locked in one command: one round trip on PostgreSQL.
        var select = $"SELECT {Quote("LastSequence")}, {Quote("LastHash")} FROM {table} WHERE {Quote("ChainKey")} = @key" + (postgres ? " FOR UPDATE" : "");
        await using var read = Command(transaction, insert + ";\n" + select, ("key", key), ("genesis", AuditChainHash.Genesis));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            // The INSERT's result (no columns) comes first on some providers; the head row is the SELECT's.
            if (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return (reader.GetInt64(0), reader.GetString(1));
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        throw new InvalidOperationException("The audit chain head could not be created.");
    }

    // Both providers quote identifiers with double quotes; the migrations created the names with this exact case.
    private static string Quote(string name) => $"\"{name}\"";

    private static DbCommand Command(DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The text is built from constant identifiers only; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
