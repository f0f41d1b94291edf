namespace Onshi.Card.Transport;

/// <summary>
/// The card side of an exchange: something that answers APDUs like a card does. The virtual My Number card
/// implements it; the in-memory transport and the vpcd socket server drive it.
/// </summary>
public interface ICardEmulator
{
    /// <summary>The answer-to-reset the card reports on power-up.</summary>
    ReadOnlyMemory<byte> Atr { get; }

    /// <summary>Power-on or warm reset: current DF/EF and security state are cleared, retry counters are not.</summary>
    void Reset();

    /// <summary>Processes one command APDU and returns the response (data ‖ SW1 SW2). Never throws on malformed input.</summary>
    byte[] Process(ReadOnlySpan<byte> commandApdu);
}
