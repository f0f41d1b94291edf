using System.Security.Cryptography;

namespace Onshi.Server.Devices;

/// <summary>
/// An ES256 device public key as it arrives in the DPoP header's <c>jwk</c>: P-256 coordinates, each exactly 32 bytes.
/// </summary>
public sealed class DeviceKey
{
    public const int CoordinateLength = 32;

    /// <summary>Imported keys kept at most; beyond that the memory is given back and keys are imported again.</summary>
    internal const int MaximumImportedKeys = 4096;

    // Imported public keys by coordinates. A public key is not security state (whether a device or session may act is
    // read from the database on every request); keeping it only saves the import, which validated the point once
    // already. An ECDsa key verifies on any number of threads at once (each call gets its own OpenSSL context).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ECDsa> Imported = new(StringComparer.Ordinal);

    private readonly ECDsa _key;

    private DeviceKey(string x, string y, byte[] xBytes, byte[] yBytes, ECDsa key)
    {
        _key = key;
        X = x;
        Y = y;
        XBytes = xBytes;
        YBytes = yBytes;
        Thumbprint = JwkThumbprint.Compute(x, y);
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
        var xBytes = CanonicalBase64Url.TryDecode(x, CoordinateLength);
        var yBytes = CanonicalBase64Url.TryDecode(y, CoordinateLength);
        if (xBytes is null || yBytes is null)
        {
            return null;
        }

        var name = x + "." + y;
        if (!Imported.TryGetValue(name, out var key))
        {
            try
            {
                // Importing validates that the point is on P-256 (OpenSSL refuses points off the curve).
                key = ECDsa.Create(Parameters(xBytes, yBytes));
            }
            catch (CryptographicException)
            {
                return null;
            }

            if (Imported.Count >= MaximumImportedKeys)
            {
                // Dropped, not disposed: another request may be verifying with one of them; the finalizer frees them.
                Imported.Clear();
            }

            var stored = Imported.GetOrAdd(name, key);
            if (!ReferenceEquals(stored, key))
            {
                key.Dispose();
                key = stored;
            }
        }

        return new DeviceKey(x!, y!, xBytes, yBytes, key);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private static ECParameters Parameters(byte[] x, byte[] y) => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = x, Y = y },
    };
}
