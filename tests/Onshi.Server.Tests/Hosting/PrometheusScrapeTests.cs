using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Reliability;

namespace Onshi.Server.Tests.Hosting;

/// <summary>
/// A real Prometheus (Debian's package, /usr/bin/prometheus) scrapes a real server process over 127.0.0.1; the test
/// reads back, through Prometheus's HTTP API, the series its own confirmation and failed login caused. The server is a
/// process of its own, so no other test's measurements can reach its /metrics.
/// </summary>
public abstract class PrometheusScrapeTests(PortalFixture portal)
{
    private const string Binary = "/usr/bin/prometheus";

    [Fact]
    public async Task PrometheusScrapesTheConfirmationAndTheFailedLoginThisTestCaused()
    {
        portal.SkipIfUnavailable();
        if (!File.Exists(Binary))
        {
            Onshi.Tests.MissingService.Skip($"{Binary} is not installed (scripts/test installs the prometheus package).");
        }

        var (connectionString, clinic, patient) = await ReliabilitySetup.SeedAsync(portal);
        using var _ = clinic;
        await using var server = new ServerProcess(portal.Provider, connectionString, new Dictionary<string, string> { ["Metrics__Enabled"] = "true" });
        await server.StartAsync();
        using var app = new AppClient(new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(20) }, TimeProvider.System);
        await ReliabilitySetup.ActivateAsync(app, clinic);
        var load = new ConfirmationLoad(app, patient, clinic.Code);
        var attempt = await load.NewAttemptAsync();
        Assert.NotNull(attempt);
        Assert.True(await load.SendAsync(attempt), "the confirmation was not acknowledged");
        using (var browser = new PortalClient(new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.Url }))
        {
            await browser.LogInAsync(clinic.Code, clinic.Institution.AdministratorUserId, "not the password at all 123");
        }

        var folder = Directory.CreateTempSubdirectory("onshi-prometheus-").FullName;
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: onshi
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{server.Port}"]
            """, TestContext.Current.CancellationToken);
        using var prometheus = Process.Start(new ProcessStartInfo(Binary,
            [$"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
             $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var instance = $"instance=\"127.0.0.1:{server.Port}\"";
            var confirmed = await QueryAsync(api, $"onshi_confirmations_total{{{instance},method=\"pin\",purpose=\"outpatient\",outcome=\"confirmed\"}}", prometheus);
            Assert.Equal(1, confirmed);
            Assert.Equal(1, await QueryAsync(api, $"onshi_confirmation_duration_seconds_count{{{instance},outcome=\"confirmed\"}}", prometheus));
            Assert.Equal(1, await QueryAsync(api, $"onshi_login_failures_total{{{instance},step=\"password\"}}", prometheus));
            var crlAge = await QueryAsync(api, $"max(onshi_revocation_list_age_seconds{{{instance}}})", prometheus);
            Assert.True(crlAge >= 0, $"CRL age {crlAge}");
            TestContext.Current.TestOutputHelper?.WriteLine($"prometheus ({portal.Provider}): scraped 1 confirmation, 1 failed login, CRL age {crlAge:0} s from {instance}");
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The value of a single-series instant query, waiting (bounded) until Prometheus has scraped it.</summary>
    private static async Task<double> QueryAsync(HttpClient api, string query, Process prometheus)
    {
        var waited = Stopwatch.StartNew();
        var last = "";
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(prometheus.HasExited, $"prometheus exited with {(prometheus.HasExited ? prometheus.ExitCode : 0)}");
            try
            {
                using var response = await api.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative), TestContext.Current.CancellationToken);
                last = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(last)?["data"]?["result"] is JsonArray { Count: 1 } result)
                {
                    return double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Prometheus never returned one series for {query}: {last}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class PrometheusScrapeTestsOnSqlite(RealClockSqlitePortal portal) : PrometheusScrapeTests(portal), IClassFixture<RealClockSqlitePortal>;

public sealed class PrometheusScrapeTestsOnPostgres(RealClockPostgresPortal portal) : PrometheusScrapeTests(portal), IClassFixture<RealClockPostgresPortal>;
