using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Onshi.Card.Apdu;
using Onshi.Card.Tlv;

namespace Onshi.Card.Applications;

/// <summary>性別 as the card writes it (ISO 5218 / JIS X 0303).</summary>
public enum Sex
{
    Unknown = 0,
    Male = 1,
    Female = 2,
    NotApplicable = 9,
}

/// <summary>基本4情報 from the 券面事項入力補助AP as text (EF 0002, §5.1).</summary>
public sealed record BasicFourInfo(string Name, string Address, DateOnly BirthDate, Sex Sex);

/// <summary>The card face record of the 券面AP (EF 0002, §5.2). Images stay as the card stores them.</summary>
public sealed record CardFace(
    DateOnly BirthDate,
    Sex Sex,
    byte[] CardPublicKey,
    byte[] NamePng,
    byte[] AddressPng,
    byte[] FacePhotoJpeg2000,
    byte[] Signature,
    DateOnly CardExpiry,
    byte[] SecurityCodePng,
    byte[] RawRecord)
{
    /// <summary>
    /// Checks DF28: PKCS#1 v1.5 over DigestInfo(sha256, SHA256(DF22|DF23|DF24) ‖ SHA256(DF25|DF26) ‖ SHA256(DF27)) with
    /// the AP key that the card's CV certificate vouches for.
    /// </summary>
    public bool VerifySignature(RSA apPublicKey)
    {
        ArgumentNullException.ThrowIfNull(apPublicKey);
        var digestInfo = CardRecordFormat.CardFaceDigestInfo(RawRecord);
        return CardRecordFormat.VerifyRawPkcs1(apPublicKey, digestInfo, Signature);
    }
}

/// <summary>Parsing (and, for the virtual card, building) of the text and visual AP records.</summary>
public static class CardRecordFormat
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Parses text EF 0001: <c>FF 10 0C</c> + 12 ASCII digits (+ FF filler).</summary>
    public static string ParseMyNumber(ReadOnlyMemory<byte> data)
    {
        var tlv = BerTlvReader.ReadExpected(data, 0xFF10, "個人番号 EF");
        var value = Ascii(tlv.Value.Span, "個人番号");
        if (value.Length != 12 || !value.All(char.IsAsciiDigit))
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData, "個人番号 EF does not hold 12 digits.");
        }

        return value;
    }

    public static byte[] BuildMyNumber(string myNumber) => [.. BerTlv.Encode(0xFF10, Encoding.ASCII.GetBytes(myNumber)), 0xFF, 0xFF];

    /// <summary>Parses text EF 0002 (基本4情報).</summary>
    public static BasicFourInfo ParseBasicFourInfo(ReadOnlyMemory<byte> data)
    {
        var outer = BerTlvReader.ReadExpected(data, 0xFF20, "基本4情報 EF");
        var items = outer.Children();
        var name = Utf8(BerTlvReader.Require(items, 0xDF22, "氏名").Value.Span, "氏名");
        var address = Utf8(BerTlvReader.Require(items, 0xDF23, "住所").Value.Span, "住所");
        var birth = ParseDate(BerTlvReader.Require(items, 0xDF24, "生年月日").Value.Span, "生年月日");
        var sex = ParseSex(BerTlvReader.Require(items, 0xDF25, "性別").Value.Span);
        return new BasicFourInfo(name, address, birth, sex);
    }

    public static byte[] BuildBasicFourInfo(BasicFourInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        byte[][] fields =
        [
            BerTlv.Encode(0xDF22, Encoding.UTF8.GetBytes(info.Name)),
            BerTlv.Encode(0xDF23, Encoding.UTF8.GetBytes(info.Address)),
            BerTlv.Encode(0xDF24, Encoding.ASCII.GetBytes(FormatDate(info.BirthDate))),
            BerTlv.Encode(0xDF25, [(byte)('0' + (int)info.Sex)]),
        ];
        return BuildWithOffsetTable(0xFF20, 0xDF21, fields);
    }

    /// <summary>Parses visual EF 0002 (card face).</summary>
    public static CardFace ParseCardFace(ReadOnlyMemory<byte> data)
    {
        var outer = BerTlvReader.ReadExpected(data, 0xFF20, "券面 EF");
        var items = outer.Children();
        byte[] Get(uint tag, string what) => BerTlvReader.Require(items, tag, what).Value.ToArray();
        return new CardFace(
            ParseDate(BerTlvReader.Require(items, 0xDF22, "生年月日").Value.Span, "生年月日"),
            ParseSex(BerTlvReader.Require(items, 0xDF23, "性別").Value.Span),
            Get(0xDF24, "カード公開鍵"),
            Get(0xDF25, "氏名画像"),
            Get(0xDF26, "住所画像"),
            Get(0xDF27, "顔写真"),
            Get(0xDF28, "署名"),
            ParseDate(BerTlvReader.Require(items, 0xDF29, "有効期限").Value.Span, "有効期限"),
            Get(0xDF2A, "セキュリティコード画像"),
            data[..outer.TotalLength].ToArray());
    }

    /// <summary>Builds visual EF 0002, signing DF28 with the AP key.</summary>
    public static byte[] BuildCardFace(DateOnly birthDate, Sex sex, RSA apKey, byte[] namePng, byte[] addressPng, byte[] photo,
        DateOnly cardExpiry, byte[] securityCodePng)
    {
        ArgumentNullException.ThrowIfNull(apKey);
        var df22 = BerTlv.Encode(0xDF22, Encoding.ASCII.GetBytes(FormatDate(birthDate)));
        var df23 = BerTlv.Encode(0xDF23, [(byte)('0' + (int)sex)]);
        var df24 = BerTlv.Encode(0xDF24, EncodeCardPublicKey(apKey));
        var df25 = BerTlv.Encode(0xDF25, namePng);
        var df26 = BerTlv.Encode(0xDF26, addressPng);
        var df27 = BerTlv.Encode(0xDF27, photo);
        var digestInfo = DigestInfoOver([.. df22, .. df23, .. df24], [.. df25, .. df26], df27);
        var df28 = BerTlv.Encode(0xDF28, SignRawPkcs1(apKey, digestInfo));
        var df29 = BerTlv.Encode(0xDF29, Encoding.ASCII.GetBytes(FormatDate(cardExpiry)));
        var df2a = BerTlv.Encode(0xDF2A, securityCodePng);
        return BuildWithOffsetTable(0xFF20, 0xDF21, [df22, df23, df24, df25, df26, df27, df28, df29, df2a]);
    }

    /// <summary>The DigestInfo that DF28 signs, recomputed from a raw card-face record.</summary>
    public static byte[] CardFaceDigestInfo(ReadOnlyMemory<byte> record)
    {
        var items = BerTlvReader.ReadExpected(record, 0xFF20, "券面 EF").Children();
        byte[] Raw(uint tag)
        {
            var child = BerTlvReader.Require(items, tag, "券面");
            return record.Span.Slice(OffsetIn(record, child), child.TotalLength).ToArray();
        }

        return DigestInfoOver([.. Raw(0xDF22), .. Raw(0xDF23), .. Raw(0xDF24)], [.. Raw(0xDF25), .. Raw(0xDF26)], Raw(0xDF27));
    }

    /// <summary>Card public key encoding: <c>90 03 01 00 01 91 82 01 00 &lt;modulus&gt;</c>.</summary>
    public static byte[] EncodeCardPublicKey(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(false);
        return [.. BerTlv.Encode(0x90, parameters.Exponent), .. BerTlv.Encode(0x91, parameters.Modulus)];
    }

    /// <summary>PKCS#1 v1.5 type-1 signature over arbitrary bytes (as COMPUTE DIGITAL SIGNATURE P1=00 does).</summary>
    public static byte[] SignRawPkcs1(RSA key, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(true);
        var k = parameters.Modulus!.Length;
        if (data.Length > k - 11)
        {
            throw new ArgumentException("Too long for PKCS#1 v1.5 with this key.", nameof(data));
        }

        var em = new byte[k];
        em[1] = 0x01;
        em.AsSpan(2, k - data.Length - 3).Fill(0xFF);
        data.CopyTo(em.AsSpan(k - data.Length));
        var n = new System.Numerics.BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new System.Numerics.BigInteger(parameters.D, isUnsigned: true, isBigEndian: true);
        var m = new System.Numerics.BigInteger(em, isUnsigned: true, isBigEndian: true);
        var s = System.Numerics.BigInteger.ModPow(m, d, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[k];
        s.CopyTo(result.AsSpan(k - s.Length));
        return result;
    }

    /// <summary>Checks a PKCS#1 v1.5 type-1 signature over arbitrary bytes (one implementation, shared with the server).</summary>
    public static bool VerifyRawPkcs1(RSA key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Onshi.Jpki.CardFaceSignature.VerifyRawPkcs1(key, data, signature);

    internal static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static byte[] DigestInfoOver(byte[] first, byte[] second, byte[] third) =>
        Onshi.Jpki.CardFaceRecord.DigestInfoOver(first, second, third);

    private static byte[] BuildWithOffsetTable(uint outerTag, uint tableTag, byte[][] fields)
    {
        // The table holds, for each field, its offset from the start of the file. The outer header's size depends
        // on the total length, so compute it first.
        var tableLength = BerTlv.Encode(tableTag, new byte[fields.Length * 2]).Length;
        var contentLength = tableLength + fields.Sum(f => f.Length);
        var outerHeaderLength = BerTlv.Encode(outerTag, new byte[contentLength]).Length - contentLength;
        var table = new byte[fields.Length * 2];
        var offset = outerHeaderLength + tableLength;
        for (var i = 0; i < fields.Length; i++)
        {
            table[2 * i] = (byte)(offset >> 8);
            table[(2 * i) + 1] = (byte)offset;
            offset += fields[i].Length;
        }

        return BerTlv.Encode(outerTag, [.. BerTlv.Encode(tableTag, table), .. fields.SelectMany(f => f)]);
    }

    private static int OffsetIn(ReadOnlyMemory<byte> record, BerTlv child)
    {
        // Children were read from the outer value, whose offsets are relative to that value.
        var outer = BerTlv.Read(record, 0);
        return outer.HeaderLength + child.Offset;
    }

    private static DateOnly ParseDate(ReadOnlySpan<byte> bytes, string what)
    {
        var text = Ascii(bytes, what);
        if (text.Length != 8 || !DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData, $"{what} is not a YYYYMMDD date.");
        }

        return date;
    }

    private static Sex ParseSex(ReadOnlySpan<byte> bytes) => bytes.Length == 1
        ? bytes[0] switch
        {
            (byte)'0' => Sex.Unknown,
            (byte)'1' => Sex.Male,
            (byte)'2' => Sex.Female,
            (byte)'9' => Sex.NotApplicable,
            _ => throw new CardProtocolException(CardProtocolErrorKind.MalformedData, "性別 is not 0, 1, 2 or 9."),
        }
        : throw new CardProtocolException(CardProtocolErrorKind.MalformedData, "性別 is not one byte.");

    private static string Ascii(ReadOnlySpan<byte> bytes, string what)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                throw new CardProtocolException(CardProtocolErrorKind.MalformedData, $"{what} holds a non-ASCII byte.");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData, $"{what} is not valid UTF-8.", innerException: ex);
        }
    }
}
