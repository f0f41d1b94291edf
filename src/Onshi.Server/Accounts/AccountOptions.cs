using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.Accounts;

/// <summary>Configuration section "Accounts". The reasoning behind each default is in readme.md.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>NIST SP 800-63B rev.4: at least 15 characters for a password that is the only factor.</summary>
    [Range(8, 64)]
    public int MinimumPasswordLength { get; set; } = 15;

    /// <summary>Long passphrases must fit (NIST: allow at least 64).</summary>
    [Range(64, 1024)]
    public int MaximumPasswordLength { get; set; } = 128;

    /// <summary>Consecutive wrong passwords before the account locks (NIST allows up to 100; 5 is the usual Japanese practice).</summary>
    [Range(1, 100)]
    public int MaxConsecutiveFailedLogins { get; set; } = 5;

    /// <summary>How long a lock lasts unless an administrator unlocks sooner; 0 means until an administrator unlocks.</summary>
    [Range(0, 10080)]
    public int LockoutMinutes { get; set; } = 30;
}
