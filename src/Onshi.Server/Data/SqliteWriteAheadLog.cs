using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Onshi.Server.Data;

/// <summary>
/// SQLite in write-ahead-log mode with synchronous=FULL on every connection: a commit is durable when it returns (the
/// WAL is fsynced on each commit, as the rollback journal was), readers never wait for the writer, and a commit costs
/// one fsync instead of the rollback journal's several. journal_mode is stored in the file, so setting it again is a no-op.
/// <para>
/// Both settings belong to the native connection and survive its trips through Microsoft.Data.Sqlite's pool, so they
/// are set once per native connection (the first time it is opened), not on every EF Core open — which happens several
/// times per request. A connection that has not been set up is never used without them: the first open runs them.
/// </para>
/// </summary>
public sealed class SqliteWriteAheadLog : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";

    // Keyed by the native handle object; the entry goes when the handle is collected (connection closed for good).
    private static readonly ConditionalWeakTable<object, object> Configured = [];
    private static readonly object Done = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsConfigured(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkConfigured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsConfigured(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        MarkConfigured(connection);
    }

    private static bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Configured.TryAdd(handle, Done);
        }
    }
}
