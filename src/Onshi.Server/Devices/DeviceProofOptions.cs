using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.Devices;

/// <summary>Configuration section "DeviceProof".</summary>
public sealed class DeviceProofOptions
{
    public const string Section = "DeviceProof";

    /// <summary>How far a proof's iat may be from server time, either way (RFC 9449 §11.1 leaves it to the server).</summary>
    [Range(5, 600)]
    public int IssuedAtWindowSeconds { get; set; } = 120;

    /// <summary>How long a used jti is remembered; must exceed twice the iat window so a replay is always caught.</summary>
    [Range(1, 60)]
    public int ReplayMemoryMinutes { get; set; } = 10;
}
