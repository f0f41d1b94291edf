using System.Security.Cryptography;
using System.Text;

namespace Onshi.AppProtocol;

/// <summary>
/// The RFC 7638 SHA-256 thumbprint of a P-256 public key: the device's identity on the server and field 4 of the message
/// the card signs (src/Onshi.Jpki/readme.md). One implementation for both ends.
/// </summary>
public static class JwkThumbprint
{
    /// <summary>Length of the thumbprint in bytes (SHA-256).</summary>
    public const int Length = 32;

    /// <summary>
    /// RFC 7638 §3: the required members only (crv, kty, x, y) in lexicographic order, no whitespace, hashed as UTF-8
    /// octets. The coordinates are base64url text, so the octets are the same as ASCII.
    /// </summary>
    public static byte[] Compute(string x, string y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}"""));
    }
}
