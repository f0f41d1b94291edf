using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Onshi.Jpki;

/// <summary>
/// The parts of a 券面AP card-face record (EF 0002, card-protocol.md §5.2) that a verifier needs, as read from the card.
/// Tags: FF20 { DF21 offset table, DF22 birth date, DF23 sex, DF24 card public key, DF25 name image, DF26 address image,
/// DF27 face photo, DF28 signature, DF29 expiry, DF2A security-code image }.
/// </summary>
public sealed record CardFaceRecord(DateOnly BirthDate, byte[] PublicKeyModulus, byte[] PublicKeyExponent, byte[] DigestInfo, byte[] Signature)
{
    /// <summary>Largest record accepted (photo and two images are a few tens of kilobytes on real cards).</summary>
    public const int MaximumBytes = 64 * 1024;

    private static readonly Asn1Tag Outer = new(TagClass.Private, 0x20, isConstructed: true);

    /// <summary>Reads a card-face record; null when it is not one (wrong tags, missing fields, bad lengths, trailing bytes).</summary>
    public static CardFaceRecord? TryRead(ReadOnlyMemory<byte> record)
    {
        if (record.Length is 0 or > MaximumBytes)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(record, AsnEncodingRules.BER);
            var outerContent = reader.ReadSequence(Outer);
            if (reader.HasData)
            {
                return null;
            }

            var fields = new Dictionary<int, ReadOnlyMemory<byte>>();
            while (outerContent.HasData)
            {
                var tag = outerContent.PeekTag();
                var encoded = outerContent.ReadEncodedValue();
                if (tag.TagClass != TagClass.Private || tag.IsConstructed || !fields.TryAdd(tag.TagValue, encoded))
                {
                    return null;
                }
            }

            int[] required = [0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28];
            if (required.Any(t => !fields.ContainsKey(t)))
            {
                return null;
            }

            var birth = Value(fields[0x22]);
            if (birth.Length != 8 || !DateOnly.TryParseExact(System.Text.Encoding.ASCII.GetString(birth), "yyyyMMdd",
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
            {
                return null;
            }

            var key = new AsnReader(Value(fields[0x24]).ToArray(), AsnEncodingRules.BER);
            var exponent = key.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0x10));
            var modulus = key.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0x11));
            if (key.HasData)
            {
                return null;
            }

            // DF28 signs DigestInfo(sha256, SHA256(DF22|DF23|DF24) ‖ SHA256(DF25|DF26) ‖ SHA256(DF27)), each over the raw TLVs.
            var digestInfo = DigestInfoOver(
                [.. fields[0x22].Span, .. fields[0x23].Span, .. fields[0x24].Span],
                [.. fields[0x25].Span, .. fields[0x26].Span],
                fields[0x27].Span);
            return new CardFaceRecord(birthDate, modulus, exponent, digestInfo, Value(fields[0x28]).ToArray());
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>True when DF28 verifies with <paramref name="key"/>, and <paramref name="key"/> is the key the record names (DF24).</summary>
    public bool IsSignedBy(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(false);
        return TrimmedEquals(parameters.Modulus!, PublicKeyModulus) && TrimmedEquals(parameters.Exponent!, PublicKeyExponent)
            && CardFaceSignature.VerifyRawPkcs1(key, DigestInfo, Signature);
    }

    /// <summary>DigestInfo(sha256, OCTET STRING of the three 32-byte hashes) = 30 71 30 0D &lt;alg&gt; 04 60 &lt;96 B&gt;.</summary>
    public static byte[] DigestInfoOver(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        ReadOnlySpan<byte> prefix = [0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60];
        return [.. prefix, .. SHA256.HashData(first), .. SHA256.HashData(second), .. SHA256.HashData(third)];
    }

    private static ReadOnlySpan<byte> Value(ReadOnlyMemory<byte> encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        return reader.ReadOctetString(tag);
    }

    private static bool TrimmedEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> x)
        {
            while (x.Length > 1 && x[0] == 0)
            {
                x = x[1..];
            }

            return x;
        }

        return Trim(a).SequenceEqual(Trim(b));
    }
}

/// <summary>PKCS#1 v1.5 type-1 signatures over arbitrary bytes, as the My Number card's APs make them (card-protocol.md §5.2).</summary>
public static class CardFaceSignature
{
    /// <summary>Checks a PKCS#1 v1.5 type-1 signature over <paramref name="data"/> (no hashing: the data is the encoded DigestInfo).</summary>
    public static bool VerifyRawPkcs1(RSA key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(false);
        var k = parameters.Modulus!.Length;
        if (signature.Length != k || data.Length > k - 11)
        {
            return false;
        }

        var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
        {
            return false;
        }

        var m = BigInteger.ModPow(s, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var em = new byte[k];
        m.CopyTo(em.AsSpan(k - m.Length));
        var expected = new byte[k];
        expected[1] = 0x01;
        expected.AsSpan(2, k - data.Length - 3).Fill(0xFF);
        data.CopyTo(expected.AsSpan(k - data.Length));
        return CryptographicOperations.FixedTimeEquals(em, expected);
    }
}
