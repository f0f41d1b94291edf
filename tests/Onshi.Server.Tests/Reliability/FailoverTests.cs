using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Onshi.Server.Data;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Reliability;

/// <summary>The Onshi database on a primary with a synchronous streaming standby (ReplicatedPostgres), real clock.</summary>
public sealed class SynchronousReplicaPortal : PortalFixture
{
    public ReplicatedPostgres? Pair { get; private set; }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override bool UsesFakeTime => false;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        UnavailableReason = ReplicatedPostgres.UnavailableReason;
        if (UnavailableReason is not null)
        {
            return null;
        }

        Pair = await ReplicatedPostgres.StartAsync(synchronous: true);
        return Pair.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Pair is not null)
        {
            await Pair.DisposeAsync();
        }
    }
}

/// <summary>
/// Two Onshi servers behind a round-robin proxy on one multi-host connection string, confirmations under load, and
/// the primary's machine dies: SIGKILL to every PostgreSQL process of the primary, a (simulated) detection delay,
/// pg_ctl promote on the standby. With synchronous replication every confirmation answered 2xx must be on the new
/// primary exactly once; the test reports how long the service was unavailable.
/// </summary>
public sealed class FailoverTests(SynchronousReplicaPortal portal) : IClassFixture<SynchronousReplicaPortal>
{
    /// <summary>What an operator's or a failover manager's detection costs; the measured times below include it.</summary>
    private static readonly TimeSpan DetectionDelay = TimeSpan.FromSeconds(1);

    /// <summary>The bound the docs promise for resuming after promotion (Host Recheck Seconds=1 plus one retry cycle, with room for a slow CI machine).</summary>
    private static readonly TimeSpan ResumeBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task WithSynchronousReplicationNoAcknowledgedConfirmationIsLostWhenThePrimaryDiesAndTheStandbyIsPromoted()
    {
        portal.SkipIfUnavailable();
        var pair = portal.Pair!;
        var (connectionString, clinic, patient) = await ReliabilitySetup.SeedAsync(portal);
        using var _ = clinic;
        await using var servers = await BalancedServers.StartAsync(connectionString, clinic);
        var (app, deviceId) = (servers.App, servers.DeviceId);
        var load = new ConfirmationLoad(app, patient, clinic.Code);

        // Bounded load: 3 workers, at most 40 attempts each, stopped once enough have gone through after the failover.
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(workers: 3, maxPerWorker: 40, retry: true, stop.Token);
        await WaitAsync(() => load.Acknowledged >= 10 || running.IsCompleted, TimeSpan.FromSeconds(60));
        Assert.False(running.IsCompleted, "the load finished before the failover");

        pair.KillPrimary();
        var killed = Stopwatch.StartNew();
        await Task.Delay(DetectionDelay, TestContext.Current.CancellationToken);
        var acknowledgedBeforeFailover = load.Acknowledged;
        var promoting = Stopwatch.StartNew();
        await pair.PromoteStandbyAsync();
        var promoted = promoting.Elapsed;

        // Service is back when a confirmation begun after the kill is acknowledged (nothing can be between kill and promotion).
        await WaitAsync(() => load.Acknowledged > acknowledgedBeforeFailover || running.IsCompleted, TimeSpan.FromSeconds(60));
        var resumedAfterKill = killed.Elapsed;
        var resumedAfterPromotion = promoting.Elapsed;
        if (running.IsFaulted)
        {
            // A worker's assertion (a refusal, or an attempt never acknowledged) is the real failure: show it.
            await running;
        }

        Assert.True(load.Acknowledged > acknowledgedBeforeFailover, "no confirmation was acknowledged after the promotion");
        Assert.True(resumedAfterPromotion < ResumeBound, $"service resumed {resumedAfterPromotion.TotalSeconds:0.0} s after promotion (bound {ResumeBound.TotalSeconds} s)");

        await WaitAsync(() => load.Acknowledged >= acknowledgedBeforeFailover + 10 || running.IsCompleted, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await running;

        // Read from the promoted standby itself (the old primary is dead; the pool may still hold its broken connections).
        NpgsqlConnection.ClearAllPools();
        await using (var direct = new NpgsqlConnection(ReplicatedPostgres.Direct(pair.StandbyPort)))
        {
            await direct.OpenAsync(TestContext.Current.CancellationToken);
            await using var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", direct);
            Assert.False((bool)(await recovery.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, "the standby was not promoted");
        }

        var attempts = load.Attempts.ToList();
        Assert.All(attempts, a => Assert.NotNull(a.ConfirmationId));
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.DeviceId == deviceId).Select(c => new { c.IdempotencyKey, c.Id }).ToListAsync());
        var byKey = stored.GroupBy(s => s.IdempotencyKey).ToDictionary(g => g.Key, g => g.Select(s => s.Id).ToList());
        var lost = attempts.Count(a => !byKey.ContainsKey(a.Key));
        var duplicated = byKey.Count(k => k.Value.Count > 1);
        Assert.True(lost == 0, $"{lost} acknowledged confirmations are not on the new primary");
        Assert.True(duplicated == 0, $"{duplicated} idempotency keys stored twice");
        Assert.All(attempts, a => Assert.Equal(a.ConfirmationId, byKey[a.Key].Single()));
        Assert.Equal(attempts.Count, stored.Count);
        await ReliabilitySetup.AssertIntegrityAsync(portal, ReplicatedPostgres.Direct(pair.StandbyPort));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"failover (synchronous streaming replication, 2 servers): {attempts.Count} confirmations acknowledged ({acknowledgedBeforeFailover} before the kill), "
            + $"{lost} lost, {duplicated} duplicated; promotion took {promoted.TotalSeconds:0.00} s; service resumed {resumedAfterPromotion.TotalSeconds:0.00} s after "
            + $"the promotion began, {resumedAfterKill.TotalSeconds:0.00} s after the kill (including {DetectionDelay.TotalSeconds:0} s simulated detection)");
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan bound)
    {
        var waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < bound)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
