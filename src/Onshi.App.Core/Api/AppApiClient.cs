using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Onshi.App.Core.Api;

/// <summary>Retry rules for the one idempotent call (POST /confirmations).</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan AttemptTimeout)
{
    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15));

    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(attempt - 2, 16)));
}

/// <summary>The server's device API (docs/app-api.md). Separated from the HTTP client so the flow can be tested alone.</summary>
public interface IAppApi
{
    Task<ApiResult<ActivationResponse>> ActivateAsync(DeviceKey key, ActivationRequest request, CancellationToken cancellationToken);

    Task<ApiResult<SessionResponse>> LogInAsync(DeviceKey key, StaffLoginRequest request, CancellationToken cancellationToken);

    Task<ApiResult<NoContent>> LogOutAsync(DeviceKey key, string sessionToken, CancellationToken cancellationToken);

    Task<ApiResult<ChallengeResponse>> CreateChallengeAsync(DeviceKey key, string sessionToken, string purpose, CancellationToken cancellationToken);

    /// <summary>Whether the session and the device are still valid, with the institution's purposes and offer now.</summary>
    Task<ApiResult<CurrentSessionResponse>> GetSessionAsync(DeviceKey key, string sessionToken, CancellationToken cancellationToken);

    /// <summary>Asks the server whether the card just read can be used, before the patient enters anything.</summary>
    Task<ApiResult<CardCheckResponse>> CheckCardAsync(DeviceKey key, string sessionToken, CardCheckRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Sends the confirmation with <paramref name="idempotencyKey"/>, retrying on network failures and transient
    /// server errors with the same key (a new DPoP proof each time). Unreachable means the outcome is unknown:
    /// call again with the same key and body.
    /// </summary>
    Task<ApiResult<ConfirmationResponse>> ConfirmAsync(DeviceKey key, string sessionToken, ConfirmationRequest request, Guid idempotencyKey,
        CancellationToken cancellationToken);
}

/// <summary>HTTP implementation of <see cref="IAppApi"/>. Every request carries a fresh DPoP proof.</summary>
public sealed class AppApiClient : IAppApi
{
    public const string BasePath = "api/app/v1/";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly RetryPolicy _retry;

    public AppApiClient(HttpClient http, TimeProvider time, RetryPolicy? retry = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _time = time;
        _retry = retry ?? RetryPolicy.Default;
    }

    public Task<ApiResult<ActivationResponse>> ActivateAsync(DeviceKey key, ActivationRequest request, CancellationToken cancellationToken) =>
        SendOnceAsync<ActivationResponse>(key, HttpMethod.Post, "activation", null, request, cancellationToken);

    public Task<ApiResult<SessionResponse>> LogInAsync(DeviceKey key, StaffLoginRequest request, CancellationToken cancellationToken) =>
        SendOnceAsync<SessionResponse>(key, HttpMethod.Post, "sessions", null, request, cancellationToken);

    public Task<ApiResult<NoContent>> LogOutAsync(DeviceKey key, string sessionToken, CancellationToken cancellationToken) =>
        SendOnceAsync<NoContent>(key, HttpMethod.Delete, "sessions/current", sessionToken, null, cancellationToken);

    public Task<ApiResult<ChallengeResponse>> CreateChallengeAsync(DeviceKey key, string sessionToken, string purpose, CancellationToken cancellationToken) =>
        SendOnceAsync<ChallengeResponse>(key, HttpMethod.Post, "challenges", sessionToken, new ChallengeRequest(purpose), cancellationToken);

    public Task<ApiResult<CurrentSessionResponse>> GetSessionAsync(DeviceKey key, string sessionToken, CancellationToken cancellationToken) =>
        SendOnceAsync<CurrentSessionResponse>(key, HttpMethod.Get, "sessions/current", sessionToken, null, cancellationToken);

    public Task<ApiResult<CardCheckResponse>> CheckCardAsync(DeviceKey key, string sessionToken, CardCheckRequest request, CancellationToken cancellationToken) =>
        SendOnceAsync<CardCheckResponse>(key, HttpMethod.Post, "card-checks", sessionToken, request, cancellationToken);

    public async Task<ApiResult<ConfirmationResponse>> ConfirmAsync(DeviceKey key, string sessionToken, ConfirmationRequest request,
        Guid idempotencyKey, CancellationToken cancellationToken)
    {
        ApiResult<ConfirmationResponse>? last = null;
        for (var attempt = 1; attempt <= _retry.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(_retry.DelayBefore(attempt), _time, cancellationToken).ConfigureAwait(false);
            }

            var result = await SendCoreAsync<ConfirmationResponse>(key, HttpMethod.Post, "confirmations", sessionToken, request,
                idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (!result.Outcome.Unreachable)
            {
                return result.Outcome.Value is { } value && result.Status == HttpStatusCode.OK
                    ? ApiResult.Success(value) with { WasReplayed = true }
                    : result.Outcome;
            }

            last = result.Outcome;
        }

        return last ?? ApiResult.NoAnswer<ConfirmationResponse>(ApiCodes.NetworkUnreachable, Flow.FlowTexts.NoAnswer(ApiCodes.NetworkUnreachable, null));
    }

    private async Task<ApiResult<T>> SendOnceAsync<T>(DeviceKey key, HttpMethod method, string relativePath, string? sessionToken, object? body,
        CancellationToken cancellationToken)
        where T : class =>
        (await SendCoreAsync<T>(key, method, relativePath, sessionToken, body, null, cancellationToken).ConfigureAwait(false)).Outcome;

    private async Task<(ApiResult<T> Outcome, HttpStatusCode Status)> SendCoreAsync<T>(DeviceKey key, HttpMethod method, string relativePath,
        string? sessionToken, object? body, Guid? idempotencyKey, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        var uri = new Uri(_http.BaseAddress!, BasePath + relativePath);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("DPoP", DpopProof.Create(key, method.Method, uri.AbsolutePath, _time.GetUtcNow(), sessionToken));
        if (sessionToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", sessionToken);
        }

        if (idempotencyKey is { } idempotency)
        {
            request.Headers.Add("Idempotency-Key", idempotency.ToString("D"));
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var timeout = new CancellationTokenSource(_retry.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            var status = response.StatusCode;
            if (IsTransient(status))
            {
                // A 5xx with a machine code is the server's answer (e.g. jpki.revocation_list_unavailable, 503): final.
                // Without one (proxy page, crash) nobody knows whether the request was processed: retry or report unknown.
                var coded = await ReadRefusalAsync(response, linked.Token).ConfigureAwait(false);
                return coded.Code.StartsWith("http.", StringComparison.Ordinal)
                    ? (ApiResult.NoAnswer<T>(ApiCodes.NetworkServerUnavailable, Flow.FlowTexts.NoAnswer(ApiCodes.NetworkServerUnavailable, (int)status)), status)
                    : (ApiResult.Refused<T>(coded), status);
            }

            if (response.IsSuccessStatusCode)
            {
                if (typeof(T) == typeof(NoContent))
                {
                    return (ApiResult.Success<T>((T)(object)NoContent.Value), status);
                }

                var value = await response.Content.ReadFromJsonAsync<T>(Json, linked.Token).ConfigureAwait(false);
                return value is null
                    ? (ApiResult.Refused<T>(Malformed((int)status)), status)
                    : (ApiResult.Success<T>(value), status);
            }

            return (ApiResult.Refused<T>(await ReadRefusalAsync(response, linked.Token).ConfigureAwait(false)), status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (NoAnswer<T>(ApiCodes.NetworkTimeout), 0);
        }
        catch (HttpRequestException e)
        {
            return (NoAnswer<T>(Classify(e)), 0);
        }
        catch (IOException)
        {
            // The body was cut off while being read: the server may well have done the work.
            return (NoAnswer<T>(ApiCodes.NetworkConnectionLost), 0);
        }
        catch (JsonException)
        {
            return (ApiResult.Refused<T>(Malformed(0)), 0);
        }
    }

    private static ApiResult<T> NoAnswer<T>(string code) where T : class => ApiResult.NoAnswer<T>(code, Flow.FlowTexts.NoAnswer(code, null));

    /// <summary>What kind of "no answer" it was, so the message says what staff can check (cable, address, certificate).</summary>
    internal static string Classify(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => ApiCodes.NetworkNameResolution,
        HttpRequestError.SecureConnectionError => ApiCodes.NetworkTls,
        HttpRequestError.ResponseEnded => ApiCodes.NetworkConnectionLost,
        HttpRequestError.ConnectionError when e.InnerException is System.Net.Sockets.SocketException
            { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } => ApiCodes.NetworkRefused,
        HttpRequestError.ConnectionError when e.InnerException is System.Net.Sockets.SocketException
            { SocketErrorCode: System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData }
            => ApiCodes.NetworkNameResolution,
        _ when e.InnerException is IOException => ApiCodes.NetworkConnectionLost,
        _ => ApiCodes.NetworkUnreachable,
    };

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static async Task<ApiRefusal> ReadRefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var document = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), default, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && !string.IsNullOrEmpty(code.GetString()))
            {
                var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return new ApiRefusal(code.GetString()!, string.IsNullOrWhiteSpace(detail) ? Malformed(status).Detail : detail!, status);
            }
        }
        catch (JsonException)
        {
        }

        return Malformed(status);
    }

    private static ApiRefusal Malformed(int status) =>
        new($"http.{status}", $"サーバーから予期しない応答がありました（HTTP {status}）。時間をおいても続く場合は管理者に連絡してください。", status);
}
