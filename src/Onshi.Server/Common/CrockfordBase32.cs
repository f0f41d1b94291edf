using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.Common;

/// <summary>
/// Random secrets people type (activation codes, recovery codes) in Crockford's base32: 0–9 and A–Z without I, L, O,
/// U, so 5 random bits per symbol, written in hyphenated groups. Reading is forgiving the way Crockford intends: case,
/// hyphens and spaces do not matter, full-width input is folded, and I/L read as 1 and O as 0.
/// </summary>
public static class CrockfordBase32
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary><paramref name="symbols"/> uniformly random symbols, a hyphen after every <paramref name="groupSize"/>.</summary>
    public static string Generate(int symbols, int groupSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groupSize);
        var builder = new StringBuilder(symbols + (symbols / groupSize));
        for (var i = 0; i < symbols; i++)
        {
            if (i > 0 && i % groupSize == 0)
            {
                builder.Append('-');
            }

            builder.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>Exactly <paramref name="symbols"/> canonical symbols, or null when the text cannot be such a secret.</summary>
    public static string? Normalize(string? text, int symbols)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(symbols);
        foreach (var raw in text.Normalize(NormalizationForm.FormKC).ToUpperInvariant())
        {
            var c = raw switch
            {
                'I' or 'L' => '1',
                'O' => '0',
                _ => raw,
            };
            if (c is '-' or ' ')
            {
                continue;
            }

            if (!Alphabet.Contains(c, StringComparison.Ordinal) || builder.Length == symbols)
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.Length == symbols ? builder.ToString() : null;
    }
}
