using System.Buffers.Binary;

namespace Onshi.Card.Transport.Vpcd;

/// <summary>
/// The card side of vsmartcard's vpcd wire protocol: every message is a 2-byte big-endian length and a payload.
/// A 1-byte payload from vpcd is a control code (00 power off, 01 power on, 02 reset, 04 get ATR; only 04 is
/// answered); anything else is a command APDU, answered with the response APDU.
/// </summary>
public static class VpcdProtocol
{
    public const byte PowerOff = 0x00;
    public const byte PowerOn = 0x01;
    public const byte Reset = 0x02;
    public const byte GetAtr = 0x04;

    /// <summary>The port vpcd listens on for its first slot ("Virtual PCD 00 00"); slot n uses 35963 + n.</summary>
    public const int DefaultPort = 0x8C7B;

    /// <summary>SW 6F00 "no precise diagnosis": sent when the emulator fails or its answer cannot be framed.</summary>
    private static readonly byte[] NoPreciseDiagnosis = [0x6F, 0x00];

    /// <summary>
    /// Serves <paramref name="card"/> over <paramref name="stream"/> until the peer closes it (returns normally)
    /// or <paramref name="cancellationToken"/> fires. Messages are handled strictly one at a time.
    /// </summary>
    /// <exception cref="IOException">The link broke in the middle of a message.</exception>
    public static Task ServeAsync(ICardEmulator card, Stream stream, CancellationToken cancellationToken)
        => ServeAsync(card, stream, beforeRead: null, cancellationToken);

    /// <summary>As the public overload; <paramref name="beforeRead"/> runs before each socket read (TCP_QUICKACK).</summary>
    internal static async Task ServeAsync(ICardEmulator card, Stream stream, Action? beforeRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[2];
        var payload = new byte[ushort.MaxValue];

        // Bounded by the peer: each pass consumes one message or ends the session.
        while (true)
        {
            if (!await ReadFullyOrEndAsync(stream, header, beforeRead, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(header);
            if (length > 0 && !await ReadFullyOrEndAsync(stream, payload.AsMemory(0, length), beforeRead, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("vpcd closed the connection in the middle of a message.");
            }

            var reply = Handle(card, payload.AsSpan(0, length));
            if (reply is not null)
            {
                var frame = new byte[2 + reply.Length];
                BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)reply.Length);
                reply.CopyTo(frame, 2);
                await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What the card sends back for one message from vpcd, or null when nothing is sent.</summary>
    public static byte[]? Handle(ICardEmulator card, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (message.Length == 1)
        {
            switch (message[0])
            {
                case PowerOn:
                case Reset:
                    card.Reset();
                    return null;
                case GetAtr:
                    var atr = card.Atr.ToArray();
                    return atr.Length <= ushort.MaxValue ? atr : atr[..ushort.MaxValue];
                default:
                    // Power off and codes this protocol version does not define: vpcd expects no answer.
                    return null;
            }
        }

        byte[] response;
        try
        {
            response = card.Process(message);
        }
#pragma warning disable CA1031 // The link to pcscd must survive an emulator bug; the client sees 6F00 instead.
        catch (Exception)
#pragma warning restore CA1031
        {
            return NoPreciseDiagnosis.ToArray();
        }

        return response is { Length: >= 2 and <= ushort.MaxValue } ? response : NoPreciseDiagnosis.ToArray();
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the stream ended before its first byte.</summary>
    private static async ValueTask<bool> ReadFullyOrEndAsync(
        Stream stream, Memory<byte> buffer, Action? beforeRead, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            beforeRead?.Invoke();
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (filled == 0)
                {
                    return false;
                }

                throw new IOException("vpcd closed the connection in the middle of a message.");
            }

            filled += read;
        }

        return true;
    }
}
