namespace Onshi.Card.Apdu;

/// <summary>
/// An ISO 7816-4 command APDU. <see cref="Ne"/> is the number of response bytes expected (0 = none; up to 256 in
/// short form, 65536 in extended form). <see cref="Encode"/> picks the short encoding when it fits.
/// </summary>
public sealed class CommandApdu
{
    public const int MaxShortNe = 256;
    public const int MaxExtendedNe = 65536;
    public const int MaxExtendedNc = 65535;

    public CommandApdu(byte cla, byte ins, byte p1, byte p2, ReadOnlyMemory<byte> data = default, int ne = 0, bool forceExtended = false)
    {
        if (data.Length > MaxExtendedNc)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedCommand, $"Command data of {data.Length} bytes does not fit an APDU.");
        }

        if (ne is < 0 or > MaxExtendedNe)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedCommand, $"Expected length {ne} is outside 0..65536.");
        }

        Cla = cla;
        Ins = ins;
        P1 = p1;
        P2 = p2;
        Data = data;
        Ne = ne;
        IsExtended = forceExtended || data.Length > 255 || ne > MaxShortNe;
    }

    public byte Cla { get; }

    public byte Ins { get; }

    public byte P1 { get; }

    public byte P2 { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Expected response length; 0 means the command expects no data (case 1/3).</summary>
    public int Ne { get; }

    /// <summary>Whether Lc/Le use the extended (3-byte / 2-byte) encoding.</summary>
    public bool IsExtended { get; }

    /// <summary>ISO case 1–4.</summary>
    public int Case => (Data.Length > 0, Ne > 0) switch
    {
        (false, false) => 1,
        (false, true) => 2,
        (true, false) => 3,
        (true, true) => 4,
    };

    /// <summary>Encodes the APDU; short form when both lengths fit unless the extended form was asked for.</summary>
    public byte[] Encode()
    {
        var nc = Data.Length;
        var buffer = new List<byte>(4 + nc + 5) { Cla, Ins, P1, P2 };
        if (!IsExtended)
        {
            if (nc > 0)
            {
                buffer.Add((byte)nc);
                buffer.AddRange(Data.Span);
            }

            if (Ne > 0)
            {
                buffer.Add(Ne == MaxShortNe ? (byte)0 : (byte)Ne);
            }

            return [.. buffer];
        }

        if (nc > 0)
        {
            buffer.Add(0);
            buffer.Add((byte)(nc >> 8));
            buffer.Add((byte)nc);
            buffer.AddRange(Data.Span);
        }

        if (Ne > 0)
        {
            if (nc == 0)
            {
                buffer.Add(0);
            }

            var le = Ne == MaxExtendedNe ? 0 : Ne;
            buffer.Add((byte)(le >> 8));
            buffer.Add((byte)le);
        }

        return [.. buffer];
    }

    /// <summary>
    /// Decodes a command APDU, as a card does. Throws <see cref="CardProtocolException"/> (MalformedCommand) for
    /// any byte string that is not one of the ISO cases.
    /// </summary>
    public static CommandApdu Parse(ReadOnlySpan<byte> apdu)
    {
        if (!TryParse(apdu, out var command))
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedCommand,
                $"{apdu.Length} bytes are not a valid ISO 7816-4 command APDU.");
        }

        return command!;
    }

    /// <summary>Decodes a command APDU; false when the lengths are inconsistent.</summary>
    public static bool TryParse(ReadOnlySpan<byte> apdu, out CommandApdu? command)
    {
        command = null;
        if (apdu.Length < 4)
        {
            return false;
        }

        byte cla = apdu[0], ins = apdu[1], p1 = apdu[2], p2 = apdu[3];
        var body = apdu[4..];
        if (body.Length == 0)
        {
            command = new CommandApdu(cla, ins, p1, p2);
            return true;
        }

        if (body.Length == 1)
        {
            command = new CommandApdu(cla, ins, p1, p2, ne: body[0] == 0 ? MaxShortNe : body[0]);
            return true;
        }

        if (body[0] != 0)
        {
            // Short form: Lc (1..255) then data, then an optional 1-byte Le.
            var nc = body[0];
            if (body.Length == 1 + nc)
            {
                command = new CommandApdu(cla, ins, p1, p2, body.Slice(1, nc).ToArray());
                return true;
            }

            if (body.Length == 2 + nc)
            {
                var le = body[1 + nc];
                command = new CommandApdu(cla, ins, p1, p2, body.Slice(1, nc).ToArray(), le == 0 ? MaxShortNe : le);
                return true;
            }

            return false;
        }

        // Extended form: body starts with 00.
        if (body.Length < 3)
        {
            return false;
        }

        if (body.Length == 3)
        {
            var le = (body[1] << 8) | body[2];
            command = new CommandApdu(cla, ins, p1, p2, ne: le == 0 ? MaxExtendedNe : le, forceExtended: true);
            return true;
        }

        var lc = (body[1] << 8) | body[2];
        if (lc == 0)
        {
            return false;
        }

        if (body.Length == 3 + lc)
        {
            command = new CommandApdu(cla, ins, p1, p2, body.Slice(3, lc).ToArray(), forceExtended: true);
            return true;
        }

        if (body.Length == 5 + lc)
        {
            var le = (body[3 + lc] << 8) | body[4 + lc];
            command = new CommandApdu(cla, ins, p1, p2, body.Slice(3, lc).ToArray(), le == 0 ? MaxExtendedNe : le, forceExtended: true);
            return true;
        }

        return false;
    }

    public override string ToString() => Convert.ToHexString(Encode());
}
