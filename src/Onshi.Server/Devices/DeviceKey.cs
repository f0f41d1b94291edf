using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.Devices;

/// <summary>
/// An ES256 device public key as it arrives in the DPoP header's <c>jwk</c>: P-256 coordinates, each exactly 32 bytes.
/// </summary>
public sealed class DeviceKey
{
    public const int CoordinateLength = 32;

    private DeviceKey(string x, string y, byte[] xBytes, byte[] yBytes)
    {
        X = x;
        Y = y;
        XBytes = xBytes;
        YBytes = yBytes;
        Thumbprint = ComputeThumbprint(x, y);
    }

    /// <summary>base64url of the x coordinate, as received (canonical: 43 characters, no padding).</summary>
    public string X { get; }

    public string Y { get; }

    internal byte[] XBytes { get; }

    internal byte[] YBytes { get; }

    /// <summary>RFC 7638 SHA-256 thumbprint: the key's identity, also bound into the card's signed message.</summary>
    public byte[] Thumbprint { get; }

    /// <summary>
    /// Accepts only canonical base64url coordinates of the right length that lie on the curve: a malformed key is a
    /// refusal, never an exception, and a key that is not canonical could give one key two thumbprints.
    /// </summary>
    public static DeviceKey? TryCreate(string? x, string? y)
    {
        var xBytes = Base64Url.TryDecodeCanonical(x, CoordinateLength);
        var yBytes = Base64Url.TryDecodeCanonical(y, CoordinateLength);
        if (xBytes is null || yBytes is null)
        {
            return null;
        }

        try
        {
            // Importing validates that the point is on P-256 (OpenSSL refuses points off the curve).
            using var ecdsa = ECDsa.Create(Parameters(xBytes, yBytes));
        }
        catch (CryptographicException)
        {
            return null;
        }

        return new DeviceKey(x!, y!, xBytes, yBytes);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var ecdsa = ECDsa.Create(Parameters(XBytes, YBytes));
        return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>RFC 7638 §3.2: the required members in lexicographic order, no whitespace.</summary>
    public static byte[] ComputeThumbprint(string x, string y) =>
        SHA256.HashData(Encoding.ASCII.GetBytes("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}"));

    private static ECParameters Parameters(byte[] x, byte[] y) => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = x, Y = y },
    };
}

/// <summary>base64url without padding (RFC 7515 §2), strict.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>Decodes only canonical text (re-encoding gives the same text), optionally of an exact decoded length.</summary>
    public static byte[]? TryDecodeCanonical(string? text, int? exactLength = null, int maximumLength = 64 * 1024)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maximumLength)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        byte[] bytes;
        try
        {
            bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }

        if (exactLength is { } length && bytes.Length != length)
        {
            return null;
        }

        return Encode(bytes) == text ? bytes : null;
    }
}
