using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Onshi.Server.Hosting;

/// <summary>
/// Onshi's own measurements (meter "Onshi"). Tags are closed sets (method, purpose, outcome code), never an id or any
/// value from a card or a person, so a series can neither identify anyone nor multiply without bound.
/// </summary>
public sealed class OnshiMetrics
{
    public const string MeterName = "Onshi";

    /// <summary>Spans of Onshi's own work (a confirmation); tags follow the same closed-set rule as the metrics.</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Counter<long> _confirmations;
    private readonly Histogram<double> _confirmationDuration;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _rateLimitRefusals;
    private long _bulkJobQueueDepth = -1;

    public OnshiMetrics(IMeterFactory meters, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _confirmations = meter.CreateCounter<long>("onshi.confirmations", "{confirmation}", "POST /confirmations answers by method, purpose and outcome");
        _confirmationDuration = meter.CreateHistogram<double>("onshi.confirmation.duration", "s", "Time to answer POST /confirmations");
        _loginFailures = meter.CreateCounter<long>("onshi.login.failures", "{failure}", "Refused logins by step (password, second_factor)");
        _lockouts = meter.CreateCounter<long>("onshi.account.lockouts", "{lockout}", "Accounts locked by consecutive failures");
        _rateLimitRefusals = meter.CreateCounter<long>("onshi.rate_limit.refusals", "{request}", "Requests refused with 429 by the brute-force limits, by area (api, portal)");

        // Read when scraped, from what this process holds: the store is a singleton resolved lazily so that building
        // the metrics never loads trust anchors, and -1 (queue depth) means this process's worker has not looked yet.
        meter.CreateObservableGauge("onshi.revocation_list.age", () => RevocationListAges(services), "s", "Age of each trust anchor's loaded CRL (now - thisUpdate)");
        meter.CreateObservableGauge("onshi.bulk_jobs.queued", () => Interlocked.Read(ref _bulkJobQueueDepth) is var depth and >= 0 ? [new Measurement<long>(depth)] : Array.Empty<Measurement<long>>(),
            "{job}", "Bulk jobs waiting (queued or with an expired lease), as last seen by this process's worker");
    }

    /// <summary>Records one answered confirmation request; <paramref name="body"/> is only read for method and purpose.</summary>
    public void Confirmation(ReadOnlySpan<byte> body, string outcome, TimeSpan elapsed)
    {
        var (method, purpose) = MethodAndPurpose(body);
        var tags = new TagList { { "method", method }, { "purpose", purpose }, { "outcome", outcome } };
        _confirmations.Add(1, tags);
        _confirmationDuration.Record(elapsed.TotalSeconds, tags);

        // The request's span (ASP.NET Core's, or ours when no listener samples it) carries the same closed tags.
        if (Activity.Current is { } activity)
        {
            activity.SetTag("onshi.confirmation.method", method);
            activity.SetTag("onshi.confirmation.purpose", purpose);
            activity.SetTag("onshi.confirmation.outcome", outcome);
        }
    }

    /// <summary>A refused login; <paramref name="step"/> is "password" or "second_factor" (never a user id).</summary>
    public void LoginFailed(string step) => _loginFailures.Add(1, new KeyValuePair<string, object?>("step", step));

    public void AccountLocked() => _lockouts.Add(1);

    public void RateLimitRefused(string area) => _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("area", area));

    public void BulkJobQueueDepth(long depth) => Interlocked.Exchange(ref _bulkJobQueueDepth, depth);

    private static List<Measurement<double>> RevocationListAges(IServiceProvider services)
    {
        var store = services.GetService<Jpki.JpkiRevocationStore>();
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        return store is null
            ? []
            : store.Loaded.Select(l => new Measurement<double>((now - l.ThisUpdate).TotalSeconds, new KeyValuePair<string, object?>("anchor", l.AnchorId))).ToList();
    }

    private static (string Method, string Purpose) MethodAndPurpose(ReadOnlySpan<byte> body)
    {
        string method = "unknown", purpose = "unknown";
        try
        {
            var reader = new Utf8JsonReader(body);
            var depth = 0;
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    depth++;
                }
                else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    depth--;
                }
                else if (depth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMethod = reader.ValueTextEquals("method"u8);
                    var isPurpose = reader.ValueTextEquals("purpose"u8);
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        continue;
                    }

                    // Only the known values become tags; anything else a client sends is "other".
                    if (isMethod)
                    {
                        method = reader.ValueTextEquals("pin"u8) ? "pin" : reader.ValueTextEquals("visual"u8) ? "visual" : "other";
                    }
                    else if (isPurpose)
                    {
                        purpose = reader.ValueTextEquals("outpatient"u8) ? "outpatient" : reader.ValueTextEquals("homeVisit"u8) ? "homeVisit" : reader.ValueTextEquals("online"u8) ? "online" : "other";
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A malformed body is already refused by the endpoint; its tags stay "unknown".
        }

        return (method, purpose);
    }
}

public static class MetricsEndpoints
{
    public const string EnabledKey = "Metrics:Enabled";
    public const string Path = "/metrics";

    /// <summary>Always registers <see cref="OnshiMetrics"/> (cheap without a listener); exposes /metrics only with Metrics:Enabled=true.</summary>
    public static IServiceCollection AddOnshiMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<OnshiMetrics>();
        // Aggregated in memory always (a few instruments, no allocation per measurement); exposed only when the
        // setting is on, which is read when the endpoints are mapped: test hosts and the CLI add configuration after
        // the services are registered.
        var sampler = new OnlyWithExporterSampler();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OnshiMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter())
            // Spans: ours, ASP.NET Core's and Npgsql's (statement text only, never parameter values). Exported over OTLP
            // only when OpenTelemetry:OtlpEndpoint is set; otherwise nothing samples them and nothing leaves the process.
            .WithTracing(tracing => tracing
                .SetSampler(sampler)
                .AddSource(OnshiMetrics.MeterName)
                .AddAspNetCoreInstrumentation(o => o.RecordException = false)
                .AddNpgsql()
                .AddProcessor(sp => OtlpProcessor(sp.GetRequiredService<IConfiguration>(), sampler)));
        return services;
    }

    public const string OtlpEndpointKey = "OpenTelemetry:OtlpEndpoint";

    private static BaseProcessor<Activity> OtlpProcessor(IConfiguration configuration, OnlyWithExporterSampler sampler)
    {
        if (configuration[OtlpEndpointKey] is not { Length: > 0 } endpoint)
        {
            return new NoExportProcessor();
        }

        sampler.Exporting = true;
        return new BatchActivityExportProcessor(new OtlpTraceExporter(new OtlpExporterOptions
        {
            Endpoint = new Uri(endpoint),
            Protocol = endpoint.EndsWith("/v1/traces", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
        }));
    }

    public static IEndpointRouteBuilder MapOnshiMetrics(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>(EnabledKey))
        {
            // Counts and durations only; the reverse proxy keeps it off the internet (docs/deployment.md).
            endpoints.MapPrometheusScrapingEndpoint(Path).AllowAnonymous().DisableRateLimiting().WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        }

        return endpoints;
    }
}

/// <summary>Records spans only once an OTLP exporter is configured: without one, tracing costs nothing.</summary>
internal sealed class OnlyWithExporterSampler : Sampler
{
    public bool Exporting { get; set; }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(Exporting ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
}

/// <summary>The processor in place of the OTLP exporter when no endpoint is configured: spans go nowhere.</summary>
internal sealed class NoExportProcessor : BaseProcessor<Activity>;
