using Onshi.Server.AppSessions;
using Onshi.Server.Devices;

namespace Onshi.Server.AppApi;

/// <summary>What an app endpoint needs to prove before it runs (endpoint metadata; the group default is <see cref="Session"/>).</summary>
public enum ProofRequirement
{
    /// <summary>A valid proof with any key (activation binds a new key).</summary>
    AnyKey = 1,

    /// <summary>A valid proof by the key of an active device (staff login).</summary>
    ActiveDevice = 2,

    /// <summary>A valid proof by the device of a live session, with <c>Authorization: DPoP &lt;token&gt;</c> and a matching ath.</summary>
    Session = 3,
}

/// <summary>
/// Marks an endpoint whose operation writes the request's <see cref="ProofLedger"/> (jti and session touch) inside its
/// own single commit (the hot path); for every other endpoint the filter writes it before the endpoint runs.
/// </summary>
public sealed class RecordsProofInOwnTransaction;

/// <summary>The verified facts of one app request, set by <see cref="DeviceProofFilter"/> in HttpContext.Features.</summary>
public sealed class AppRequest
{
    public required DeviceProof Proof { get; init; }

    public AppDevice? Device { get; init; }

    public AppSessionContext? Session { get; init; }

    public AppDevice RequiredDevice => Device ?? throw new InvalidOperationException("This endpoint requires a device.");

    public AppSessionContext RequiredSession => Session ?? throw new InvalidOperationException("This endpoint requires a session.");
}

public static class AppRequestExtensions
{
    public static AppRequest App(this HttpContext context) =>
        context.Features.Get<AppRequest>() ?? throw new InvalidOperationException("DeviceProofFilter did not run.");
}
