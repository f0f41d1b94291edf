namespace Onshi.Server.ActivationCodes;

/// <summary>Stored status of an アクティベーションコード. Stored as its number; never renumber.</summary>
public enum ActivationCodeStatus
{
    /// <summary>未使用: issued, no device bound yet.</summary>
    Unused = 0,

    /// <summary>使用中: bound to exactly one device.</summary>
    InUse = 1,

    /// <summary>無効: invalidated by an administrator; permanent.</summary>
    Invalidated = 2,
}
