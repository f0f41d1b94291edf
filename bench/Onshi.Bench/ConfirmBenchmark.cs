using System.Globalization;
using System.Net;
using Onshi.Server.Data;

namespace Onshi.Bench;

/// <summary>
/// <c>confirm</c>: for each store and population size, prepares a world, starts the server in its own process, then
/// for each repetition and concurrency measures the baseline and full PIN-mode confirmations (docs/performance.md).
/// </summary>
public static class ConfirmBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var stores = args.Texts("store", "sqlite,postgres");
        var populations = args.Ints("persons", "10k");
        var concurrencies = args.Ints("concurrency", "1,8,32,64");
        var duration = args.Duration("duration", "20s");
        var requests = args.Count("requests", 5000);
        var cards = args.Count("cards", 2000);
        var devices = args.Count("devices", 64);
        var revoked = args.Count("revoked", 10_000);
        var repeat = args.Count("repeat", 3);
        var port = args.Count("port", 5190);
        var serverGc = args.Text("server-gc", "true");
        var root = Path.Combine(Path.GetTempPath(), "onshi-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var all = new List<(string Store, int Persons, PhaseResult Baseline, PhaseResult Full, double Load)>();
        var roundTrips = new List<(string Store, int Persons, int Concurrency, int Confirmations, long RoundTrips, long Idle, long Syncs)>();
        Console.WriteLine($"# confirm: stores {string.Join(',', stores)}, persons {string.Join(',', populations)}, concurrency {string.Join(',', concurrencies)}, " +
            $"duration {duration.TotalSeconds:0} s, ≤ {requests:N0} confirmations per phase, {cards:N0} cards, {devices} devices, CRL {revoked:N0}, repeat {repeat}, server GC {serverGc}");
        try
        {
            foreach (var store in stores)
            {
                var provider = store.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
                using var postgres = provider == DatabaseProvider.Postgres ? PrivatePostgres.Start(args.Count("pg-port", 55499)) : null;
                foreach (var persons in populations)
                {
                    var folder = Path.Combine(root, $"{store}-{persons}");
                    var connection = postgres?.ConnectionString("onshi_bench_" + persons.ToString(CultureInfo.InvariantCulture))
                        ?? "Data Source=" + Path.Combine(folder, "onshi.db");
                    BenchWorld.Log($"{store}, {persons:N0} persons: preparing");
                    using var world = await BenchWorld.PrepareAsync(provider, connection, folder, persons, cards, devices, revoked, cancellationToken).ConfigureAwait(false);
                    using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
                    {
                        ["Database__Provider"] = provider.ToString(),
                        ["Database__ConnectionString"] = connection,
                        ["Jpki__TrustAnchors"] = world.AnchorFolder,
                        ["Bench__InstitutionCode"] = world.InstitutionCode,
                        ["DOTNET_gcServer"] = serverGc == "true" ? "1" : "0",
                        ["ONSHI_BENCH_SQL_DUMP"] = args.Flag("sql-profile") ? Path.Combine(folder, "statements.sql") : "",
                        // Subscribing to EF Core's diagnostic events costs the server time; only when a profile is asked for.
                        ["ONSHI_BENCH_SQL_PROFILE"] = args.Flag("sql-profile") ? "1" : "",
                    }, port, Path.Combine(folder, "server.log"), cancellationToken).ConfigureAwait(false);

                    var baseline = PreparedRequests.Baseline(world, Math.Min(world.Cards.Count, 1000));
                    await WarmUpAsync(world, server, baseline, cancellationToken).ConfigureAwait(false);
                    for (var run = 1; run <= repeat; run++)
                    {
                        foreach (var concurrency in concurrencies)
                        {
                            var b = await LoadRunner.RunAsync("baseline", server.Address, baseline, cycle: true, 5_000_000, concurrency, duration, HttpStatusCode.OK, server, cancellationToken).ConfigureAwait(false);
                            var prepared = await PreparedRequests.ConfirmationsAsync(world, requests, cancellationToken).ConfigureAwait(false);
                            var f = await LoadRunner.RunAsync("full", server.Address, prepared, cycle: false, requests, concurrency, duration, HttpStatusCode.Created, server, cancellationToken).ConfigureAwait(false);
                            var load = LoadAverage();
                            if (args.Flag("sql-profile"))
                            {
                                using var client = new HttpClient { BaseAddress = server.Address };
                                Console.WriteLine(await client.GetStringAsync(new Uri("/bench/sql", UriKind.Relative), cancellationToken).ConfigureAwait(false));
                            }

                            all.Add((store, persons, b, f, load));
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"run {run} {store,-8} {persons,10:N0} c={concurrency,3}  baseline {b.Throughput,8:N0}/s p99 {b.P99,7:0.0} ms | full {f.Throughput,7:N0}/s ({f.Completed:N0} in {f.Seconds:0.0} s) p50 {f.P50,6:0.0} p99 {f.P99,7:0.0} p99.9 {f.P999,7:0.0} ms errors {f.Errors + b.Errors} | server CPU/req baseline {b.ServerCpuMsPerRequest:0.00} ms full {f.ServerCpuMsPerRequest:0.00} ms | ratio {f.Throughput / b.Throughput,5:P0} | server peak {f.ServerPeakMiB:0} MiB | load {load:0.0}"));
                            if (f.FirstError is not null || b.FirstError is not null)
                            {
                                Console.WriteLine("  first error: " + (f.FirstError ?? b.FirstError));
                            }
                        }
                    }

                    if (postgres is not null)
                    {
                        await CountRoundTripsAsync(world, postgres, connection, concurrencies, port + 1, folder, roundTrips, store, persons, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(root) && !args.Flag("keep"))
            {
                Directory.Delete(root, recursive: true);
            }

            ServerProcess.DeleteKeyEncryptionFile();
        }

        PrintMedians(all);
        PrintRoundTrips(roundTrips);
        return all.Any(r => r.Full.Errors + r.Baseline.Errors > 0) ? 1 : 0;
    }

    private static async Task WarmUpAsync(BenchWorld world, ServerProcess server, PreparedRequest[] baseline, CancellationToken cancellationToken)
    {
        var b = await LoadRunner.RunAsync("warm-up", server.Address, baseline, cycle: true, 2000, 8, TimeSpan.FromSeconds(30), HttpStatusCode.OK, server, cancellationToken).ConfigureAwait(false);
        var prepared = await PreparedRequests.ConfirmationsAsync(world, 400, cancellationToken).ConfigureAwait(false);
        var f = await LoadRunner.RunAsync("warm-up", server.Address, prepared, cycle: false, 400, 8, TimeSpan.FromSeconds(60), HttpStatusCode.Created, server, cancellationToken).ConfigureAwait(false);
        if (b.Errors > 0 || f.Errors > 0)
        {
            throw new InvalidOperationException($"warm-up failed: {b.FirstError ?? f.FirstError}");
        }

        BenchWorld.Log($"warm-up done (baseline {b.Throughput:N0}/s, full {f.Throughput:N0}/s)");
    }

    /// <summary>
    /// Round trips per full confirmation on PostgreSQL, counted on the wire by <see cref="PostgresRoundTripCounter"/> in
    /// a phase of its own (a second server process whose connections pass through the relay; never timed). The idle
    /// count is what the server's background work (revocation sync, bulk-job polling) sent during an equal idle time.
    /// </summary>
    private static async Task CountRoundTripsAsync(BenchWorld world, PrivatePostgres postgres, string connection, IReadOnlyList<int> concurrencies, int port, string folder,
        List<(string, int, int, int, long, long, long)> roundTrips, string store, int persons, CancellationToken cancellationToken)
    {
        using var counter = PostgresRoundTripCounter.Start(postgres.Port);
        var relayed = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Port = counter.Port }.ConnectionString;
        using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = DatabaseProvider.Postgres.ToString(),
            ["Database__ConnectionString"] = relayed,
            ["Jpki__TrustAnchors"] = world.AnchorFolder,
            ["Bench__InstitutionCode"] = world.InstitutionCode,
        }, port, Path.Combine(folder, "server-counted.log"), cancellationToken).ConfigureAwait(false);
        var warm = await PreparedRequests.ConfirmationsAsync(world, 200, cancellationToken).ConfigureAwait(false);
        await LoadRunner.RunAsync("count warm-up", server.Address, warm, cycle: false, 200, 8, TimeSpan.FromSeconds(60), HttpStatusCode.Created, server, cancellationToken).ConfigureAwait(false);
        foreach (var concurrency in concurrencies)
        {
            var prepared = await PreparedRequests.ConfirmationsAsync(world, 1000, cancellationToken).ConfigureAwait(false);
            var before = counter.RoundTrips;
            var syncsBefore = counter.Syncs;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var phase = await LoadRunner.RunAsync("count", server.Address, prepared, cycle: false, 1000, concurrency, TimeSpan.FromSeconds(60), HttpStatusCode.Created, server, cancellationToken).ConfigureAwait(false);
            var counted = counter.RoundTrips - before;
            var syncs = counter.Syncs - syncsBefore;
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var idleBefore = counter.RoundTrips;
            await Task.Delay(elapsed, cancellationToken).ConfigureAwait(false);
            var idle = counter.RoundTrips - idleBefore;
            roundTrips.Add((store, persons, concurrency, phase.Completed, counted, idle, syncs));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round trips {store} {persons:N0} c={concurrency}: {counted:N0} for {phase.Completed:N0} confirmations ({phase.Errors} errors) = {(double)counted / Math.Max(1, phase.Completed):0.00} per confirmation ({syncs:N0} Sync/Query messages); idle {idle:N0} in {elapsed.TotalSeconds:0.0} s"));
        }
    }

    private static void PrintRoundTrips(List<(string Store, int Persons, int Concurrency, int Confirmations, long RoundTrips, long Idle, long Syncs)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| store | persons | c | confirmations | round trips (turns on the wire) | per confirmation | Sync + Query messages per confirmation | background round trips in the same time |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Persons:N0} | {r.Concurrency} | {r.Confirmations:N0} | {r.RoundTrips:N0} | {(double)(r.RoundTrips - r.Idle) / Math.Max(1, r.Confirmations):0.00} | {(double)r.Syncs / Math.Max(1, r.Confirmations):0.00} | {r.Idle:N0} |"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void PrintMedians(List<(string Store, int Persons, PhaseResult Baseline, PhaseResult Full, double Load)> all)
    {
        Console.WriteLine();
        Console.WriteLine("| store | persons | concurrency | runs | baseline /s | full /s | full/baseline | p50 ms | p99 ms | p99.9 ms | errors | server CPU ms/req baseline | server CPU ms/req full | server peak MiB | load avg (1 min) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in all.GroupBy(r => (r.Store, r.Persons, r.Full.Concurrency)))
        {
            var rows = group.ToList();
            var baseline = Median(rows.Select(r => r.Baseline.Throughput));
            var full = Median(rows.Select(r => r.Full.Throughput));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Store} | {group.Key.Persons:N0} | {group.Key.Concurrency} | {rows.Count} | {baseline:N0} | {full:N0} | {Median(rows.Select(r => r.Full.Throughput / r.Baseline.Throughput)):P0} | " +
                $"{Median(rows.Select(r => r.Full.P50)):0.0} | {Median(rows.Select(r => r.Full.P99)):0.0} | {Median(rows.Select(r => r.Full.P999)):0.0} | {rows.Sum(r => r.Full.Errors + r.Baseline.Errors)} | " +
                $"{Median(rows.Select(r => r.Baseline.ServerCpuMsPerRequest)):0.00} | {Median(rows.Select(r => r.Full.ServerCpuMsPerRequest)):0.00} | " +
                $"{rows.Max(r => r.Full.ServerPeakMiB):0} | {Median(rows.Select(r => r.Load)):0.0} |"));
        }
    }

    public static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
