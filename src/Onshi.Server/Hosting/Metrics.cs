using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using OpenTelemetry.Metrics;

namespace Onshi.Server.Hosting;

/// <summary>
/// Onshi's own measurements (meter "Onshi"). Tags are closed sets (method, purpose, outcome code), never an id or any
/// value from a card or a person, so a series can neither identify anyone nor multiply without bound.
/// </summary>
public sealed class OnshiMetrics
{
    public const string MeterName = "Onshi";

    private readonly Counter<long> _confirmations;
    private readonly Histogram<double> _confirmationDuration;

    public OnshiMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _confirmations = meter.CreateCounter<long>("onshi.confirmations", "{confirmation}", "POST /confirmations answers by method, purpose and outcome");
        _confirmationDuration = meter.CreateHistogram<double>("onshi.confirmation.duration", "s", "Time to answer POST /confirmations");
    }

    /// <summary>Records one answered confirmation request; <paramref name="body"/> is only read for method and purpose.</summary>
    public void Confirmation(ReadOnlySpan<byte> body, string outcome, TimeSpan elapsed)
    {
        var (method, purpose) = MethodAndPurpose(body);
        var tags = new TagList { { "method", method }, { "purpose", purpose }, { "outcome", outcome } };
        _confirmations.Add(1, tags);
        _confirmationDuration.Record(elapsed.TotalSeconds, tags);
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
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OnshiMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
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
