using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Onshi.Server.Data;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Reliability;

/// <summary>
/// SIGKILLs a real server process repeatedly in the middle of a confirmation load and checks, after every restart, that
/// each acknowledged confirmation is stored exactly once, that retrying the unacknowledged ones with their
/// Idempotency-Key yields exactly one record each, and that the store passes its integrity check.
/// </summary>
public abstract class CrashConsistencyTests(PortalFixture portal)
{
    private const int Cycles = 5;

    [Fact]
    public async Task EveryAcknowledgedConfirmationSurvivesRepeatedKillsExactlyOnce()
    {
        portal.SkipIfUnavailable();
        var (connectionString, clinic, patient) = await ReliabilitySetup.SeedAsync(portal);
        using var _ = clinic;
        await using var server = new ServerProcess(portal.Provider, connectionString);
        await server.StartAsync();
        using var app = new AppClient(new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(20) }, TimeProvider.System);
        var deviceId = await ReliabilitySetup.ActivateAsync(app, clinic);
        var load = new ConfirmationLoad(app, patient, clinic.Code);
        var random = new Random(8);
        int retried = 0, committedBeforeKill = 0;

        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            using var stop = new CancellationTokenSource();
            var before = load.Acknowledged;
            var running = load.RunAsync(workers: 2, maxPerWorker: 200, retry: false, stop.Token);

            // Let a few confirmations through, then kill mid-flight (bounded wait).
            var waited = Stopwatch.StartNew();
            while (load.Acknowledged < before + 3 && waited.Elapsed < TimeSpan.FromSeconds(60) && !running.IsCompleted)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            await Task.Delay(random.Next(0, 400), TestContext.Current.CancellationToken);
            await server.KillAsync();
            await stop.CancelAsync();
            await running;

            await server.StartAsync();
            foreach (var attempt in load.Attempts.Where(a => a.ConfirmationId is null))
            {
                Assert.True(await load.SendWithRetriesAsync(attempt), $"cycle {cycle}: retry of {attempt.Key} not acknowledged");
                retried++;
                committedBeforeKill += attempt.AcknowledgedWith == HttpStatusCode.OK ? 1 : 0;
            }

            await AssertStoredExactlyOnceAsync(deviceId, load, cycle);
            await ReliabilitySetup.AssertIntegrityAsync(portal, connectionString);
        }

        Assert.True(load.Acknowledged >= Cycles * 3, $"only {load.Acknowledged} confirmations");
        TestContext.Current.TestOutputHelper?.WriteLine($"crash consistency ({portal.Provider}): {Cycles} kills survived, {load.Acknowledged} confirmations, "
            + $"{retried} unacknowledged at a kill and retried ({committedBeforeKill} had been committed: answered 200 with the same id), 0 lost, 0 duplicated");
    }

    private async Task AssertStoredExactlyOnceAsync(Guid deviceId, ConfirmationLoad load, int cycle)
    {
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.DeviceId == deviceId).Select(c => new { c.IdempotencyKey, c.Id }).ToListAsync());
        var attempts = load.Attempts.ToList();
        Assert.All(attempts, a => Assert.NotNull(a.ConfirmationId));
        Assert.True(stored.Count == attempts.Count, $"cycle {cycle}: {stored.Count} stored for {attempts.Count} attempts");
        var byKey = stored.GroupBy(s => s.IdempotencyKey).ToDictionary(g => g.Key, g => g.Select(s => s.Id).ToList());
        foreach (var attempt in attempts)
        {
            Assert.True(byKey.TryGetValue(attempt.Key, out var ids) && ids.Count == 1 && ids[0] == attempt.ConfirmationId,
                $"cycle {cycle}: attempt {attempt.Key} (id {attempt.ConfirmationId}) stored as [{string.Join(",", ids ?? [])}]");
        }
    }
}

/// <summary>What the out-of-process tests share: seeding through the in-process server, activation, integrity checks.</summary>
public static class ReliabilitySetup
{
    private static readonly string[] DurableJournalModes = ["delete", "wal"];

    /// <summary>An institution, a staff account, a linked patient and the current CRL, all on the real clock.</summary>
    public static async Task<(string ConnectionString, Clinic Clinic, Patient Patient)> SeedAsync(PortalFixture portal)
    {
        // The external server runs on the real clock: cards, CRL and proofs must be made on it too.
        portal.Time.SetUtcNow(TimeProvider.System.GetUtcNow());
        var connectionString = portal.Factory.Services.GetRequiredService<IConfiguration>()["Database:ConnectionString"]!;
        var clinic = await portal.ClinicAsync("障害試験クリニック");
        var patient = await portal.PatientAsync();
        await portal.LoadCrlAsync();
        return (connectionString, clinic, patient);
    }

    public static async Task<Guid> ActivateAsync(AppClient app, Clinic clinic, string? code = null)
    {
        var activated = await app.ActivateAsync(clinic, code);
        Assert.True(activated.Status == HttpStatusCode.Created, activated.Body?.ToJsonString());
        var login = await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword);
        Assert.True(login.Status == HttpStatusCode.Created, login.Body?.ToJsonString());
        return Guid.Parse(activated.Str("deviceId"));
    }

    /// <summary>SQLite: integrity_check, foreign_key_check and a durable journal; PostgreSQL: amcheck on every B-tree index when installable, and consistency queries.</summary>
    public static async Task AssertIntegrityAsync(PortalFixture portal, string connectionString)
    {
        if (portal.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check"));
            Assert.Null(await ScalarAsync(connection, "PRAGMA foreign_key_check"));

            // Durability, on a connection configured exactly as the server's (AddOnshiDatabase, interceptors included):
            // rollback journal or WAL, with synchronous=FULL (2).
            var (journal, synchronous) = await portal.QueryAsync(async db =>
            {
                await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
                var own = db.Database.GetDbConnection();
                return (await ScalarAsync(own, "PRAGMA journal_mode"), await ScalarAsync(own, "PRAGMA synchronous"));
            });
            Assert.Contains(journal, DurableJournalModes);
            Assert.Equal("2", synchronous);
        }
        else
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            var amcheck = false;
            try
            {
                await ScalarAsync(connection, "CREATE EXTENSION IF NOT EXISTS amcheck");
                amcheck = true;
            }
            catch (PostgresException)
            {
                // Not installed or not permitted: the consistency queries below still run.
            }

            if (amcheck)
            {
                await ScalarAsync(connection, """
                    SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
                    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                    WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace
                    """);
            }
        }

        // Both providers: no consent without its confirmation, no confirmation twice for one key.
        var orphans = await portal.QueryAsync(async db =>
            await db.ConsentRecords.IgnoreQueryFilters().CountAsync(r => !db.AppConfirmations.IgnoreQueryFilters().Any(c => c.Id == r.ConfirmationId))
            + await db.AppConfirmations.IgnoreQueryFilters().GroupBy(c => new { c.DeviceId, c.IdempotencyKey }).CountAsync(g => g.Count() > 1));
        Assert.Equal(0, orphans);
    }

    private static async Task<string?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class RealClockSqlitePortal : SqlitePortal
{
    protected override bool UsesFakeTime => false;
}

public sealed class RealClockPostgresPortal : PostgresPortal
{
    protected override bool UsesFakeTime => false;
}

public sealed class CrashConsistencyTestsOnSqlite(RealClockSqlitePortal portal) : CrashConsistencyTests(portal), IClassFixture<RealClockSqlitePortal>;

public sealed class CrashConsistencyTestsOnPostgres(RealClockPostgresPortal portal) : CrashConsistencyTests(portal), IClassFixture<RealClockPostgresPortal>;
