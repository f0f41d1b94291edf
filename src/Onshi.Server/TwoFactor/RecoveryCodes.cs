using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.TwoFactor;

/// <summary>
/// One-time recovery codes: 10 symbols of Crockford base32 (50 random bits) written XXXXX-XXXXX. Ten are issued at
/// enrolment and shown once. Reading folds case, full-width input, hyphens and spaces, and I/L → 1, O → 0.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    public const int Symbols = 10;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Generate()
    {
        var builder = new StringBuilder(Symbols + 1);
        for (var i = 0; i < Symbols; i++)
        {
            if (i == 5)
            {
                builder.Append('-');
            }

            builder.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>The 10 canonical symbols, or null when the text cannot be a recovery code.</summary>
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
}
