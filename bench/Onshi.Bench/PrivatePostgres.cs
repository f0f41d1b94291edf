using System.Diagnostics;
using System.Globalization;

namespace Onshi.Bench;

/// <summary>
/// A throw-away PostgreSQL 15 cluster for one benchmark run: initdb as user postgres in a temporary folder, listening
/// on 127.0.0.1 only (private port, Unix socket in the same folder), durable defaults (fsync, synchronous_commit on),
/// stopped and deleted on dispose.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _folder;

    private PrivatePostgres(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=onshi;Password=unused;Database={database};Maximum Pool Size=200");

    public static PrivatePostgres Start(int port)
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}); apt-get install postgresql-15.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "onshi-bench-pg-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateDirectory(Path.Combine(folder, "sock"));
        Run("chown", "-R", "postgres:", folder);
        RunAsPostgres(Path.Combine(Bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "onshi", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        RunAsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-w", "-l", Path.Combine(folder, "log"), "-o",
            string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {Path.Combine(folder, "sock")} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB"), "start");
        return new PrivatePostgres(folder, port);
    }

    public void Dispose()
    {
        try
        {
            RunAsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static void RunAsPostgres(params string[] command) => Run("runuser", ["-u", "postgres", "--", .. command]);

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {output}");
        }
    }
}
