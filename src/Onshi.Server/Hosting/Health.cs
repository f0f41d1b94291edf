using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Onshi.Jpki;
using Onshi.Server.Data;

namespace Onshi.Server.Hosting;

/// <summary>
/// /health/live and /health/ready for load balancers and process supervisors (docs/deployment.md). Live says the
/// process answers HTTP; ready says it can confirm qualifications now: the database answers and is fully migrated,
/// every trusted JPKI anchor has a CRL that is not stale, and the Data Protection key ring can be read (without it no
/// portal cookie or antiforgery token works). The body names each check and its status only: no exception text,
/// which could carry connection strings or data.
/// </summary>
public static class Health
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddOnshiHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            // Reachable and migrated in one question: listing pending migrations reads the history table.
            .AddDbContextCheck<AppDbContext>("database", HealthStatus.Unhealthy, [ReadyTag],
                async (db, cancellationToken) => !(await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).Any())
            .AddCheck<RevocationListHealthCheck>("revocation-lists", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<DataProtectionHealthCheck>("data-protection", HealthStatus.Unhealthy, [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapOnshiHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting().WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting().WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new HealthBody(
            report.Status.ToString(),
            [.. report.Entries.Select(e => new HealthCheckBody(e.Key, e.Value.Status.ToString()))]);
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), context.RequestAborted);
    }

    private sealed record HealthBody(string Status, IReadOnlyList<HealthCheckBody> Checks);

    private sealed record HealthCheckBody(string Name, string Status);
}

/// <summary>
/// Ready only while every anchor's CRL in this process is loaded and not past its stale time (the same rule the
/// verifier applies, so ready means a valid card would pass). A missing list is acceptable only with
/// Jpki:AllowMissingRevocationList, exactly as in verification; a stale list never is.
/// </summary>
internal sealed class RevocationListHealthCheck(JpkiRevocationStore store, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var policy = store.Policy;
        var loaded = store.Loaded.ToDictionary(l => l.AnchorId, StringComparer.Ordinal);
        var missing = 0;
        var stale = 0;
        foreach (var anchor in store.Anchors.Anchors)
        {
            if (!loaded.TryGetValue(anchor.Id, out var list))
            {
                missing++;
                continue;
            }

            var staleAt = list.NextUpdate is { } next ? next + policy.ToleranceAfterNextUpdate : list.ThisUpdate + policy.MaximumAgeWithoutNextUpdate;
            if (now > staleAt)
            {
                stale++;
            }
        }

        // The description stays in the process (the endpoint writes names and statuses only); it helps a log reader.
        return Task.FromResult(stale > 0 || (missing > 0 && !policy.AllowMissingRevocationList)
            ? HealthCheckResult.Unhealthy($"{missing} anchor(s) without a CRL, {stale} stale")
            : HealthCheckResult.Healthy());
    }
}

/// <summary>
/// A protect/unprotect round trip: reads (and, on a fresh database, creates) the key ring and decrypts it, which is
/// what every portal request needs. Fails when the key table is unreadable or a key cannot be decrypted.
/// </summary>
internal sealed class DataProtectionHealthCheck(IDataProtectionProvider provider) : IHealthCheck
{
    private static readonly byte[] Probe = [0x4f, 0x6e, 0x73, 0x68, 0x69];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var protector = provider.CreateProtector("Onshi.Health");
        var back = protector.Unprotect(protector.Protect(Probe));
        return Task.FromResult(back.AsSpan().SequenceEqual(Probe) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("round trip differs"));
    }
}
