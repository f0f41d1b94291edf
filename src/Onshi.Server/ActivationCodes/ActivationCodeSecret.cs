using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.ActivationCodes;

/// <summary>
/// The text of an アクティベーションコード: 16 symbols of Crockford's base32 (0–9 and A–Z without I, L, O, U), so
/// 80 random bits, written XXXX-XXXX-XXXX-XXXX for typing. Reading is forgiving the way Crockford intends: case,
/// hyphens and spaces do not matter, full-width input is folded, and I/L read as 1 and O as 0.
/// </summary>
public static class ActivationCodeSecret
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Symbols = 16;

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var builder = new StringBuilder(Symbols + 3);
        ulong buffer = 0;
        var bits = 0;
        foreach (var b in random)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                if (builder.Length is 4 or 9 or 14)
                {
                    builder.Append('-');
                }

                builder.Append(Alphabet[(int)((buffer >> bits) & 31)]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The 16 canonical symbols, or null when the text cannot be a code.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(Symbols);
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

            if (!Alphabet.Contains(c, StringComparison.Ordinal) || builder.Length == Symbols)
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.Length == Symbols ? builder.ToString() : null;
    }

    /// <summary>SHA-256 of the canonical symbols (see readme.md: 80 random bits need no slow hash).</summary>
    public static byte[] Hash(string normalized) => SHA256.HashData(Encoding.ASCII.GetBytes("onshi-activation-code:" + normalized));
}
