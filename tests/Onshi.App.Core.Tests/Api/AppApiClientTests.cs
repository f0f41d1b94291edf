using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Onshi.App.Core.Api;

namespace Onshi.App.Core.Tests.Api;

/// <summary>The HTTP client against a small server on 127.0.0.1 that records what arrives and misbehaves on purpose.</summary>
public sealed class AppApiClientTests : IAsyncLifetime
{
    private static readonly RetryPolicy FastRetry = new(4, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));

    private readonly ConcurrentQueue<(string? Key, string Proof, string Body)> _confirmations = new();
    private WebApplication? _server;
    private int _dropsLeft;
    private int _failures503;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapPost("/api/app/v1/confirmations", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            _confirmations.Enqueue((http.Request.Headers["Idempotency-Key"].ToString(), http.Request.Headers["DPoP"].ToString(), body));
            if (Interlocked.Decrement(ref _dropsLeft) >= 0)
            {
                http.Abort(); // the connection dies: the client cannot know whether we processed it
                return Microsoft.AspNetCore.Http.Results.Empty;
            }

            if (Interlocked.Decrement(ref _failures503) >= 0)
            {
                return Microsoft.AspNetCore.Http.Results.StatusCode(503);
            }

            var replay = _confirmations.Count > 1;
            return Microsoft.AspNetCore.Http.Results.Json(new { confirmationId = "7f0c5a52-3a4e-4c1e-9a7b-1b2c3d4e5f60", confirmedAt = "2026-11-25T13:00:00+09:00", method = "pin", purpose = "outpatient",
                validity = new { code = "1", label = "有効" }, notices = Array.Empty<object>(), consents = new { } }, statusCode: replay ? 200 : 201);
        });
        _server.MapPost("/api/app/v1/activation", () => Microsoft.AspNetCore.Http.Results.Json(new
        {
            type = "https://onshi.invalid/errors/activation_code.used", title = "used", status = 409, code = "activation_code.used",
            detail = "このアクティベーションコードはすでに使われています。管理者に新しいコードの発行を依頼してください。",
        }, statusCode: 409, contentType: "application/problem+json"));
        _server.MapPost("/api/app/v1/challenges", () => Microsoft.AspNetCore.Http.Results.Json(new
        {
            status = 503, code = "jpki.revocation_list_unavailable", detail = "失効情報を確認できないため、本人確認を行えません。",
        }, statusCode: 503, contentType: "application/problem+json"));
        _server.MapPost("/api/app/v1/sessions", () => Microsoft.AspNetCore.Http.Results.Text("<html>proxy error</html>", "text/html", statusCode: 404));
        await _server.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static AppApiClient Client(HttpClient http) => new(http, TimeProvider.System, FastRetry);

    private HttpClient Http() => new() { BaseAddress = new Uri(_server!.Urls.First() + "/") };

    private static ConfirmationRequest Request() => new("ch-1", "outpatient", "pin", "Y2VydA", "c2ln", null,
        new ConsentAnswers(true, false, null, null), false);

    [Fact]
    public async Task RetriesADroppedConfirmationWithTheSameIdempotencyKeyAndAFreshProof()
    {
        _dropsLeft = 2;
        using var http = Http();
        using var key = DeviceKey.Generate();
        var idempotencyKey = Guid.NewGuid();

        var result = await Client(http).ConfirmAsync(key, "token", Request(), idempotencyKey, Ct);

        Assert.True(result.Succeeded);
        Assert.True(result.WasReplayed);
        var seen = _confirmations.ToArray();
        Assert.Equal(3, seen.Length);
        Assert.All(seen, s => Assert.Equal(idempotencyKey.ToString("D"), s.Key));
        Assert.Single(seen.Select(s => s.Body).Distinct());
        Assert.Equal(3, seen.Select(s => s.Proof).Distinct().Count());
        using var body = JsonDocument.Parse(seen[0].Body);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("consents").GetProperty("checkup").ValueKind);
        Assert.False(body.RootElement.GetProperty("consents").GetProperty("diagnosis").GetBoolean());
    }

    [Fact]
    public async Task SaysTheOutcomeIsUnknownAfterTheLastRetryInsteadOfFailingSilently()
    {
        _failures503 = 100;
        using var http = Http();
        using var key = DeviceKey.Generate();

        var result = await Client(http).ConfirmAsync(key, "token", Request(), Guid.NewGuid(), Ct);

        Assert.True(result.Unreachable);
        Assert.Null(result.Refusal);
        Assert.Contains("503", result.UnreachableReason, StringComparison.Ordinal);
        Assert.Equal(FastRetry.MaxAttempts, _confirmations.Count);
    }

    [Fact]
    public async Task ReadsARefusalAsItsCodeAndJapaneseDetail()
    {
        using var http = Http();
        using var key = DeviceKey.Generate();

        var result = await Client(http).ActivateAsync(key, new ActivationRequest("0110113719", "staff11", "pw", "ABCD"), Ct);

        Assert.Equal("activation_code.used", result.Refusal!.Code);
        Assert.Equal(409, result.Refusal.Status);
        Assert.StartsWith("このアクティベーションコードは", result.Refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceUnavailableWithAMachineCodeIsARefusalNotAnUnknownOutcome()
    {
        using var http = Http();
        using var key = DeviceKey.Generate();

        var result = await Client(http).CreateChallengeAsync(key, "token", "outpatient", Ct);

        Assert.False(result.Unreachable);
        Assert.Equal("jpki.revocation_list_unavailable", result.Refusal!.Code);
        Assert.Equal(503, result.Refusal.Status);
    }

    [Fact]
    public async Task TurnsANonProblemResponseIntoAClearRefusal()
    {
        using var http = Http();
        using var key = DeviceKey.Generate();

        var result = await Client(http).LogInAsync(key, new StaffLoginRequest("staff11", "pw"), Ct);

        Assert.Equal("http.404", result.Refusal!.Code);
        Assert.Contains("予期しない応答", result.Refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsAServerThatIsNotThereAsUnreachable()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") };
        using var key = DeviceKey.Generate();

        var result = await Client(http).CreateChallengeAsync(key, "token", "outpatient", Ct);

        Assert.True(result.Unreachable);
        Assert.Contains("接続できません", result.UnreachableReason, StringComparison.Ordinal);
        Assert.Equal(ApiCodes.NetworkRefused, result.UnreachableCode);
    }

    [Fact]
    public async Task NamesAServerAddressThatDoesNotResolveAsANameResolutionFailure()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://onshi-outage-test.invalid/") };
        using var key = DeviceKey.Generate();

        var result = await Client(http).GetSessionAsync(key, "token", Ct);

        Assert.Equal(ApiCodes.NetworkNameResolution, result.UnreachableCode);
        Assert.Contains("アドレスが見つかりません", result.UnreachableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesAFailedTlsHandshakeAsATlsFailureWithAdviceToCallTheAdministrator()
    {
        var plain = new Uri(_server!.Urls.First());
        using var http = new HttpClient { BaseAddress = new Uri($"https://127.0.0.1:{plain.Port}/") };
        using var key = DeviceKey.Generate();

        var result = await Client(http).LogInAsync(key, new StaffLoginRequest("staff11", "pw"), Ct);

        Assert.Equal(ApiCodes.NetworkTls, result.UnreachableCode);
        Assert.Contains("管理者に連絡", result.UnreachableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesAServerThatAcceptsButNeverAnswersAsATimeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var key = DeviceKey.Generate();
        var client = new AppApiClient(http, TimeProvider.System, FastRetry with { AttemptTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await client.CreateChallengeAsync(key, "token", "outpatient", Ct);

        Assert.Equal(ApiCodes.NetworkTimeout, result.UnreachableCode);
        Assert.Contains("時間内に", result.UnreachableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesAProxysErrorPageWithoutAMachineCodeAsTheServerBeingUnavailable()
    {
        _failures503 = 100;
        using var http = Http();
        using var key = DeviceKey.Generate();

        var result = await Client(http).ConfirmAsync(key, "token", Request(), Guid.NewGuid(), Ct);

        Assert.Equal(ApiCodes.NetworkServerUnavailable, result.UnreachableCode);
        Assert.Contains("HTTP 503", result.UnreachableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesAConnectionCutBeforeTheAnswerAsAConnectionLoss()
    {
        _dropsLeft = 100;
        using var http = Http();
        using var key = DeviceKey.Generate();

        var result = await Client(http).ConfirmAsync(key, "token", Request(), Guid.NewGuid(), Ct);

        Assert.Equal(ApiCodes.NetworkConnectionLost, result.UnreachableCode);
    }
}
