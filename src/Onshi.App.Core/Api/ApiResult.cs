namespace Onshi.App.Core.Api;

/// <summary>
/// A refusal of the server: the stable machine code (the app branches only on it) and the server's Japanese
/// sentence for staff (the app shows it).
/// </summary>
public sealed record ApiRefusal(string Code, string Detail, int Status)
{
    public bool IsDeviceInvalidated => Code is ApiCodes.DeviceInvalidated or ApiCodes.DeviceUnknown;

    public bool IsSessionExpired => Code == ApiCodes.SessionExpired;
}

/// <summary>How a call ended: a value, a refusal, or no answer at all (the request may or may not have been processed).</summary>
public sealed record ApiResult<T>(T? Value, ApiRefusal? Refusal, string? UnreachableReason)
    where T : class
{
    /// <summary>Why there was no answer, as a stable machine code (<see cref="ApiCodes"/> <c>network.*</c>); null when there was one.</summary>
    public string? UnreachableCode { get; init; }

    public bool Succeeded => Value is not null;

    /// <summary>No usable answer: network down, timeout, or a transient server error after every retry.</summary>
    public bool Unreachable => UnreachableReason is not null;

    /// <summary>True when the server answered 200 to a retry: the result was already stored under this idempotency key.</summary>
    public bool WasReplayed { get; init; }
}

/// <summary>Factories for <see cref="ApiResult{T}"/>.</summary>
public static class ApiResult
{
    public static ApiResult<T> Success<T>(T value) where T : class => new(value, null, null);

    public static ApiResult<T> Refused<T>(ApiRefusal refusal) where T : class => new(null, refusal, null);

    public static ApiResult<T> NoAnswer<T>(string reason) where T : class => NoAnswer<T>(ApiCodes.NetworkUnreachable, reason);

    public static ApiResult<T> NoAnswer<T>(string code, string reason) where T : class => new(null, null, reason) { UnreachableCode = code };
}

/// <summary>An empty success body (204).</summary>
public sealed record NoContent
{
    public static NoContent Value { get; } = new();
}

/// <summary>The machine codes the app reacts to (docs/app-api.md); every other code is shown with its detail.</summary>
public static class ApiCodes
{
    public const string DeviceInvalidated = "device.invalidated";
    public const string DeviceUnknown = "device.unknown";
    public const string PurposeNotEnabled = "purpose.not_enabled";
    public const string CardPinBlocked = "card.pin_blocked";
    public const string SessionExpired = "session.expired";
    public const string ChallengeExpired = "challenge.expired";
    public const string ChallengeUsed = "challenge.used";
    public const string ChallengeUnknown = "challenge.unknown";
    public const string ChallengeOtherDevice = "challenge.other_device";
    public const string IdempotencyConflict = "idempotency.conflict";
    public const string DpopReplayed = "dpop.replayed";
    public const string DpopInvalid = "dpop.invalid";
    public const string CredentialsInvalid = "app.credentials_invalid";
    public const string PrescriptionIssueRequired = "confirmation.prescription_issue_required";

    // No answer from the server (set by the client, never sent by the server): what the device saw, so staff and the
    // administrator can tell a cable from a certificate from a proxy. Every one means "the outcome is unknown".
    public const string NetworkUnreachable = "network.unreachable";
    public const string NetworkRefused = "network.refused";
    public const string NetworkNameResolution = "network.name_resolution";
    public const string NetworkTls = "network.tls";
    public const string NetworkTimeout = "network.timeout";
    public const string NetworkConnectionLost = "network.connection_lost";
    public const string NetworkServerUnavailable = "network.server_unavailable";
}
