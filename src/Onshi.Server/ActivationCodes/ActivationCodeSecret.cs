using System.Security.Cryptography;
using System.Text;
using Onshi.Server.Common;

namespace Onshi.Server.ActivationCodes;

/// <summary>
/// The text of an アクティベーションコード: 16 symbols of Crockford's base32, so 80 random bits, written
/// XXXX-XXXX-XXXX-XXXX for typing (see <see cref="CrockfordBase32"/> for how input is read).
/// </summary>
public static class ActivationCodeSecret
{
    public const string Alphabet = CrockfordBase32.Alphabet;
    public const int Symbols = 16;

    public static string Generate() => CrockfordBase32.Generate(Symbols, groupSize: 4);

    /// <summary>The 16 canonical symbols, or null when the text cannot be a code.</summary>
    public static string? Normalize(string? text) => CrockfordBase32.Normalize(text, Symbols);

    /// <summary>SHA-256 of the canonical symbols (see readme.md: 80 random bits need no slow hash).</summary>
    public static byte[] Hash(string normalized) => SHA256.HashData(Encoding.ASCII.GetBytes("onshi-activation-code:" + normalized));
}
