using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Onshi.Server.Data;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Reliability;

/// <summary>
/// Onshi.Server as a separate OS process on 127.0.0.1 (`dotnet Onshi.Server.dll`), so a test can SIGKILL it the way a
/// power cut or the OOM killer would, and start it again on the same database.
/// </summary>
public sealed class ServerProcess(DatabaseProvider provider, string connectionString, IReadOnlyDictionary<string, string>? settings = null) : IAsyncDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("onshi-server-home-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort();

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public int Starts { get; private set; }

    /// <summary>The server's own build output (same configuration as this test assembly): src/Onshi.Server/bin/…/Onshi.Server.dll.</summary>
    public static string ServerAssembly
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testBin.Parent!.Name;
            var framework = testBin.Name;
            var root = testBin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Onshi.slnx")))
            {
                root = root.Parent;
            }

            var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Onshi.slnx not found above " + AppContext.BaseDirectory), "src", "Onshi.Server", "bin", configuration, framework, "Onshi.Server.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException("Build Onshi.Server first: " + path);
        }
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ServerAssembly },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        // A home of its own, as on another machine: nothing (Data Protection keys above all) may be shared through it.
        start.Environment["HOME"] = _home;
        start.Environment["ASPNETCORE_URLS"] = Url.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production refuses SQLite and plain HTTP unless told (Hosting/ProductionSafety.cs); here both are deliberate.
        start.Environment["Production__AllowSqlite"] = "true";
        start.Environment["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["Database__ConnectionString"] = connectionString;
        start.Environment["Jpki__TrustAnchors"] = TestJpki.AnchorFolder;
        start.Environment["Jpki__CardFaceTrustAnchors"] = TestJpki.CardFaceAnchorFile;
        start.Environment["DataProtection__KeyEncryptionCertificate"] = TestKeyEncryption.CertificatePath;
        start.Environment["DataProtection__KeyEncryptionCertificatePassword"] = TestKeyEncryption.Password;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;

        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The server did not answer /healthz within 120 s.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, requests in flight are cut.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_home, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
