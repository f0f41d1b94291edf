namespace Onshi.Card.Apdu;

/// <summary>A response APDU: data followed by the status word.</summary>
public sealed class ResponseApdu
{
    public ResponseApdu(ReadOnlyMemory<byte> data, StatusWord statusWord)
    {
        Data = data;
        StatusWord = statusWord;
    }

    public ReadOnlyMemory<byte> Data { get; }

    public StatusWord StatusWord { get; }

    /// <summary>Splits raw bytes into data and status word; fewer than two bytes is a Truncated protocol error.</summary>
    public static ResponseApdu Parse(ReadOnlyMemory<byte> raw)
    {
        if (raw.Length < 2)
        {
            throw new CardProtocolException(CardProtocolErrorKind.Truncated,
                $"The card answered {raw.Length} byte(s); a response needs at least the two status bytes.");
        }

        var span = raw.Span;
        return new ResponseApdu(raw[..^2], new StatusWord(span[^2], span[^1]));
    }

    /// <summary>Encodes data ‖ SW1 SW2 (the card side).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> data, StatusWord statusWord)
    {
        var result = new byte[data.Length + 2];
        data.CopyTo(result);
        result[^2] = statusWord.Sw1;
        result[^1] = statusWord.Sw2;
        return result;
    }

    /// <summary>Throws an UnexpectedStatus (or a more precise kind) protocol error unless the card answered 9000.</summary>
    public ResponseApdu EnsureSuccess(string operation)
    {
        if (StatusWord.IsSuccess)
        {
            return this;
        }

        var kind = StatusWord.Value switch
        {
            0x6982 => CardProtocolErrorKind.SecurityStatusNotSatisfied,
            0x6A82 or 0x6A88 => CardProtocolErrorKind.NotFound,
            _ => CardProtocolErrorKind.UnexpectedStatus,
        };
        throw new CardProtocolException(kind, $"{operation}: the card answered {StatusWord}.", StatusWord);
    }
}
