using Onshi.Server.Accounts;

namespace Onshi.Server.ActivationCodes;

/// <summary>
/// アクティベーションコード: a one-device enrolment secret issued by an administrator. Only its SHA-256 hash is kept.
/// Issue 4 binds a device to it (DeviceId) through <see cref="RedeemActivationCode"/>.
/// </summary>
public sealed class ActivationCode
{
    public int Id { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>The device it is meant for, as the administrator described it (「Aのスマホ1」).</summary>
    public required string Label { get; set; }

    /// <summary>SHA-256 of the normalised code; see readme.md for why a fast hash is enough here.</summary>
    public required byte[] CodeHash { get; set; }

    public ActivationCodeStatus Status { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public int IssuedByAccountId { get; set; }

    public Account? IssuedBy { get; set; }

    /// <summary>An unused code stops working at this instant.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>利用開始日時: when a device redeemed it.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>The device bound to this code; issue 4 gives it meaning (a device record with its key).</summary>
    public Guid? DeviceId { get; set; }

    public DateTimeOffset? InvalidatedAt { get; set; }

    public int? InvalidatedByAccountId { get; set; }

    /// <summary>Optimistic concurrency token: invalidation and redemption racing on the same code cannot both win.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public bool IsExpired(DateTimeOffset now) => Status == ActivationCodeStatus.Unused && now >= ExpiresAt;
}
