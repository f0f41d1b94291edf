using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Hosting;
using Onshi.Server.Import;
using Onshi.Demo;

namespace Onshi.Bench;

/// <summary>
/// <c>import</c>: generates the synthetic population once (insurers + persons CSV, as <c>onshi generate</c>), then for
/// each store and repetition imports it into a fresh, migrated database. The persons file is imported by a child
/// process (<c>import-one</c>) that reports its own peak resident memory, so memory is the importer's alone.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var stores = args.Texts("store", "sqlite,postgres");
        var persons = args.Count("persons", 1_000_000);
        var repeat = args.Count("repeat", 3);
        var exclusive = args.Flag("exclusive");
        var root = Path.Combine(Path.GetTempPath(), "onshi-bench-import-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var data = Path.Combine(root, "csv");
        var watch = Stopwatch.StartNew();
        SyntheticDataWriter.Write(data, new SyntheticOptions { Persons = persons, Seed = 7, Today = JapanTime.Today(TimeProvider.System), MedicalRecords = false });
        var file = Path.Combine(data, "persons.csv");
        BenchWorld.Log($"generated {persons:N0} persons ({new FileInfo(file).Length / 1048576.0:N0} MiB persons.csv) in {watch.Elapsed.TotalSeconds:0.0} s");
        var results = new List<(string Store, long Rows, double Seconds, double PeakMiB, double Load)>();
        try
        {
            foreach (var store in stores)
            {
                var provider = store.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
                using var postgres = provider == DatabaseProvider.Postgres ? PrivatePostgres.Start(args.Count("pg-port", 55499)) : null;
                for (var run = 1; run <= repeat; run++)
                {
                    var connection = postgres?.ConnectionString("onshi_import_" + run.ToString(CultureInfo.InvariantCulture))
                        ?? "Data Source=" + Path.Combine(root, $"import-{run}.db");
                    await PrepareAsync(provider, connection, Path.Combine(data, "insurers.csv"), cancellationToken).ConfigureAwait(false);
                    var (rows, seconds, peak) = await ImportInChildAsync(provider, connection, file, exclusive, cancellationToken).ConfigureAwait(false);
                    var load = ConfirmBenchmark.LoadAverage();
                    results.Add((store, rows, seconds, peak, load));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"run {run} {store,-8} {persons,11:N0} persons ({rows:N0} rows) in {seconds,6:0.0} s: {persons / seconds,9:N0} persons/s, {rows / seconds,9:N0} rows/s, importer peak {peak:0} MiB, load {load:0.0}{(exclusive && provider == DatabaseProvider.Postgres ? ", --exclusive" : "")}"));
                    if (provider == DatabaseProvider.Sqlite)
                    {
                        File.Delete(Path.Combine(root, $"import-{run}.db"));
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| store | persons | rows | runs | persons/s (median) | rows/s (median) | importer peak MiB (max) | load avg (1 min, median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Store))
        {
            var seconds = group.Select(r => r.Seconds).Order().ToArray()[group.Count() / 2];
            var load = group.Select(r => r.Load).Order().ToArray()[group.Count() / 2];
            var rows = group.First().Rows;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key} | {persons:N0} | {rows:N0} | {group.Count()} | {persons / seconds:N0} | {rows / seconds:N0} | {group.Max(r => r.PeakMiB):0} | {load:0.0} |"));
        }

        return 0;
    }

    private static async Task PrepareAsync(DatabaseProvider provider, string connection, string insurers, CancellationToken cancellationToken)
    {
        await using var services = Services(provider, connection);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<CsvImporter>().ImportAsync("insurers", () => File.OpenRead(insurers), null, cancellationToken).ConfigureAwait(false);
            if (!result.Applied)
            {
                throw new InvalidOperationException("insurers refused: " + string.Join("; ", result.Errors.Take(3)));
            }
        }
    }

    private static async Task<(long Rows, double Seconds, double PeakMiB)> ImportInChildAsync(DatabaseProvider provider, string connection, string file, bool exclusive, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "import-one", "--provider", provider.ToString(), "--connection", connection, "--kind", "persons", "--file", file, "--exclusive", exclusive ? "true" : "false" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start import-one");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("import-one failed: " + output);
        var parts = line.Split(' ');
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The child: one file through <see cref="CsvImporter"/>, then "RESULT rows seconds VmHWM-MiB" on stdout.</summary>
    public static async Task<int> ImportOneAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var provider = Enum.Parse<DatabaseProvider>(args.Text("provider", "Sqlite"));
        var file = args.Text("file", "");
        await using var services = Services(provider, args.Text("connection", ""));
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<CsvImporter>().ImportAsync(args.Text("kind", "persons"),
            () => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
            new ImportOptions { ExclusiveLoad = args.Flag("exclusive") }, null, cancellationToken).ConfigureAwait(false);
        if (!result.Applied)
        {
            Console.Error.WriteLine(string.Join("\n", result.Errors.Take(10)));
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {result.Rows} {result.Elapsed.TotalSeconds:0.000} {ServerProcess.ProcStatus(Environment.ProcessId, "VmHWM:"):0.0}"));
        return 0;
    }

    private static ServiceProvider Services(DatabaseProvider provider, string connection)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connection,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOnshiServices(configuration);
        return services.BuildServiceProvider();
    }
}
