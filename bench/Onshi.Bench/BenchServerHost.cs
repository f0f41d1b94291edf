using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Onshi.Jpki;
using Onshi.Server.AppApi;
using Onshi.Server.Confirmations;
using Onshi.Server.Hosting;

namespace Onshi.Bench;

/// <summary>
/// The server process of a benchmark run: exactly the Onshi server (OnshiServer.CreateBuilder/Build, configured through
/// the environment like any deployment), plus one endpoint that exists only in this bench host, never in production:
/// <c>POST /bench/baseline</c>, the unavoidable work of a PIN confirmation and nothing else.
/// </summary>
public static class BenchServerHost
{
    public const string BaselinePath = "/bench/baseline";

    /// <summary>The fixed "device thumbprint" of the baseline's signed message (the baseline has no device).</summary>
    public static byte[] BaselineThumbprint { get; } = SHA256.HashData("onshi-bench-baseline"u8);

    /// <summary>The baseline's challenge is derived from the challenge id, so the endpoint needs no state.</summary>
    public static byte[] BaselineChallenge(Guid challengeId) => SHA256.HashData(challengeId.ToByteArray());

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var builder = OnshiServer.CreateBuilder([]);
        var app = OnshiServer.Build(builder);
        var institutionCode = app.Configuration["Bench:InstitutionCode"] ?? throw new InvalidOperationException("Bench:InstitutionCode is not set.");
        app.MapPost(BaselinePath, async (HttpContext http, IOptions<JsonOptions> json) =>
        {
            // Same body, same JSON options, same decoding as POST /confirmations; then one certificate parse, one key
            // import and one RSA-2048 PKCS#1 v1.5 verification over the signed-message format. No database, no DPoP.
            if (await AppBody.ReadBytesAsync(http) is not { } body
                || AppBody.Deserialize<ConfirmationRequest>(json.Value.SerializerOptions, body) is not { } request
                || !Guid.TryParse(request.ChallengeId, out var challengeId)
                || CanonicalBase64Url.TryDecode(request.Certificate, maximumLength: ConfirmQualification.MaximumCertificateBytes * 2) is not { } certificate
                || CanonicalBase64Url.TryDecode(request.Signature, maximumLength: ConfirmQualification.MaximumSignatureBytes * 2) is not { } signature)
            {
                return Results.BadRequest();
            }

            var message = AuthenticationMessage.Build(BaselineChallenge(challengeId), institutionCode, BaselineThumbprint, AuthenticationPurpose.Outpatient);
            using var parsed = X509CertificateLoader.LoadCertificate(certificate);
            using var key = parsed.GetRSAPublicKey();
            return key is not null && key.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                ? Results.Text("{\"verified\":true}", "application/json")
                : Results.UnprocessableEntity();
        }).AllowAnonymous().DisableAntiforgery();

        // Per-statement database time (EF Core's DiagnosticSource events): GET /bench/sql, for the profile in docs/performance.md.
        // Only with --sql-profile: a DiagnosticListener subscriber makes EF Core raise every event, which is not free.
        using var sql = Environment.GetEnvironmentVariable("ONSHI_BENCH_SQL_PROFILE") == "1" ? new SqlProfile() : null;
        app.MapGet("/bench/sql", () => Results.Text(sql?.Report() ?? "", "text/plain")).AllowAnonymous();

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
