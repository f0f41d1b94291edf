using Onshi.Server.Common;

namespace Onshi.Server.TwoFactor;

/// <summary>
/// One-time recovery codes: 10 symbols of Crockford base32 (50 random bits) written XXXXX-XXXXX. Ten are issued at
/// enrolment and shown once (see <see cref="CrockfordBase32"/> for how input is read).
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    public const int Symbols = 10;

    public static string Generate() => CrockfordBase32.Generate(Symbols, groupSize: 5);

    /// <summary>The 10 canonical symbols, or null when the text cannot be a recovery code.</summary>
    public static string? Normalize(string? text) => CrockfordBase32.Normalize(text, Symbols);
}
