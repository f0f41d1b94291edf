using Onshi.Card.Transport;

namespace Onshi.Card.Tests.Transport.Vpcd;

/// <summary>
/// The smallest card that proves the transport: SELECT (INS A4) answers 9000, INS EE echoes its command data
/// (short or extended Lc) followed by 9000, anything else is 6D00. Counts resets so tests can see power events.
/// </summary>
public sealed class EchoCardEmulator : ICardEmulator
{
    /// <summary>The My Number card's contact ATR (T=1), so pcscd negotiates the same protocol as with the real card.</summary>
    public static readonly byte[] ContactAtr = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

    private int _resets;
    private int _commands;

    public ReadOnlyMemory<byte> Atr => ContactAtr;

    public int Resets => Volatile.Read(ref _resets);

    public int Commands => Volatile.Read(ref _commands);

    public void Reset() => Interlocked.Increment(ref _resets);

    public byte[] Process(ReadOnlySpan<byte> commandApdu)
    {
        Interlocked.Increment(ref _commands);
        if (commandApdu.Length < 4)
        {
            return [0x67, 0x00];
        }

        switch (commandApdu[1])
        {
            case 0xA4:
                return [0x90, 0x00];
            case 0xEE:
                var data = CommandData(commandApdu);
                var response = new byte[data.Length + 2];
                data.CopyTo(response);
                response[^2] = 0x90;
                return response;
            default:
                return [0x6D, 0x00];
        }
    }

    /// <summary>A command APDU: CLA INS P1 P2 followed by optional data, short or extended.</summary>
    public static byte[] Command(byte cla, byte ins, byte p1, byte p2, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return [cla, ins, p1, p2];
        }

        if (data.Length <= 255)
        {
            return [cla, ins, p1, p2, (byte)data.Length, .. data];
        }

        return [cla, ins, p1, p2, 0x00, (byte)(data.Length >> 8), (byte)data.Length, .. data];
    }

    private static ReadOnlySpan<byte> CommandData(ReadOnlySpan<byte> apdu)
    {
        if (apdu.Length <= 5)
        {
            return [];
        }

        if (apdu[4] != 0)
        {
            var length = Math.Min(apdu[4], apdu.Length - 5);
            return apdu.Slice(5, length);
        }

        if (apdu.Length < 7)
        {
            return [];
        }

        var extended = Math.Min((apdu[5] << 8) | apdu[6], apdu.Length - 7);
        return apdu.Slice(7, extended);
    }
}
