namespace Onshi.Card.Transport;

/// <summary>
/// Carries raw ISO 7816-4 command APDUs to a card and brings back the raw response (data ‖ SW1 SW2).
/// Implementations: the in-memory transport to a virtual card, and the PC/SC transport to a real reader.
/// </summary>
/// <remarks>
/// The transport does no 61xx/6Cxx processing: the card layer above decides what to send next, so that
/// the exchange count the app reports is the real one.
/// </remarks>
public interface ICardTransport : IDisposable
{
    /// <summary>A human-readable name of the reader or virtual slot, shown to staff.</summary>
    string ReaderName { get; }

    /// <summary>Sends one command APDU and returns the response APDU.</summary>
    /// <exception cref="CardTransportException">The reader or the card went away, or the exchange failed.</exception>
    ValueTask<byte[]> TransmitAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken = default);
}
