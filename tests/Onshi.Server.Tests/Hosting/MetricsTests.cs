using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
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
    [Fact]
    public async Task AConfirmationIsCountedByMethodPurposeAndOutcomeWithItsDuration()
    {
        var clinic = await portal.ClinicAsync();
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();

        // Exporters listen process-wide (every test server's "Onshi" meter reaches every /metrics), so the counts are
        // read from this server's own meters: those created by its IMeterFactory, which is their Scope.
        var factory = portal.Factory.Services.GetRequiredService<IMeterFactory>();
        var counted = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name is "onshi.confirmations" or "onshi.confirmation.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => counted.Add(Describe(instrument, tags)));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => counted.Add(Describe(instrument, tags)));
        listener.Start();

        var confirmed = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());
        Assert.Single(counted, "onshi.confirmations method=pin purpose=outpatient outcome=confirmed");
        Assert.Single(counted, "onshi.confirmation.duration method=pin purpose=outpatient outcome=confirmed");

        // The scrape shows both series and nothing of the patient.
        using var client = portal.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("onshi_confirmations_total{", text, StringComparison.Ordinal);
        Assert.Contains("onshi_confirmation_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Number, text, StringComparison.Ordinal);
    }

    private static string Describe(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            values[tag.Key] = tag.Value;
        }

        return $"{instrument.Name} method={values.GetValueOrDefault("method")} purpose={values.GetValueOrDefault("purpose")} outcome={values.GetValueOrDefault("outcome")}";
    }

    [Fact]
    public async Task AConfirmationHasASpanWhoseTagsCarryNoPersonalData()
    {
        var clinic = await portal.ClinicAsync();
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();

        // Every span of Onshi, ASP.NET Core and Npgsql while the confirmation runs (other tests' spans too: the
        // listener is process-wide, which only widens what is checked).
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Onshi" or "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var confirmed = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());
        var confirmationId = confirmed.Body!["confirmationId"]!.GetValue<string>();

        var ours = spans.Where(s => s.Source.Name == "Onshi" && s.OperationName == "onshi.confirmation").ToList();
        Assert.Contains(ours, s => Equals(s.GetTagItem("onshi.confirmation.method"), "pin") && Equals(s.GetTagItem("onshi.confirmation.outcome"), "confirmed"));
        var text = string.Join('\n', spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)));
        Assert.DoesNotContain(patient.Number, text, StringComparison.Ordinal);
        Assert.DoesNotContain(confirmationId, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(patient.PersonId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",", text, StringComparison.Ordinal);
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
