using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Onshi.Jpki;

/// <summary>
/// The outer shape shared by certificates and CRLs: SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }
/// (RFC 5280 §4.1 and §5.1). Used where .NET offers no "verify this signature" API: the self-signature of
/// a trust anchor and the signature of a CRL.
/// </summary>
internal static class SignedDer
{
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    private const string Sha512WithRsa = "1.2.840.113549.1.1.13";

    /// <summary>Splits a signed DER object; false (never an exception) when it is not well-formed DER.</summary>
    public static bool TrySplit(ReadOnlyMemory<byte> der, out ReadOnlyMemory<byte> tbs, out string algorithmOid, out ReadOnlyMemory<byte> algorithmParameters, out byte[] signature)
    {
        tbs = default;
        algorithmOid = "";
        algorithmParameters = default;
        signature = [];
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            if (outer.HasData)
            {
                return false;
            }

            tbs = sequence.ReadEncodedValue();
            var algorithm = sequence.ReadSequence();
            algorithmOid = algorithm.ReadObjectIdentifier();
            algorithmParameters = algorithm.HasData ? algorithm.ReadEncodedValue() : default;
            if (algorithm.HasData)
            {
                return false;
            }

            signature = sequence.ReadBitString(out var unusedBits);
            return unusedBits == 0 && !sequence.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Maps a signature AlgorithmIdentifier to a hash. Only sha{256,384,512}WithRSAEncryption with NULL or absent
    /// parameters (RFC 4055 §5) are accepted: the JPKI CAs sign with sha256WithRSAEncryption (card-protocol.md §7),
    /// and SHA-1 is refused outright (CA5350/CA5351; collisions are practical).
    /// </summary>
    public static bool TryGetRsaHash(string algorithmOid, ReadOnlyMemory<byte> parameters, out HashAlgorithmName hash)
    {
        hash = algorithmOid switch
        {
            Sha256WithRsa => HashAlgorithmName.SHA256,
            Sha384WithRsa => HashAlgorithmName.SHA384,
            Sha512WithRsa => HashAlgorithmName.SHA512,
            _ => default,
        };
        var nullOrAbsent = parameters.IsEmpty || parameters.Span.SequenceEqual((ReadOnlySpan<byte>)[0x05, 0x00]);
        return hash != default && nullOrAbsent;
    }

    /// <summary>Verifies the RSA PKCS#1 v1.5 signature of a signed DER object with <paramref name="key"/>.</summary>
    public static bool VerifyRsa(ReadOnlyMemory<byte> tbs, string algorithmOid, ReadOnlyMemory<byte> parameters, byte[] signature, RSA key)
    {
        if (!TryGetRsaHash(algorithmOid, parameters, out var hash))
        {
            return false;
        }

        try
        {
            return key.VerifyData(tbs.Span, signature, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
