namespace Onshi.Server.Devices;

/// <summary>Stored status of a device. Stored as its number; never renumber.</summary>
public enum DeviceStatus
{
    /// <summary>Activated and usable.</summary>
    Active = 1,

    /// <summary>Cut off by an administrator (its アクティベーションコード was invalidated); permanent.</summary>
    Invalidated = 2,
}

/// <summary>
/// A staff device running the マイナ資格確認アプリ, bound at activation to exactly one アクティベーションコード and to
/// the P-256 public key the app generated (the private key never leaves the device). Every later request proves
/// possession of that key; see readme.md.
/// </summary>
public sealed class Device
{
    public Guid Id { get; set; }

    public int InstitutionId { get; set; }

    public int ActivationCodeId { get; set; }

    /// <summary>The label of its activation code at activation time (「Aのスマホ1」).</summary>
    public required string Label { get; set; }

    /// <summary>RFC 7638 SHA-256 thumbprint of the device key (32 bytes); unique, the key's identity on every request.</summary>
    public required byte[] KeyThumbprint { get; set; }

    /// <summary>The public key's JWK members x and y (base64url), kept for audit and for re-checking the thumbprint.</summary>
    public required string PublicKeyX { get; set; }

    public required string PublicKeyY { get; set; }

    public DeviceStatus Status { get; set; }

    public int ActivatedByAccountId { get; set; }

    public DateTimeOffset ActivatedAt { get; set; }

    public DateTimeOffset? InvalidatedAt { get; set; }
}
