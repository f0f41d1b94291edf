using System.Diagnostics;
using System.Globalization;

namespace Onshi.Bench;

/// <summary>The server under test in its own process (this executable with "serve"), so its memory is its own.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    /// <summary>The server's process id, for attaching dotnet-trace or dotnet-counters during a phase.</summary>
    public int ProcessId => _process.Id;

    private ServerProcess(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    private static readonly Lazy<(string Path, string Password)> KeyEncryptionFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "onshi-bench-key-encryption-" + Guid.NewGuid().ToString("N"), "key-encryption.pfx");
        var password = Guid.NewGuid().ToString("N");
        Onshi.Server.Hosting.KeyEncryption.CreateCertificateFile(path, password, DateTimeOffset.UtcNow);
        return (path, password);
    });

    public int Id => _process.Id;

    /// <summary>Deletes the run's key-encryption certificate (a private key in the temporary folder) once its last server has stopped.</summary>
    public static void DeleteKeyEncryptionFile()
    {
        if (KeyEncryptionFile.IsValueCreated && Path.GetDirectoryName(KeyEncryptionFile.Value.Path) is { } folder && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int port, string logFile, CancellationToken cancellationToken)
    {
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production refuses SQLite and plain HTTP unless told (Hosting/ProductionSafety.cs); here both are deliberate.
        start.Environment["Production__AllowSqlite"] = "true";
        start.Environment["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        // Production refuses to start without a certificate that encrypts the Data Protection key ring at rest
        // (docs/security.md). One for the whole bench run, so a restarted server still opens the keys it stored.
        start.Environment["DataProtection__KeyEncryptionCertificate"] = KeyEncryptionFile.Value.Path;
        start.Environment["DataProtection__KeyEncryptionCertificatePassword"] = KeyEncryptionFile.Value.Password;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the server process.");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, address);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server process exited ({process.ExitCode}); see {logFile}.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        server.Dispose();
        throw new TimeoutException($"The server did not answer /healthz within 2 minutes; see {logFile}.");
    }

    /// <summary>VmHWM (peak resident set) of the server process, in MiB.</summary>
    public double PeakMiB() => ProcStatus(_process.Id, "VmHWM:");

    /// <summary>CPU time (user + system, all threads) the server process has used so far, in seconds (/proc/&lt;pid&gt;/stat).</summary>
    public double CpuSeconds()
    {
        // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15, in clock ticks (USER_HZ = 100 on Linux).
        var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{_process.Id}/stat"));
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public double ResidentMiB() => ProcStatus(_process.Id, "VmRSS:");

    public static double ProcStatus(int pid, string field)
    {
        foreach (var line in File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status")))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
