using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.Devices;

/// <summary>Configuration section "DeviceProof".</summary>
public sealed class DeviceProofOptions
{
    public const string Section = "DeviceProof";

    /// <summary>How far a proof's iat may be from server time, either way (RFC 9449 §11.1 leaves it to the server).</summary>
    [Range(5, 600)]
    public int IssuedAtWindowSeconds { get; set; } = 120;

    public const string ReplayMemoryTooShort =
        "DeviceProof:ReplayMemoryMinutes must be longer than twice DeviceProof:IssuedAtWindowSeconds: a proof is accepted for the whole iat window either side, so a shorter memory forgets a jti while its proof can still be replayed.";

    /// <summary>How long a used jti is remembered; must exceed twice the iat window so a replay is always caught (checked at start).</summary>
    [Range(1, 60)]
    public int ReplayMemoryMinutes { get; set; } = 10;
}
