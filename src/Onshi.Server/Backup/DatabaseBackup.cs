using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Backup;

/// <summary>What a backup or restore did, for the operator.</summary>
public sealed record BackupSummary(DatabaseProvider Provider, string File, long Bytes);

/// <summary>
/// Backs up and restores the whole store with each provider's own consistent mechanism. SQLite: the online backup
/// API (a page-by-page copy taken under a read transaction, so it is consistent while the server keeps writing).
/// PostgreSQL: pg_dump's custom format (one repeatable-read snapshot) and pg_restore in a single transaction.
/// Restore only ever goes into an empty store: it never merges into or overwrites live data. Rules in readme.md.
/// </summary>
public sealed class DatabaseBackup
{
    private const int BusyRetries = 40;

    private static readonly byte[] SqliteMagic = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private static readonly byte[] PgDumpMagic = Encoding.ASCII.GetBytes("PGDMP");

    /// <summary>Folder holding pg_dump/pg_restore; null = PATH, then the newest /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresToolsFolder { get; init; }

    public async Task<OperationResult<BackupSummary>> BackupAsync(DatabaseOptions database, string outFile, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(outFile);
        if (File.Exists(path))
        {
            return Fail("backup.output_exists", $"出力先 {path} は既に存在します。上書きはしません。");
        }

        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // Written under a temporary name and renamed at the end: a half-written file never looks like a backup.
        var partial = path + ".partial";
        File.Delete(partial);
        try
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                await using var source = new SqliteConnection(database.ConnectionString);
                await source.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ConnectionString))
                {
                    await destination.OpenAsync(cancellationToken).ConfigureAwait(false);

                    // The online backup copies the whole file in one step and needs a moment when no writer holds the
                    // database; a busy server can hold it at that instant (SQLITE_BUSY / SQLITE_LOCKED). Try again,
                    // a bounded number of times, rather than fail a backup taken under load.
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            source.BackupDatabase(destination);
                            break;
                        }
                        catch (SqliteException busy) when (busy.SqliteErrorCode is 5 or 6 && attempt < BusyRetries)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            else
            {
                var failure = await RunPgToolAsync("pg_dump", database.ConnectionString, ["--format=custom", "--no-owner", "--no-privileges", "--file", partial], cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return Fail("backup.pg_dump_failed", $"pg_dump が失敗しました: {failure}");
                }
            }

            File.Move(partial, path);
            return OperationResult<BackupSummary>.Ok(new BackupSummary(database.Provider, path, new FileInfo(path).Length));
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task<OperationResult<BackupSummary>> RestoreAsync(DatabaseOptions database, string inFile, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(inFile);
        if (!File.Exists(path))
        {
            return Fail("backup.input_missing", $"バックアップファイル {path} がありません。");
        }

        var kind = await SniffAsync(path, cancellationToken).ConfigureAwait(false);
        if (kind != database.Provider)
        {
            return Fail("backup.wrong_format", kind is null
                ? $"{path} は Onshi のバックアップ (SQLite データベースまたは pg_dump 形式) ではありません。"
                : $"{path} は {kind} のバックアップです。{database.Provider} には復元できません。");
        }

        return database.Provider == DatabaseProvider.Sqlite
            ? await RestoreSqliteAsync(database, path, cancellationToken).ConfigureAwait(false)
            : await RestorePostgresAsync(database, path, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<OperationResult<BackupSummary>> RestoreSqliteAsync(DatabaseOptions database, string path, CancellationToken cancellationToken)
    {
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync(source, "PRAGMA integrity_check", cancellationToken).ConfigureAwait(false) is not "ok")
        {
            return Fail("backup.corrupt", $"{path} は整合性検査 (PRAGMA integrity_check) に合格しません。");
        }

        DatabaseServiceCollectionExtensions.EnsureSqliteFolderExists(database);
        await using var target = new SqliteConnection(database.ConnectionString);
        await target.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Convert.ToInt64(await ScalarAsync(target, "SELECT count(*) FROM sqlite_master", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
        {
            return NotEmpty();
        }

        source.BackupDatabase(target);
        return OperationResult<BackupSummary>.Ok(new BackupSummary(DatabaseProvider.Sqlite, path, new FileInfo(path).Length));
    }

    private async Task<OperationResult<BackupSummary>> RestorePostgresAsync(DatabaseOptions database, string path, CancellationToken cancellationToken)
    {
        await using (var target = new NpgsqlConnection(database.ConnectionString))
        {
            await target.OpenAsync(cancellationToken).ConfigureAwait(false);
            var tables = await ScalarAsync(target, "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", cancellationToken).ConfigureAwait(false);
            if (Convert.ToInt64(tables, CultureInfo.InvariantCulture) > 0)
            {
                return NotEmpty();
            }
        }

        // One transaction: a restore that fails half-way leaves the store as empty as it was.
        var failure = await RunPgToolAsync("pg_restore", database.ConnectionString, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", path], cancellationToken).ConfigureAwait(false);
        return failure is null
            ? OperationResult<BackupSummary>.Ok(new BackupSummary(DatabaseProvider.Postgres, path, new FileInfo(path).Length))
            : Fail("backup.pg_restore_failed", $"pg_restore が失敗しました: {failure}");
    }

    private static async Task<DatabaseProvider?> SniffAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[SqliteMagic.Length];
        await using var stream = File.OpenRead(path);
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == head.Length && head.AsSpan().SequenceEqual(SqliteMagic))
        {
            return DatabaseProvider.Sqlite;
        }

        return read >= PgDumpMagic.Length && head.AsSpan(0, PgDumpMagic.Length).SequenceEqual(PgDumpMagic) ? DatabaseProvider.Postgres : null;
    }

    /// <summary>Runs pg_dump/pg_restore with the connection passed through PG* variables (never on the command line, where ps shows it).</summary>
    private async Task<string?> RunPgToolAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var executable = FindPgTool(tool);
        if (executable is null)
        {
            return $"{tool} が見つかりません (postgresql-client をインストールするか、ツールのフォルダを指定してください)。";
        }

        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (tool == "pg_restore")
        {
            start.ArgumentList.Insert(0, "--dbname=" + connection.Database);
        }

        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGDATABASE"] = connection.Database;
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} could not be started.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var text = (await errors.ConfigureAwait(false)).Trim();
        _ = await output.ConfigureAwait(false);
        return process.ExitCode == 0 ? null : string.IsNullOrEmpty(text) ? $"exit code {process.ExitCode}" : text;
    }

    private string? FindPgTool(string tool)
    {
        if (PostgresToolsFolder is not null)
        {
            var configured = Path.Combine(PostgresToolsFolder, tool);
            return File.Exists(configured) ? configured : null;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", tool)).FirstOrDefault(File.Exists)
            : null;
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static OperationResult<BackupSummary> NotEmpty() =>
        Fail("backup.target_not_empty", "復元先のデータベースは空ではありません。復元は空のデータベースにのみ行います (既存のデータを上書きしません)。");

    private static OperationResult<BackupSummary> Fail(string code, string message) => OperationResult<BackupSummary>.Fail(new Refusal(code, message));
}
