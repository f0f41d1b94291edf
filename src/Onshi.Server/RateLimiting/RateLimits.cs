using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Onshi.Server.Common;

namespace Onshi.Server.RateLimiting;

/// <summary>
/// Per-source and per-session limits on the endpoints an attacker would hammer: every password or activation-code
/// attempt and every challenge. Per-account limits are the password lockout (Accounts/), which lives in the database.
/// The rules and their reasons are in readme.md.
/// </summary>
public static class RateLimits
{
    public const string Code = "rate_limited";

    public const string Message = "短時間に多くの要求がありました。しばらく待ってからもう一度お試しください。";

    // Every request that verifies a secret: passwords, activation codes, second-factor and recovery codes, and the
    // current password (and factor) asked again by the password change and the authenticator enrolment.
    private static readonly string[] CredentialPaths =
    [
        "/Login", AppRoutes.Prefix + "/activation", AppRoutes.Prefix + "/sessions",
        "/TwoFactor/Verify", "/TwoFactor/Enrol", "/ChangePassword",
    ];

    private static readonly string ChallengePath = AppRoutes.Prefix + "/challenges";

    public static IServiceCollection AddOnshiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Classify(http) switch
                {
                    Kind.Credential => Window("credential:" + Source(http), limits.CredentialAttemptsPerSourcePerMinute, limits.WindowSeconds),
                    Kind.Challenge => Window("challenge:" + Source(http), limits.ChallengesPerSourcePerMinute, limits.WindowSeconds),
                    _ => RateLimitPartition.GetNoLimiter(""),
                }),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Classify(http) == Kind.Challenge && Session(http) is { } session
                    ? Window("session:" + session, limits.ChallengesPerSessionPerMinute, limits.WindowSeconds)
                    : RateLimitPartition.GetNoLimiter("")));
        });
        return services;
    }

    private enum Kind
    {
        None,
        Credential,
        Challenge,
    }

    private static Kind Classify(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return Kind.None;
        }

        // Routing ignores case and a trailing slash, so the classification must too.
        var path = (request.Path.Value ?? "").TrimEnd('/');
        if (CredentialPaths.Any(p => string.Equals(p, path, StringComparison.OrdinalIgnoreCase)))
        {
            return Kind.Credential;
        }

        return string.Equals(path, ChallengePath, StringComparison.OrdinalIgnoreCase) ? Kind.Challenge : Kind.None;
    }

    private static RateLimitPartition<string> Window(string key, int permits, int windowSeconds) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(windowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>The client address as Kestrel saw it; a reverse proxy in front must be configured with forwarded headers.</summary>
    private static string Source(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();

    /// <summary>A hash of the session token, so the partition table never holds a usable token.</summary>
    private static string? Session(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("DPoP ", StringComparison.Ordinal)
            ? Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(authorization)))
            : null;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var api = http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        http.RequestServices.GetService<Hosting.OnshiMetrics>()?.RateLimitRefused(api ? "api" : "portal");
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
        http.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await TypedResults.Problem(Problems.Details(new Refusal(Code, Message), StatusCodes.Status429TooManyRequests)).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>しばらくお待ちください - Onshi</title></head>"
            + $"<body><main><h1>しばらくお待ちください</h1><p data-code=\"{Code}\">{Message}</p><p><a href=\"/Login\">ログイン画面へ</a></p></main></body></html>",
            cancellationToken).ConfigureAwait(false);
    }
}
