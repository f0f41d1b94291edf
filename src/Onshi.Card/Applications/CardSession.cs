using Onshi.Card.Apdu;
using Onshi.Card.Transport;

namespace Onshi.Card.Applications;

/// <summary>
/// One conversation with one card: remembers which application is selected (so clients skip redundant SELECTs)
/// and whether extended-length APDUs work, and offers the few command shapes the card clients need.
/// </summary>
/// <remarks>
/// Exchange economy: EFs are addressed by SFI in READ BINARY / VERIFY / COMPUTE SIGNATURE, so no EF SELECT is
/// ever sent; a whole EF is read with one extended READ BINARY (Le = 65536 returns up to EOF). If the card or
/// reader answers 6700 to an extended command the session falls back to 256-byte short reads for good.
/// </remarks>
public sealed class CardSession
{
    private const int MaxShortChunks = (CommandApdu.MaxExtendedNe / CommandApdu.MaxShortNe) + 1;
    private ReadOnlyMemory<byte>? _selected;

    public CardSession(ICardTransport transport, bool useExtendedLength = true)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Transport = transport;
        UseExtendedLength = useExtendedLength;
    }

    public ICardTransport Transport { get; }

    /// <summary>False once the card refused an extended APDU (or when the caller disabled them).</summary>
    public bool UseExtendedLength { get; private set; }

    /// <summary>Forget the selected application, e.g. after the reader reset the card.</summary>
    public void InvalidateSelection() => _selected = null;

    /// <summary>Sends one command and splits the answer. Transport failures surface as <see cref="CardTransportException"/>.</summary>
    public async Task<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var raw = await Transport.TransmitAsync(command.Encode(), cancellationToken).ConfigureAwait(false);
        return ResponseApdu.Parse(raw);
    }

    /// <summary>SELECT FILE by DF name (<c>00 A4 04 0C</c>), skipped when the application is already selected.</summary>
    public async Task SelectApplicationAsync(ReadOnlyMemory<byte> aid, CancellationToken cancellationToken = default)
    {
        if (_selected is { } current && current.Span.SequenceEqual(aid.Span))
        {
            return;
        }

        _selected = null;
        var response = await TransmitAsync(new CommandApdu(0x00, 0xA4, 0x04, 0x0C, aid), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess($"SELECT {Convert.ToHexString(aid.Span)}");
        _selected = aid.ToArray();
    }

    /// <summary>
    /// VERIFY against the key EF <paramref name="keySfi"/> of the selected application (<c>00 20 00 80|SFI</c>).
    /// With no value it is the tries query, which consumes nothing.
    /// </summary>
    public async Task<PinVerification> VerifyAsync(byte keySfi, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var response = await TransmitAsync(new CommandApdu(0x00, 0x20, 0x00, (byte)(0x80 | keySfi), value), cancellationToken)
            .ConfigureAwait(false);
        var sw = response.StatusWord;
        if (sw.IsSuccess)
        {
            return new PinVerification(PinVerificationOutcome.Verified, null);
        }

        if (sw == StatusWord.AuthenticationMethodBlocked || sw == StatusWord.VerificationFailed(0))
        {
            return new PinVerification(PinVerificationOutcome.Blocked, 0);
        }

        if (sw.IsVerificationFailed)
        {
            return new PinVerification(value.IsEmpty ? PinVerificationOutcome.TriesRemaining : PinVerificationOutcome.WrongPin, sw.TriesLeft);
        }

        throw new CardProtocolException(
            sw == StatusWord.FileNotFound ? CardProtocolErrorKind.NotFound : CardProtocolErrorKind.UnexpectedStatus,
            $"VERIFY key {keySfi:X2}: the card answered {sw}.", sw);
    }

    /// <summary>Reads a whole EF by SFI: one extended READ BINARY, or 256-byte chunks without extended length.</summary>
    public async Task<byte[]> ReadFileAsync(byte sfi, CancellationToken cancellationToken = default)
    {
        if (UseExtendedLength)
        {
            var response = await TransmitAsync(ReadBinaryBySfi(sfi, 0, CommandApdu.MaxExtendedNe), cancellationToken).ConfigureAwait(false);
            if (response.StatusWord != StatusWord.WrongLength)
            {
                return response.EnsureSuccess($"READ BINARY EF {sfi:X2}").Data.ToArray();
            }

            UseExtendedLength = false;
        }

        return await ReadShortChunksAsync(sfi, 0, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <paramref name="length"/> bytes from the start of an EF by SFI (one short READ BINARY when ≤ 256).</summary>
    public async Task<byte[]> ReadPrefixAsync(byte sfi, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, CommandApdu.MaxShortNe);
        var response = await TransmitAsync(ReadBinaryBySfi(sfi, 0, length), cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess($"READ BINARY EF {sfi:X2}").Data.ToArray();
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes at <paramref name="offset"/> of the current EF (the one a
    /// previous SFI READ BINARY made current). Fewer bytes than asked is a Truncated protocol error.
    /// </summary>
    public async Task<byte[]> ReadCurrentAsync(int offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, 0x7FFF);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, CommandApdu.MaxExtendedNe);
        byte[] data;
        if (UseExtendedLength || length <= CommandApdu.MaxShortNe)
        {
            var response = await TransmitAsync(new CommandApdu(0x00, 0xB0, (byte)(offset >> 8), (byte)offset, ne: length), cancellationToken)
                .ConfigureAwait(false);
            if (response.StatusWord == StatusWord.WrongLength && length > CommandApdu.MaxShortNe)
            {
                UseExtendedLength = false;
                data = await ReadShortChunksAsync(null, offset, length, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                data = response.EnsureSuccess("READ BINARY").Data.ToArray();
            }
        }
        else
        {
            data = await ReadShortChunksAsync(null, offset, length, cancellationToken).ConfigureAwait(false);
        }

        if (data.Length < length)
        {
            throw new CardProtocolException(CardProtocolErrorKind.Truncated,
                $"READ BINARY returned {data.Length} of the {length} bytes the record announces.");
        }

        return data.Length == length ? data : data[..length];
    }

    private static CommandApdu ReadBinaryBySfi(byte sfi, int offset, int ne) =>
        new(0x00, 0xB0, (byte)(0x80 | sfi), (byte)offset, ne: ne);

    private async Task<byte[]> ReadShortChunksAsync(byte? sfi, int offset, int? length, CancellationToken cancellationToken)
    {
        var result = new List<byte>();
        for (var chunk = 0; chunk < MaxShortChunks; chunk++)
        {
            var want = length is { } total ? Math.Min(CommandApdu.MaxShortNe, total - result.Count) : CommandApdu.MaxShortNe;
            if (want <= 0)
            {
                break;
            }

            var position = offset + result.Count;
            if (position > 0x7FFF)
            {
                break;
            }

            var command = sfi is { } s && chunk == 0 && position <= 0xFF
                ? ReadBinaryBySfi(s, position, want)
                : new CommandApdu(0x00, 0xB0, (byte)(position >> 8), (byte)position, ne: want);
            var response = await TransmitAsync(command, cancellationToken).ConfigureAwait(false);
            if (response.StatusWord == StatusWord.WrongOffset && chunk > 0)
            {
                break;
            }

            var data = response.EnsureSuccess("READ BINARY").Data;
            result.AddRange(data.Span);
            if (data.Length < want)
            {
                break;
            }
        }

        return [.. result];
    }
}
