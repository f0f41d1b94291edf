using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.AppSessions;

/// <summary>Session tokens: 32 random bytes (256 bits) as base64url; the server keeps only SHA-256 of the text.</summary>
public static class AppSessionTokens
{
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A fast hash is enough: the token is 256 random bits, so there is nothing to brute-force offline.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));
}
