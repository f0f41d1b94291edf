using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Tlv;
using Onshi.Core.Dates;

namespace Onshi.Card.Virtual;

/// <summary>The file trees of the four applications, built once from the card image when the card is made.</summary>
public sealed partial class VirtualMyNumberCard
{
    private static byte[]? Ascii(string? value) => value is null ? null : Encoding.ASCII.GetBytes(value);

    private byte[] CheckCodeBValue() =>
        CheckCodeB.Compose(_image.BirthDate, _image.CardExpiry.Year, _image.SecurityCode, _image.ForeignResident).ToBytes();

    private byte[] BirthDateKeyValue() => Encoding.ASCII.GetBytes(_image.ForeignResident
        ? _image.BirthDate.ToString("yyMMdd", CultureInfo.InvariantCulture)
        : JapaneseDate.FromGregorian(_image.BirthDate).ToYyMmDd());

    private static byte[] Padded(byte[] content, int size, byte filler)
    {
        if (content.Length >= size)
        {
            return content;
        }

        var result = new byte[size];
        content.CopyTo(result, 0);
        result.AsSpan(content.Length).Fill(filler);
        return result;
    }

    private static byte[] CertificateEf(byte[] der) => Padded(der, 2048, 0x00);

    private VirtualDf BuildJpki()
    {
        var hasSign = _image.SignCertificate is not null && _image.SignPrivateKey is not null;
        var files = new List<VirtualEf>
        {
            new BinaryEf(0x06, TokenInfo()),
            new BinaryEf(0x08, hasSign ? [0x8F, 0x8F, 0x00] : [0x00, 0x8F, 0x00]),
            new BinaryEf(0x0A, CertificateEf(_image.AuthCertificate)),
            new BinaryEf(0x0B, CertificateEf(_image.AuthCaCertificate)),
            new PrivateKeyEf(0x17, ImportKey(_image.AuthPrivateKey), 0x18),
            new KeyEf(0x18, "jpki/0018", 3, () => Ascii(_image.AuthPin), changeable: true),
        };
        if (_image.SignCaCertificate is not null)
        {
            files.Add(new BinaryEf(0x02, CertificateEf(_image.SignCaCertificate)));
        }

        if (hasSign)
        {
            files.Add(new BinaryEf(0x01, CertificateEf(_image.SignCertificate!), 0x1B));
            files.Add(new PrivateKeyEf(0x1A, ImportKey(_image.SignPrivateKey!), 0x1B));
            files.Add(new KeyEf(0x1B, "jpki/001B", 5, () => Ascii(_image.SignPassword), changeable: true));
        }

        return new VirtualDf("jpki", CardApplicationIds.Jpki.ToArray(), files);
    }

    private byte[] TokenInfo()
    {
        var info = new byte[JpkiTokenInfo.Length];
        void Text(int offset, int length, string value)
        {
            info.AsSpan(offset, length).Fill((byte)' ');
            Encoding.ASCII.GetBytes(value.AsSpan(0, Math.Min(value.Length, length)), info.AsSpan(offset));
        }

        void U32(int offset, uint value)
        {
            info[offset] = (byte)(value >> 24);
            info[offset + 1] = (byte)(value >> 16);
            info[offset + 2] = (byte)(value >> 8);
            info[offset + 3] = (byte)value;
        }

        Text(0, 32, JpkiTokenInfo.MyNumberCardLabel);
        Text(32, 32, "Onshi virtual card (TEST)");
        Text(64, 16, "ONSHI-VIRTUAL");
        Text(80, 16, _image.CardSerial);
        U32(96, 0x0000040D); // RNG | LOGIN_REQUIRED | USER_PIN_INITIALIZED | TOKEN_INITIALIZED
        U32(116, 4);
        U32(120, 4);
        Text(140, 2, "03");
        Text(142, 2, "01");
        Text(144, 16, "");
        return info;
    }

    private VirtualDf BuildText()
    {
        var apKey = _apKey;
        var myNumber = CardRecordFormat.BuildMyNumber(_image.MyNumber);
        var basic = CardRecordFormat.BuildBasicFourInfo(new BasicFourInfo(_image.Name, _image.Address, _image.BirthDate, _image.Sex));
        var files = new List<VirtualEf>
        {
            new BinaryEf(0x01, myNumber, 0x11, 0x14),
            new BinaryEf(0x02, basic, 0x11, 0x15),
            new BinaryEf(0x03, Integrity(apKey, myNumber, basic), 0x11, 0x14, 0x15),
            new BinaryEf(0x05, TextApBasicInfo()),
            new KeyEf(0x11, "text/0011", 3, () => Ascii(_image.TextPin), changeable: true),
            new KeyEf(0x12, "text/0012", 3, () => null, changeable: false),
            new PrivateKeyEf(0x13, apKey),
            new KeyEf(0x14, "text/0014", CheckCodeTries, () => Ascii(_image.MyNumber), changeable: false),
            new KeyEf(0x15, "text/0015", CheckCodeTries, CheckCodeBValue, changeable: false),
        };
        if (_image.ApCvCertificate is not null)
        {
            files.Add(new BinaryEf(0x04, _image.ApCvCertificate));
        }

        // EF 0012 is issued blocked on real cards.
        _image.RetryCounters.TryAdd("text/0012", 0);
        return new VirtualDf("text", CardApplicationIds.Text.ToArray(), files);
    }

    private static byte[] Integrity(RSA apKey, byte[] myNumber, byte[] basic)
    {
        // DF32 covers the 基本4情報 value without its offset table (DF22..end).
        var outer = BerTlv.Read(basic, 0);
        var table = BerTlv.Read(outer.Value, 0);
        var df31 = BerTlv.Encode(0xDF31, SHA256.HashData(myNumber));
        var df32 = BerTlv.Encode(0xDF32, SHA256.HashData(outer.Value.Span[table.TotalLength..]));
        var df33 = BerTlv.Encode(0xDF33, apKey.SignData([.. df31, .. df32], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return BerTlv.EncodeConstructed(0xFF30, df31, df32, df33);
    }

    private static byte[] TextApBasicInfo() =>
        BerTlv.EncodeConstructed(0xFF40,
            BerTlv.Encode(0xDF41, [0x01, 0x03, 0x0E, 0x01]),
            BerTlv.Encode(0xDF42, KeyId("6000033")),
            BerTlv.Encode(0xDF43, [.. new byte[32], .. Enumerable.Repeat((byte)0xFF, 96)]));

    private static byte[] KeyId(string prefix) => [.. Encoding.ASCII.GetBytes(prefix), 0x08, 0x05, .. "001"u8, 0, 0, 0, 0];

    private VirtualDf BuildVisual()
    {
        var apKey = _apKey;
        var publicKey = CardRecordFormat.EncodeCardPublicKey(apKey);
        var face = CardRecordFormat.BuildCardFace(_image.BirthDate, _image.Sex, apKey, _image.NamePng, _image.AddressPng,
            _image.FacePhotoJpeg2000, _image.CardExpiry, _image.SecurityCodePng);
        var df11 = BerTlv.Encode(0xDF11, Encoding.ASCII.GetBytes(CardRecordFormat.FormatDate(_image.BirthDate)));
        var df12 = BerTlv.Encode(0xDF12, publicKey);
        var ageRecord = BerTlv.EncodeConstructed(0xFF10, df11, df12,
            BerTlv.Encode(0xDF13, apKey.SignData([.. df11, .. df12], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        var df41 = BerTlv.Encode(0xDF41, _image.MyNumberPng);
        var df42 = BerTlv.Encode(0xDF42, publicKey);
        var myNumberImage = BerTlv.EncodeConstructed(0xFF40, df41, df42,
            BerTlv.Encode(0xDF43, apKey.SignData([.. df41, .. df42], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        var basicInfo = BerTlv.EncodeConstructed(0xFF30,
            BerTlv.Encode(0xDF31, [0x06, 0x03, 0x0E, 0x01]),
            BerTlv.Encode(0xDF32, KeyId("6000023")),
            BerTlv.Encode(0xDF33, [0x01]),
            BerTlv.Encode(0xDF34, Encoding.ASCII.GetBytes(_image.MunicipalityCode)),
            BerTlv.Encode(0xDF35, [.. KeyId("6000023"), .. apKey.ExportParameters(false).Modulus!]));
        var files = new List<VirtualEf>
        {
            new BinaryEf(0x01, ageRecord, 0x11),
            new BinaryEf(0x02, face, 0x12, 0x13),
            new BinaryEf(0x03, basicInfo),
            new BinaryEf(0x05, myNumberImage, 0x13),
            new KeyEf(0x11, "visual/0011", CheckCodeTries, BirthDateKeyValue, changeable: false),
            new KeyEf(0x12, "visual/0012", CheckCodeTries, CheckCodeBValue, changeable: false),
            new KeyEf(0x13, "visual/0013", CheckCodeTries, () => Ascii(_image.MyNumber), changeable: false),
        };
        if (_image.ApCvCertificate is not null)
        {
            files.Add(new BinaryEf(0x04, _image.ApCvCertificate));
        }

        if (_image.ApCertificate is not null)
        {
            files.Add(new BinaryEf(VisualFiles.InternalAuthenticationCertificate, _image.ApCertificate));
            files.Add(new PrivateKeyEf(VisualFiles.InternalAuthenticationKey, apKey, VisualFiles.CheckCodeB, VisualFiles.CheckCodeA));
        }

        return new VirtualDf("visual", CardApplicationIds.Visual.ToArray(), files);
    }

    private VirtualDf BuildCommon()
    {
        var record = $"{_image.CardSerial}{_image.MunicipalityCode}{CardRecordFormat.FormatDate(_image.CardExpiry)}";
        var bytes = Encoding.ASCII.GetBytes(record);
        byte[] simpleTlv = [0x01, (byte)bytes.Length, .. bytes];
        return new VirtualDf("common", CardApplicationIds.Common.ToArray(),
        [
            new RecordEf(0x01, [simpleTlv]),
            new PrivateKeyEf(0x19, _apKey),
        ]);
    }
}
