using System.Security.Cryptography;
using System.Text;

namespace Onshi.App.Core.Api;

/// <summary>
/// The device's ECDSA P-256 key (ES256). Generated once at 初期設定; the public half is bound to the activation code
/// on the server, the private half never leaves the device (it is stored through <c>CredentialStore</c>).
/// </summary>
public sealed class DeviceKey : IDisposable
{
    private readonly ECDsa _key;

    private DeviceKey(ECDsa key)
    {
        _key = key;
        var parameters = key.ExportParameters(false);
        X = Base64Url.EncodeToString(parameters.Q.X);
        Y = Base64Url.EncodeToString(parameters.Q.Y);
        // RFC 7638: the required members only, in lexicographic order, no whitespace.
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""";
        Thumbprint = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    /// <summary>The public point's x coordinate, base64url (32 bytes).</summary>
    public string X { get; }

    /// <summary>The public point's y coordinate, base64url (32 bytes).</summary>
    public string Y { get; }

    /// <summary>RFC 7638 SHA-256 JWK thumbprint, 32 raw bytes: the device's identity on the server and in the signed message.</summary>
    public byte[] Thumbprint { get; }

    public static DeviceKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads a key exported with <see cref="ExportPkcs8"/>; refuses any other curve.</summary>
    public static DeviceKey FromPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new CryptographicException("The stored device key is not a P-256 key.");
            }

            return new DeviceKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    /// <summary>ES256: ECDSA P-256 over SHA-256, signature as r ‖ s (64 bytes, RFC 7518 §3.4).</summary>
    public byte[] SignEs256(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
