using System.Security.Cryptography;
using System.Text;
using Onshi.Card.Apdu;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Transport;

namespace Onshi.Card.Virtual;

/// <summary>
/// A virtual My Number card answering APDUs as card-protocol.md describes: JPKI-AP, 券面事項入力補助AP, 券面AP and
/// 共通AP with their EFs and access rules, per-DF security state, persistent retry counters, SFI addressing, short
/// and extended lengths. Every choice where the reference is weak is listed in docs/card.md. This file is the APDU
/// interpreter; VirtualMyNumberCard.FileTree.cs builds the applications' file trees from the card image.
/// </summary>
public sealed partial class VirtualMyNumberCard : ICardEmulator, IDisposable
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
}
