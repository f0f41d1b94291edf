using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.RateLimiting;

/// <summary>Configuration section "RateLimits". Why these numbers: readme.md and docs/security.md, "Brute force arithmetic".</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Password and activation-code attempts (portal login, app activation, app login) per source address per minute.</summary>
    [Range(1, 1_000_000)]
    public int CredentialAttemptsPerSourcePerMinute { get; set; } = 30;

    /// <summary>Challenges per source address per minute (a busy reception desk behind one NAT address stays well below).</summary>
    [Range(1, 1_000_000)]
    public int ChallengesPerSourcePerMinute { get; set; } = 300;

    /// <summary>Challenges per app session per minute: one per patient, a few retries.</summary>
    [Range(1, 1_000_000)]
    public int ChallengesPerSessionPerMinute { get; set; } = 30;

    /// <summary>
    /// Length of the fixed counting window in seconds (default 60, so the limits above are per minute). Tests lengthen
    /// it so that no window can end in the middle of a test on a slow machine; production keeps one minute.
    /// </summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}
