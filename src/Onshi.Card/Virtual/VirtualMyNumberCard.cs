using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Onshi.Card.Apdu;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Tlv;
using Onshi.Card.Transport;
using Onshi.Core.Dates;

namespace Onshi.Card.Virtual;

/// <summary>
/// A virtual My Number card answering APDUs as card-protocol.md describes: JPKI-AP, 券面事項入力補助AP, 券面AP and
/// 共通AP with their EFs and access rules, per-DF security state, persistent retry counters, SFI addressing, short
/// and extended lengths. Every choice where the reference is weak is listed in docs/card.md.
/// </summary>
public sealed class VirtualMyNumberCard : ICardEmulator, IDisposable
{
    /// <summary>The contact ATR of the real card (OpenSC's jpki_atrs).</summary>
    public static ReadOnlyMemory<byte> ContactAtr { get; } = Convert.FromHexString("3BE000FF8131FE4514");

    /// <summary>Tries for 照合番号A/B and the 生年月日 key: a vendor document reports 10 for 照合番号B (oqs-system.md §1.4).</summary>
    public const int CheckCodeTries = 10;

    private static readonly byte[] IsdAid = Convert.FromHexString("A0000001510000");
    private static readonly string[] DigestInfoPrefixes =
    [
        "3021300906052B0E03021A05000414",
        "3031300D060960864801650304020105000420",
        "3041300D060960864801650304020205000430",
        "3051300D060960864801650304020305000440",
    ];

    private readonly Lock _gate = new();
    private readonly CardImage _image;
    private readonly Action<CardImage>? _persist;
    private readonly List<VirtualDf> _applications;
    private readonly List<RSA> _keys = [];
    private readonly HashSet<byte> _verified = [];
    private readonly RSA _apKey;
    private VirtualDf? _currentDf;
    private VirtualEf? _currentEf;

    /// <param name="image">The card's content; retry counters in it are updated in place.</param>
    /// <param name="persist">Called (under the card's lock) after every counter or PIN change, e.g. to save the file.</param>
    public VirtualMyNumberCard(CardImage image, Action<CardImage>? persist = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        _image = image;
        _persist = persist;
        _apKey = ImportKey(image.ApPrivateKey);
        _applications = [BuildJpki(), BuildText(), BuildVisual(), BuildCommon()];
    }

    /// <summary>Loads a card image file; every counter change is saved back to it atomically.</summary>
    public static VirtualMyNumberCard Open(string path)
    {
        var image = CardImageFile.Load(path);
        return new VirtualMyNumberCard(image, changed => CardImageFile.Save(path, changed));
    }

    public ReadOnlyMemory<byte> Atr => ContactAtr;

    /// <summary>The image the card runs on (counters included).</summary>
    public CardImage Image => _image;

    /// <summary>Tries left on a key, e.g. <c>TriesLeft("jpki", 0x18)</c>.</summary>
    public int TriesLeft(string application, byte fid)
    {
        lock (_gate)
        {
            var df = _applications.First(a => a.Name == application);
            return Counter((KeyEf)df.Files[fid]);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _currentDf = null;
            _currentEf = null;
            _verified.Clear();
        }
    }

    public byte[] Process(ReadOnlySpan<byte> commandApdu)
    {
        lock (_gate)
        {
            if (!CommandApdu.TryParse(commandApdu, out var command))
            {
                return Status(StatusWord.WrongLength);
            }

            try
            {
                return Dispatch(command!);
            }
            catch (CryptographicException)
            {
                return Status(StatusWord.NoPreciseDiagnosis);
            }
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private static byte[] Status(StatusWord sw) => ResponseApdu.Encode([], sw);

    private static byte[] Ok(ReadOnlySpan<byte> data) => ResponseApdu.Encode(data, StatusWord.Success);

    private byte[] Dispatch(CommandApdu c)
    {
        if ((c.Cla & 0x03) != 0)
        {
            return Status(StatusWord.LogicalChannelNotSupported);
        }

        if ((c.Cla & 0x0C) != 0)
        {
            return Status(c.Ins == 0xA4 ? StatusWord.SecureMessagingNotSupported : StatusWord.SecureMessagingDataObjectsIncorrect);
        }

        var proprietary = c.Cla == 0x80;
        if (c.Cla != 0x00 && !proprietary)
        {
            return Status(StatusWord.ClaNotSupported);
        }

        // The card's own commands use CLA 80; the ISO ones CLA 00. A mismatch is answered as an unknown class.
        return c.Ins switch
        {
            0xA4 when !proprietary => Select(c),
            0xB0 when !proprietary => ReadBinary(c),
            0xB2 when !proprietary => ReadRecord(c),
            0x20 when !proprietary => Verify(c),
            0x24 when !proprietary => ChangeReferenceData(c),
            0x84 when !proprietary => GetChallenge(c),
            0x88 when !proprietary => InternalAuthenticate(c),
            0xCA when !proprietary => GetData(c),
            0x2A when proprietary => ComputeSignature(c),
            0xA4 or 0xB0 or 0xB2 or 0x20 or 0x24 or 0x84 or 0x88 or 0xCA or 0x2A => Status(StatusWord.ClaNotSupported),
            _ => Status(StatusWord.InsNotSupported),
        };
    }

    private byte[] Select(CommandApdu c)
    {
        var data = c.Data.Span;
        switch (c.P1)
        {
            case 0x04:
                if (c.P2 is not (0x0C or 0x00))
                {
                    return Status(StatusWord.IncorrectP1P2);
                }

                if (data.IsEmpty)
                {
                    return Status(StatusWord.WrongLength);
                }

                if (IsdAid.AsSpan().StartsWith(data))
                {
                    EnterDf(null);
                    return Status(StatusWord.Success);
                }

                foreach (var df in _applications)
                {
                    // JICSAP allows selecting by a leading part of the DF name; the first match wins.
                    if (df.Aid.AsSpan().StartsWith(data))
                    {
                        EnterDf(df);
                        return Status(StatusWord.Success);
                    }
                }

                return Status(StatusWord.FileNotFound);

            case 0x00:
                if (data.IsEmpty)
                {
                    // MF: refused at power-on, accepted (without leaving the AP) once an AP is selected.
                    return Status(_currentDf is null ? StatusWord.IncorrectP1P2 : StatusWord.Success);
                }

                return Status(StatusWord.FileNotFound);

            case 0x02:
                if (c.P2 is not (0x0C or 0x00))
                {
                    return Status(StatusWord.IncorrectP1P2);
                }

                if (data.Length != 2)
                {
                    return Status(StatusWord.WrongLength);
                }

                if (_currentDf is null || data[0] != 0x00 || !_currentDf.Files.TryGetValue(data[1], out var ef))
                {
                    return Status(StatusWord.FileNotFound);
                }

                _currentEf = ef;
                return Status(StatusWord.Success);

            default:
                return Status(StatusWord.IncorrectP1P2);
        }
    }

    private void EnterDf(VirtualDf? df)
    {
        // Security status belongs to the DF: leaving it (even re-selecting it) drops every verified key.
        _currentDf = df;
        _currentEf = null;
        _verified.Clear();
    }

    private byte[] ReadBinary(CommandApdu c)
    {
        if (!c.Data.IsEmpty || c.Ne == 0)
        {
            return Status(StatusWord.WrongLength);
        }

        int offset;
        VirtualEf? ef;
        if ((c.P1 & 0x80) != 0)
        {
            if ((c.P1 & 0x60) != 0)
            {
                return Status(StatusWord.IncorrectP1P2);
            }

            var sfi = (byte)(c.P1 & 0x1F);
            if (_currentDf is null || sfi == 0 || !_currentDf.Files.TryGetValue(sfi, out ef))
            {
                return Status(StatusWord.FileNotFound);
            }

            offset = c.P2;
        }
        else
        {
            ef = _currentEf;
            if (ef is null)
            {
                return Status(StatusWord.CommandNotAllowedNoCurrentEf);
            }

            offset = (c.P1 << 8) | c.P2;
        }

        if (ef is not BinaryEf binary)
        {
            return Status(StatusWord.IncompatibleWithFileStructure);
        }

        // ISO: READ BINARY with an SFI makes that EF the current one.
        _currentEf = ef;
        if (!IsOpen(binary.ReadKeys))
        {
            return Status(StatusWord.SecurityStatusNotSatisfied);
        }

        if (offset >= binary.Content.Length)
        {
            return Status(StatusWord.WrongOffset);
        }

        var count = Math.Min(c.Ne, binary.Content.Length - offset);
        return Ok(binary.Content.AsSpan(offset, count));
    }

    private byte[] ReadRecord(CommandApdu c)
    {
        if (!c.Data.IsEmpty || c.Ne == 0)
        {
            return Status(StatusWord.WrongLength);
        }

        if ((c.P2 & 0x07) != 0x04 || c.P1 == 0)
        {
            return Status(StatusWord.IncorrectP1P2);
        }

        var sfi = (byte)(c.P2 >> 3);
        VirtualEf? ef;
        if (sfi == 0)
        {
            ef = _currentEf;
            if (ef is null)
            {
                return Status(StatusWord.CommandNotAllowedNoCurrentEf);
            }
        }
        else if (_currentDf is null || !_currentDf.Files.TryGetValue(sfi, out ef))
        {
            return Status(StatusWord.FileNotFound);
        }

        if (ef is not RecordEf records)
        {
            return Status(StatusWord.IncompatibleWithFileStructure);
        }

        _currentEf = ef;
        if (c.P1 > records.Records.Count)
        {
            return Status(StatusWord.RecordNotFound);
        }

        var record = records.Records[c.P1 - 1];
        return Ok(record.AsSpan(0, Math.Min(c.Ne, record.Length)));
    }

    private KeyEf? FindKey(byte p2, out StatusWord error)
    {
        error = StatusWord.Success;
        if (p2 == 0x80)
        {
            if (_currentEf is null)
            {
                error = StatusWord.CommandNotAllowedNoCurrentEf;
                return null;
            }

            if (_currentEf is not KeyEf current)
            {
                error = StatusWord.IncompatibleWithFileStructure;
                return null;
            }

            return current;
        }

        if ((p2 & 0xE0) != 0x80 || (p2 & 0x1F) == 0)
        {
            error = StatusWord.IncorrectP1P2;
            return null;
        }

        if (_currentDf is null || !_currentDf.Files.TryGetValue((byte)(p2 & 0x1F), out var ef))
        {
            error = StatusWord.ReferencedDataNotFound;
            return null;
        }

        if (ef is not KeyEf key)
        {
            error = StatusWord.IncompatibleWithFileStructure;
            return null;
        }

        return key;
    }

    private byte[] Verify(CommandApdu c)
    {
        if (c.P1 != 0x00)
        {
            return Status(StatusWord.IncorrectP1P2);
        }

        if (c.Ne != 0)
        {
            return Status(StatusWord.WrongLength);
        }

        var key = FindKey(c.P2, out var error);
        if (key is null)
        {
            return Status(error);
        }

        var left = Counter(key);
        if (left == 0)
        {
            // A blocked key still answers the tries query with 63C0 ("0 tries left"): OpenSC's jpki driver reads the
            // count from an empty VERIFY and gives up on anything but SW1 = 63, and soltia48's reader treats 63C0 from
            // the query as "blocked". A VERIFY that carries a value is refused outright with 6984 (jpki/myna).
            return Status(c.Data.IsEmpty ? StatusWord.VerificationFailed(0) : StatusWord.AuthenticationMethodBlocked);
        }

        if (c.Data.IsEmpty)
        {
            // Tries query: consumes nothing. After a successful VERIFY in this session it answers 9000.
            return Status(_verified.Contains(key.Fid) ? StatusWord.Success : StatusWord.VerificationFailed(Math.Min(left, 15)));
        }

        var reference = key.Value();
        if (reference is not null && CryptographicOperations.FixedTimeEquals(reference, c.Data.Span))
        {
            _verified.Add(key.Fid);
            SetCounter(key, key.MaxTries);
            return Status(StatusWord.Success);
        }

        _verified.Remove(key.Fid);
        left--;
        SetCounter(key, left);
        return Status(StatusWord.VerificationFailed(Math.Min(left, 15)));
    }

    private byte[] ChangeReferenceData(CommandApdu c)
    {
        if (c.P1 != 0x01)
        {
            return Status(StatusWord.IncorrectP1P2);
        }

        var key = FindKey(c.P2, out var error);
        if (key is null)
        {
            return Status(error);
        }

        if (!key.Changeable)
        {
            return Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        if (Counter(key) == 0)
        {
            return Status(StatusWord.AuthenticationMethodBlocked);
        }

        if (!_verified.Contains(key.Fid))
        {
            return Status(StatusWord.SecurityStatusNotSatisfied);
        }

        var text = Encoding.ASCII.GetString(c.Data.Span);
        var valid = key.CounterName == "jpki/001B"
            ? text.Length is >= 6 and <= 16 && text.All(ch => char.IsAsciiDigit(ch) || char.IsAsciiLetterUpper(ch))
            : CardPin.Validate(text) is null;
        if (!valid)
        {
            return Status(StatusWord.IncorrectData);
        }

        switch (key.CounterName)
        {
            case "jpki/0018":
                _image.AuthPin = text;
                break;
            case "jpki/001B":
                _image.SignPassword = text;
                break;
            default:
                _image.TextPin = text;
                break;
        }

        _persist?.Invoke(_image);
        return Status(StatusWord.Success);
    }

    private byte[] ComputeSignature(CommandApdu c)
    {
        var data = c.Data.Span;
        if (_currentDf is null)
        {
            return Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        PrivateKeyEf? keyEf;
        if (c.P2 == 0x00)
        {
            // Text/visual AP challenge signing with the AP's own key, no credential needed.
            keyEf = _currentDf.Files.Values.OfType<PrivateKeyEf>().FirstOrDefault(k => k.UseKeys.Length == 0);
            if (keyEf is null || _currentDf.Name == "jpki")
            {
                return Status(StatusWord.IncorrectP1P2);
            }
        }
        else if (c.P2 == 0x80)
        {
            keyEf = _currentEf as PrivateKeyEf;
            if (keyEf is null)
            {
                return Status(_currentEf is null ? StatusWord.CommandNotAllowedNoCurrentEf : StatusWord.IncompatibleWithFileStructure);
            }
        }
        else if ((c.P2 & 0xE0) == 0x80)
        {
            if (!_currentDf.Files.TryGetValue((byte)(c.P2 & 0x1F), out var ef))
            {
                return Status(StatusWord.ReferencedDataNotFound);
            }

            keyEf = ef as PrivateKeyEf;
            if (keyEf is null)
            {
                return Status(StatusWord.IncompatibleWithFileStructure);
            }
        }
        else
        {
            return Status(StatusWord.IncorrectP1P2);
        }

        if (!IsOpen(keyEf.UseKeys))
        {
            return Status(StatusWord.SecurityStatusNotSatisfied);
        }

        byte[] input;
        switch (c.P1)
        {
            case 0x00:
                if (data.Length is < 1 or > 245)
                {
                    return Status(StatusWord.WrongLength);
                }

                input = data.ToArray();
                break;
            case 0x02:
                if (data.Length != 32)
                {
                    return Status(StatusWord.WrongLength);
                }

                input = [.. Convert.FromHexString(DigestInfoPrefixes[1]), .. data];
                break;
            case 0x03:
                if (data.IsEmpty)
                {
                    return Status(StatusWord.WrongLength);
                }

                input = [.. Convert.FromHexString(DigestInfoPrefixes[1]), .. SHA256.HashData(data)];
                break;
            default:
                // P1 01/04/05 (bare hash, PSS) exist on real cards but are not emulated; see docs/card.md.
                return Status(StatusWord.IncorrectP1P2);
        }

        return Ok(Sign(keyEf.Key, input));
    }

    private static byte[] Sign(RSA key, byte[] input)
    {
        for (var i = 0; i < DigestInfoPrefixes.Length; i++)
        {
            var prefix = Convert.FromHexString(DigestInfoPrefixes[i]);
            var hashLength = prefix[^1];
            if (input.Length == prefix.Length + hashLength && input.AsSpan().StartsWith(prefix))
            {
                var algorithm = i switch
                {
                    0 => HashAlgorithmName.SHA1,
                    1 => HashAlgorithmName.SHA256,
                    2 => HashAlgorithmName.SHA384,
                    _ => HashAlgorithmName.SHA512,
                };
                return key.SignHash(input.AsSpan(prefix.Length).ToArray(), algorithm, RSASignaturePadding.Pkcs1);
            }
        }

        return CardRecordFormat.SignRawPkcs1(key, input);
    }

    private static byte[] GetChallenge(CommandApdu c)
    {
        if (c.P1 != 0 || c.P2 != 0)
        {
            return Status(StatusWord.IncorrectP1P2);
        }

        if (c.Ne is 0 or > 256 || !c.Data.IsEmpty)
        {
            return Status(StatusWord.WrongLength);
        }

        return Ok(RandomNumberGenerator.GetBytes(c.Ne));
    }

    private byte[] InternalAuthenticate(CommandApdu c)
    {
        // 共通AP: key 0019, no credential. 券面AP: key 0017, only after 照合番号A/B (docs/card.md).
        var keyFid = _currentDf?.Name switch
        {
            "common" => (byte)0x19,
            "visual" when _currentDf.Files.ContainsKey(VisualFiles.InternalAuthenticationKey) => VisualFiles.InternalAuthenticationKey,
            _ => (byte)0,
        };
        if (keyFid == 0)
        {
            return Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        if (c.P1 != 0x00 || c.P2 != (0x80 | keyFid))
        {
            return Status(StatusWord.IncorrectP1P2);
        }

        var key = (PrivateKeyEf)_currentDf!.Files[keyFid];
        if (!IsOpen(key.UseKeys))
        {
            return Status(StatusWord.SecurityStatusNotSatisfied);
        }

        if (c.Data.Length is < 1 or > 255)
        {
            return Status(StatusWord.WrongLength);
        }

        return Ok(key.Key.SignData(c.Data.Span.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private byte[] GetData(CommandApdu c)
    {
        if (c.Ne == 0 || !c.Data.IsEmpty)
        {
            return Status(StatusWord.WrongLength);
        }

        if (_currentDf is not null)
        {
            return Status(StatusWord.ReferencedDataNotFound);
        }

        byte[]? value = ((c.P1 << 8) | c.P2) switch
        {
            0x5F51 => ContactAtr[1..].ToArray(),
            0x0045 => Encoding.ASCII.GetBytes(_image.CardSerial),
            0x00F0 => Encoding.ASCII.GetBytes(_image.MunicipalityCode),
            0x00F2 => Encoding.ASCII.GetBytes(CardRecordFormat.FormatDate(_image.CardExpiry)),
            _ => null,
        };
        if (value is null)
        {
            return Status(StatusWord.ReferencedDataNotFound);
        }

        return value.Length > c.Ne ? Status(StatusWord.WrongLength) : Ok(value);
    }

    private bool IsOpen(byte[] keys) => keys.Length == 0 || keys.Any(_verified.Contains);

    private int Counter(KeyEf key) =>
        _image.RetryCounters.TryGetValue(key.CounterName, out var left) ? Math.Clamp(left, 0, key.MaxTries) : key.MaxTries;

    private void SetCounter(KeyEf key, int left)
    {
        var old = Counter(key);
        _image.RetryCounters[key.CounterName] = left;
        if (old != left)
        {
            _persist?.Invoke(_image);
        }
    }

    private RSA ImportKey(byte[] pkcs8)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new CardImageException("カードイメージの秘密鍵を読めません。", ex);
        }

        _keys.Add(rsa);
        return rsa;
    }

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
