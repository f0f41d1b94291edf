using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Onshi.Server.Tests.Reliability;

/// <summary>
/// A PostgreSQL 15 primary and a standby fed by PostgreSQL's own streaming replication (pg_basebackup -R), each a
/// private cluster on a free 127.0.0.1 port, run as the postgres user when the tests run as root (PostgreSQL refuses
/// to run as root). Synchronous means synchronous_standby_names = '*' with synchronous_commit = on: a commit returns
/// only once the standby has flushed its WAL.
/// </summary>
public sealed class ReplicatedPostgres : IAsyncDisposable
{
    public const string Binaries = "/usr/lib/postgresql/15/bin";
    public const string Database = "onshi_failover";

    private readonly string _root;
    private readonly bool _asRoot = Environment.UserName == "root";

    private ReplicatedPostgres(bool synchronous)
    {
        Synchronous = synchronous;
        _root = Directory.CreateTempSubdirectory("onshi-failover-").FullName;
        PrimaryPort = FreePort();
        StandbyPort = FreePort();
    }

    public bool Synchronous { get; }

    public int PrimaryPort { get; }

    public int StandbyPort { get; }

    private string PrimaryData => Path.Combine(_root, "primary");

    private string StandbyData => Path.Combine(_root, "standby");

    /// <summary>
    /// Both hosts in one Npgsql connection string; Target Session Attributes=primary makes Npgsql open connections only
    /// on the host that accepts writes, and Host Recheck Seconds=1 lets it notice the promoted standby within a second.
    /// </summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = $"127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort}",
        Username = "onshi",
        Password = "unused",
        Database = Database,
        TargetSessionAttributes = "primary",
        HostRecheckSeconds = 1,
        Timeout = 3,
    }.ConnectionString;

    /// <summary>Why a replicated pair cannot be started here, or null.</summary>
    public static string? UnavailableReason =>
        File.Exists(Path.Combine(Binaries, "pg_basebackup")) && File.Exists(Path.Combine(Binaries, "postgres"))
            ? null
            : $"PostgreSQL 15 is not installed in {Binaries} (scripts/test installs postgresql-15); failover tests skipped.";

    public static async Task<ReplicatedPostgres> StartAsync(bool synchronous)
    {
        var pair = new ReplicatedPostgres(synchronous);
        try
        {
            await pair.InitializeAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        // The temporary folder is private to the test user; the postgres user must reach the clusters inside it.
        if (_asRoot)
        {
            await RunAsync("chown", ["postgres:", _root], asPostgres: false);
        }

        await PostgresAsync("initdb", ["-D", PrimaryData, "-U", "onshi", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        var settings = new List<string>
        {
            "listen_addresses = '127.0.0.1'",
            $"unix_socket_directories = '{_root}'",
            "max_connections = 200",
            "wal_level = replica",
            "max_wal_senders = 5",
            "hot_standby = on",
        };
        await File.AppendAllLinesAsync(Path.Combine(PrimaryData, "postgresql.conf"), settings, TestContext.Current.CancellationToken);
        await StartClusterAsync(PrimaryData, PrimaryPort);

        // initdb's pg_hba.conf trusts replication connections from 127.0.0.1; -R writes standby.signal and primary_conninfo.
        await PostgresAsync("pg_basebackup", ["-h", "127.0.0.1", "-p", PrimaryPort.ToString(CultureInfo.InvariantCulture), "-U", "onshi", "-D", StandbyData, "-R", "-X", "stream", "-c", "fast"]);
        if (Synchronous)
        {
            // On the primary only, after the copy: a promoted standby that inherited synchronous_standby_names would
            // wait for a standby of its own that does not exist, and no commit would ever return.
            await File.AppendAllLinesAsync(Path.Combine(PrimaryData, "postgresql.conf"), ["synchronous_standby_names = '*'", "synchronous_commit = on"], TestContext.Current.CancellationToken);
            await PostgresAsync("pg_ctl", ["-D", PrimaryData, "reload"]);
        }

        await StartClusterAsync(StandbyData, StandbyPort);

        await using (var connection = new NpgsqlConnection(Direct(PrimaryPort, "postgres")))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Database}\" ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Streaming, and (synchronous case) counted as the synchronous standby, before anything is acknowledged.
        var expected = Synchronous ? "sync" : "async";
        var waited = Stopwatch.StartNew();
        while (await ReplicationStateAsync() != expected)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The standby is not streaming as {expected}: {await ReplicationStateAsync()}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private async Task<string?> ReplicationStateAsync()
    {
        await using var connection = new NpgsqlConnection(Direct(PrimaryPort, "postgres"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT sync_state FROM pg_stat_replication WHERE state = 'streaming'", connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as string;
    }

    /// <summary>A single-host connection string, bypassing the multi-host selection.</summary>
    public static string Direct(int port, string database = Database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "onshi", Password = "unused", Database = database, Pooling = false }.ConnectionString;

    /// <summary>
    /// The primary's machine dies: SIGKILL to the postmaster and every one of its children at once (no checkpoint, no
    /// goodbye to the standby, clients' connections cut).
    /// </summary>
    public void KillPrimary()
    {
        var postmaster = PostmasterPid(PrimaryData) ?? throw new InvalidOperationException("The primary is not running.");

        // Children first collected, then everything killed: a child killed alone would make the postmaster restart.
        var children = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == postmaster)
            .ToList();
        foreach (var pid in children.Prepend(postmaster))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Exited between listing and killing.
            }
        }
    }

    /// <summary>pg_ctl promote: the standby stops replaying and starts accepting writes (waits until it does).</summary>
    public Task PromoteStandbyAsync() => PostgresAsync("pg_ctl", ["-D", StandbyData, "-w", "-t", "30", "promote"]);

    public async ValueTask DisposeAsync()
    {
        foreach (var data in new[] { StandbyData, PrimaryData })
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await PostgresAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // A killed primary leaves a stale pid file; nothing is running there.
                }
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task StartClusterAsync(string data, int port) =>
        PostgresAsync("pg_ctl", ["-D", data, "-w", "-t", "60", "-l", data + ".log", "-o", $"-p {port}", "start"]);

    private Task PostgresAsync(string program, IReadOnlyList<string> arguments) => RunAsync(Path.Combine(Binaries, program), arguments, asPostgres: true);

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres && _asRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        if (asPostgres && _asRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int? PostmasterPid(string data)
    {
        var file = Path.Combine(data, "postmaster.pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
