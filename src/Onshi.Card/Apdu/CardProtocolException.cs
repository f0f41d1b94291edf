namespace Onshi.Card.Apdu;

/// <summary>What went wrong talking to the card above the transport. Stable; do not renumber.</summary>
public enum CardProtocolErrorKind
{
    /// <summary>A response shorter than its two status bytes, or a record cut short.</summary>
    Truncated = 1,

    /// <summary>A TLV whose tag or length cannot be read, or whose length runs past the end.</summary>
    MalformedTlv = 2,

    /// <summary>The card answered a status word the operation cannot go on from.</summary>
    UnexpectedStatus = 3,

    /// <summary>The card answered data that does not have the expected shape (wrong length, bad text, bad date).</summary>
    MalformedData = 4,

    /// <summary>A command that cannot be encoded or decoded as an ISO 7816-4 APDU.</summary>
    MalformedCommand = 5,

    /// <summary>The operation needs a PIN or 照合番号 that has not been verified in this session.</summary>
    SecurityStatusNotSatisfied = 6,

    /// <summary>The application or file is not on this card.</summary>
    NotFound = 7,
}

/// <summary>
/// The one exception the card layer throws for anything the card (or hostile bytes) did wrong. Transport failures
/// stay <see cref="Onshi.Card.Transport.CardTransportException"/>.
/// </summary>
public sealed class CardProtocolException : Exception
{
    public CardProtocolException(CardProtocolErrorKind kind, string message, StatusWord? statusWord = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusWord = statusWord;
    }

    public CardProtocolException()
    {
    }

    public CardProtocolException(string message) : base(message)
    {
    }

    public CardProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CardProtocolErrorKind Kind { get; } = CardProtocolErrorKind.MalformedData;

    /// <summary>The card's status word when the error came from one.</summary>
    public StatusWord? StatusWord { get; }

    /// <summary>A stable machine code, e.g. <c>card.malformed_tlv</c>.</summary>
    public string MachineCode => Kind switch
    {
        CardProtocolErrorKind.Truncated => "card.truncated",
        CardProtocolErrorKind.MalformedTlv => "card.malformed_tlv",
        CardProtocolErrorKind.UnexpectedStatus => "card.unexpected_status",
        CardProtocolErrorKind.MalformedData => "card.malformed_data",
        CardProtocolErrorKind.MalformedCommand => "card.malformed_command",
        CardProtocolErrorKind.SecurityStatusNotSatisfied => "card.security_status_not_satisfied",
        CardProtocolErrorKind.NotFound => "card.not_found",
        _ => "card.error",
    };
}
