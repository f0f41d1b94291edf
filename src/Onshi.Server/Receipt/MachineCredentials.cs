using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.Receipt;

/// <summary>
/// Client ids and secrets of machine accounts. The secret is 32 random bytes (base64url, 43 characters): with 256
/// bits of entropy a fast hash is enough — nobody can guess it offline — and a slow password hash would only add
/// 100 ms to every request of a machine that calls once per patient. See readme.md.
/// </summary>
public static class MachineCredentials
{
    public const string ClientIdPrefix = "rc-";

    public static string NewClientId() => ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(byte[] storedHash, string presentedSecret) =>
        CryptographicOperations.FixedTimeEquals(storedHash, Hash(presentedSecret));
}
