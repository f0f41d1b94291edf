using System.Net;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Hosting;

public sealed class MetricsSqlitePortal : SqlitePortal
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Metrics:Enabled", "true")];
}

public sealed class MetricsPostgresPortal : PostgresPortal
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Metrics:Enabled", "true")];
}

/// <summary>With Metrics:Enabled the server exposes /metrics in the Prometheus text format; a confirmation shows up in it.</summary>
public abstract class MetricsTests(PortalFixture portal)
{
    /// <summary>The confirmed PIN/outpatient count; the meter listener is process-wide, so other test servers add to it too.</summary>
    private static async Task<(long Count, string Text)> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith("onshi_confirmations_total{", StringComparison.Ordinal)
            && l.Contains("method=\"pin\"", StringComparison.Ordinal) && l.Contains("purpose=\"outpatient\"", StringComparison.Ordinal)
            && l.Contains("outcome=\"confirmed\"", StringComparison.Ordinal));
        return (line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Fact]
    public async Task AConfirmationIsCountedByMethodPurposeAndOutcomeWithItsDuration()
    {
        var clinic = await portal.ClinicAsync();
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();
        using var client = portal.Factory.CreateClient();
        var before = await ScrapeAsync(client);

        var confirmed = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());

        // The exporter caches a scrape for 300 ms.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        var after = await ScrapeAsync(client);
        Assert.True(after.Count >= before.Count + 1, after.Text);
        Assert.Contains("onshi_confirmation_duration_seconds_bucket{", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Number, after.Text, StringComparison.Ordinal);
    }
}

public sealed class MetricsTestsOnSqlite(MetricsSqlitePortal portal) : MetricsTests(portal), IClassFixture<MetricsSqlitePortal>;

public sealed class MetricsTestsOnPostgres(MetricsPostgresPortal portal) : MetricsTests(portal), IClassFixture<MetricsPostgresPortal>;

public sealed class MetricsOffByDefaultTests
{
    [Fact]
    public async Task WithoutTheSettingThereIsNoMetricsEndpoint()
    {
        await using var portal = new SqlitePortal();
        await portal.InitializeAsync();
        using var client = portal.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
        Assert.DoesNotContain("onshi_confirmations", body, StringComparison.Ordinal);
    }
}
