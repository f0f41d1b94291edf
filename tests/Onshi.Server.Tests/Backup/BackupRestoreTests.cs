using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Backup;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Tests.Accounts;
using Onshi.Server.Tests.ActivationCodes;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Backup;

/// <summary>
/// Backup while the server keeps writing, restore into an empty store, then every table compared row by row and the
/// audit chains verified on the copy; and the refusals (non-empty target, existing output, wrong file).
/// </summary>
public abstract class BackupRestoreTests(PortalFixture portal) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onshi-backup-tests", Guid.NewGuid().ToString("N"));
    private readonly List<string> _databases = [];

    [Fact]
    public async Task RestoresABackupTakenUnderLoadIntoAnEmptyStoreIdentically()
    {
        var institution = await portal.CreateInstitutionAsync("バックアップ薬局");
        using (var admin = await portal.AdministratorAsync(institution))
        {
            await AccountManagementTests.CreateStaffAsync(admin, "viewer1");
            await AccountManagementTests.CreateStaffAsync(admin, "clerk1", AccountRole.General);
            await ActivationCodeTests.IssueAsync(admin, "受付のスマホ");
            await ActivationCodeTests.IssueAsync(admin, "診察室のスマホ");
        }

        // Writers keep appending to the audit log while the backup runs: the copy must still be one consistent moment.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 400 && !stop.IsCancellationRequested; i++)
            {
                await using var scope = portal.Factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordNowAsync(Actor.Operator, institution.Id, "test.load", $"n:{i}", null, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);

        var source = SourceDatabase();
        var file = Path.Combine(_folder, "onshi.backup");
        var backup = await new DatabaseBackup().BackupAsync(source, file, TestContext.Current.CancellationToken);
        Assert.True(backup.Succeeded, backup.Refusal?.Message);
        await stop.CancelAsync();
        await writer;

        // A snapshot of the source as it is now cannot be compared with the earlier backup, so restore twice:
        // the under-load backup must verify; a quiet second backup must match the live store row for row.
        var underLoad = await EmptyTargetAsync();
        var restored = await new DatabaseBackup().RestoreAsync(underLoad, file, TestContext.Current.CancellationToken);
        Assert.True(restored.Succeeded, restored.Refusal?.Message);
        var loadReports = await VerifyAsync(underLoad);
        Assert.NotEmpty(loadReports);
        Assert.All(loadReports, r => Assert.True(r.Intact, r.Break?.Explanation));

        var quietFile = Path.Combine(_folder, "quiet.backup");
        Assert.True((await new DatabaseBackup().BackupAsync(source, quietFile, TestContext.Current.CancellationToken)).Succeeded);
        var quiet = await EmptyTargetAsync();
        Assert.True((await new DatabaseBackup().RestoreAsync(quiet, quietFile, TestContext.Current.CancellationToken)).Succeeded);

        var expected = await DumpAsync(source);
        var actual = await DumpAsync(quiet);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (table, rows) in expected)
        {
            Assert.Equal(rows, actual[table]);
        }

        Assert.Contains("AuditEntries", expected.Keys);
        Assert.True(expected["Accounts"].Count >= 3 && expected["ActivationCodes"].Count >= 2 && expected["AuditEntries"].Count > 10);
        Assert.All(await VerifyAsync(quiet), r => Assert.True(r.Intact, r.Break?.Explanation));
    }

    [Fact]
    public async Task RefusesToRestoreIntoAStoreThatHoldsData()
    {
        await portal.CreateInstitutionAsync();
        var file = Path.Combine(_folder, "refuse.backup");
        Assert.True((await new DatabaseBackup().BackupAsync(SourceDatabase(), file, TestContext.Current.CancellationToken)).Succeeded);
        var before = await DumpAsync(SourceDatabase());

        var result = await new DatabaseBackup().RestoreAsync(SourceDatabase(), file, TestContext.Current.CancellationToken);

        Assert.Equal("backup.target_not_empty", result.Refusal?.Code);
        Assert.Equal(before.Keys.Order(), (await DumpAsync(SourceDatabase())).Keys.Order());
    }

    [Fact]
    public async Task RefusesToOverwriteAnExistingFileOrRestoreSomethingElse()
    {
        portal.SkipIfUnavailable();
        var existing = Path.Combine(_folder, "existing.txt");
        await File.WriteAllTextAsync(existing, "operator's notes", TestContext.Current.CancellationToken);

        var backup = await new DatabaseBackup().BackupAsync(SourceDatabase(), existing, TestContext.Current.CancellationToken);
        Assert.Equal("backup.output_exists", backup.Refusal?.Code);
        Assert.Equal("operator's notes", await File.ReadAllTextAsync(existing, TestContext.Current.CancellationToken));

        var restore = await new DatabaseBackup().RestoreAsync(await EmptyTargetAsync(), existing, TestContext.Current.CancellationToken);
        Assert.Equal("backup.wrong_format", restore.Refusal?.Code);
        var missing = await new DatabaseBackup().RestoreAsync(await EmptyTargetAsync(), Path.Combine(_folder, "nope"), TestContext.Current.CancellationToken);
        Assert.Equal("backup.input_missing", missing.Refusal?.Code);
    }

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            await using var connection = new NpgsqlConnection(AdminConnection());
            await connection.OpenAsync();
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private DatabaseOptions SourceDatabase() =>
        portal.Factory.Services.GetRequiredService<IConfiguration>().GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()!;

    private async Task<DatabaseOptions> EmptyTargetAsync()
    {
        if (portal.Provider == DatabaseProvider.Sqlite)
        {
            return new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db")}" };
        }

        var name = "onshi_restore_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(AdminConnection());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8'", connection);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        _databases.Add(name);
        return new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ONSHI_TEST_POSTGRES")) { Database = name }.ConnectionString,
        };
    }

    private static string AdminConnection() =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ONSHI_TEST_POSTGRES")) { Database = "postgres", Pooling = false }.ConnectionString;

    private static async Task<IReadOnlyList<AuditChainReport>> VerifyAsync(DatabaseOptions database)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(options, database.Provider, database.ConnectionString);
        await using var db = new AppDbContext(options.Options);
        return await new AuditChainVerifier(db).VerifyAsync(null, TestContext.Current.CancellationToken);
    }

    /// <summary>Every user table, every row, every column, as invariant text in primary-key order.</summary>
    private static async Task<Dictionary<string, List<string>>> DumpAsync(DatabaseOptions database)
    {
        await using DbConnection connection = database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(database.ConnectionString)
            : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = database.Provider == DatabaseProvider.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
            await using var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var rows = new List<string>();
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + "=" + Text(reader.GetValue(i)))));
            }

            rows.Sort(StringComparer.Ordinal);
            dump[table] = rows;
        }

        return dump;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

public sealed class BackupRestoreTestsOnSqlite(SqlitePortal portal) : BackupRestoreTests(portal), IClassFixture<SqlitePortal>;

public sealed class BackupRestoreTestsOnPostgres(PostgresPortal portal) : BackupRestoreTests(portal), IClassFixture<PostgresPortal>;
