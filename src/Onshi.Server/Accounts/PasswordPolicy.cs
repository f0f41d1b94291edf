using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;
using Onshi.Server.Common;

namespace Onshi.Server.Accounts;

/// <summary>
/// What a new password must satisfy, following NIST SP 800-63B: a minimum length, a blocklist of common and
/// context-specific passwords, and nothing else — no composition rules, no periodic expiry. See readme.md.
/// </summary>
public sealed class PasswordPolicy(IOptions<AccountOptions> options)
{
    private static readonly Lazy<HashSet<string>> Blocklist = new(LoadBlocklist);

    public int MinimumLength => options.Value.MinimumPasswordLength;

    public IReadOnlyList<Refusal> Check(string? password, string userId, string institutionCode)
    {
        if (string.IsNullOrEmpty(password))
        {
            return [Refusals.PasswordRequired];
        }

        var normalized = PasswordText.Normalize(password);
        var length = new StringInfo(normalized).LengthInTextElements;
        if (length < options.Value.MinimumPasswordLength)
        {
            return [Refusals.PasswordTooShort(options.Value.MinimumPasswordLength)];
        }

        if (length > options.Value.MaximumPasswordLength)
        {
            return [Refusals.PasswordTooLong(options.Value.MaximumPasswordLength)];
        }

        var lower = normalized.ToLowerInvariant();
        var refusals = new List<Refusal>();
        if (!string.IsNullOrEmpty(userId) && lower.Contains(userId.ToLowerInvariant(), StringComparison.Ordinal))
        {
            refusals.Add(Refusals.PasswordContainsUserId);
        }

        if (!string.IsNullOrEmpty(institutionCode) && lower.Contains(institutionCode, StringComparison.Ordinal))
        {
            refusals.Add(Refusals.PasswordContainsInstitutionCode);
        }

        if (IsCommon(lower))
        {
            refusals.Add(Refusals.PasswordCommon);
        }
        else if (IsRepetitive(lower))
        {
            refusals.Add(Refusals.PasswordRepetitive);
        }

        return refusals;
    }

    /// <summary>
    /// On the list as it is, or a listed word padded with digits and symbols ("password2025!!!!"), or the same list
    /// word written twice ("qwertyqwerty...") — the usual ways people stretch a weak password to a length rule.
    /// </summary>
    internal static bool IsCommon(string lower)
    {
        var list = Blocklist.Value;
        if (list.Contains(lower))
        {
            return true;
        }

        var core = lower.Trim("0123456789!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~ ".ToCharArray());
        if (core.Length > 0 && list.Contains(core))
        {
            return true;
        }

        return core.Length % 2 == 0 && core.Length > 0 && core[..(core.Length / 2)] == core[(core.Length / 2)..] && list.Contains(core[..(core.Length / 2)]);
    }

    /// <summary>Three or fewer distinct characters, one short unit repeated, or a straight run like "abcdef…"/"123456…".</summary>
    internal static bool IsRepetitive(string lower)
    {
        if (lower.Distinct().Count() <= 3)
        {
            return true;
        }

        for (var unit = 1; unit <= lower.Length / 2; unit++)
        {
            if (lower.Length % unit == 0 && string.Concat(Enumerable.Repeat(lower[..unit], lower.Length / unit)) == lower)
            {
                return true;
            }
        }

        var ascending = true;
        var descending = true;
        for (var i = 1; i < lower.Length; i++)
        {
            var step = lower[i] - lower[i - 1];
            var wraps = lower[i - 1] == '9' && lower[i] == '0';
            var wrapsDown = lower[i - 1] == '0' && lower[i] == '9';
            ascending &= step == 1 || wraps;
            descending &= step == -1 || wrapsDown;
        }

        return ascending || descending;
    }

    private static HashSet<string> LoadBlocklist()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Onshi.Server.Accounts.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && !word.StartsWith('#'))
            {
                set.Add(word.ToLowerInvariant());
            }
        }

        return set;
    }
}
