namespace Onshi.Card.Transport;

/// <summary>Why an exchange with a reader or card did not happen.</summary>
public enum CardTransportError
{
    /// <summary>No reader of that name, or no PC/SC service.</summary>
    ReaderUnavailable,

    /// <summary>The reader has no card in it.</summary>
    NoCard,

    /// <summary>The card was taken away during the exchange.</summary>
    CardRemoved,

    /// <summary>Waiting for a card or an answer took longer than allowed.</summary>
    Timeout,

    /// <summary>Any other failure reported by the reader stack.</summary>
    Failed,
}

/// <summary>A failure below the APDU level: the reader, the card's presence, or the link.</summary>
public sealed class CardTransportException : Exception
{
    public CardTransportException(CardTransportError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public CardTransportException()
    {
    }

    public CardTransportException(string message) : base(message)
    {
    }

    public CardTransportException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CardTransportError Error { get; } = CardTransportError.Failed;
}
