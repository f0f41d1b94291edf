using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Onshi.Server.Data;

/// <summary>
/// SQLite in write-ahead-log mode with synchronous=FULL on every connection: a commit is durable when it returns (the
/// WAL is fsynced on each commit, as the rollback journal was), readers never wait for the writer, and a commit costs
/// one fsync instead of the rollback journal's several. journal_mode is stored in the file, so setting it again is a no-op.
/// </summary>
public sealed class SqliteWriteAheadLog : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
