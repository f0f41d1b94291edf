namespace Onshi.Card.Transport.Pcsc;

/// <summary>What one reader reports right now: is a card in it, is someone using it, its ATR.</summary>
/// <param name="ReaderName">The name PC/SC gives the reader, e.g. "Virtual PCD 00 00".</param>
/// <param name="CardPresent">A card is in the reader (it may still be mute).</param>
/// <param name="InUse">Another connection (maybe ours) holds the card.</param>
/// <param name="Exclusive">Another connection holds the card exclusively; we cannot connect.</param>
/// <param name="Mute">A card is there but did not answer the reset (inserted backwards, broken, not a smart card).</param>
/// <param name="Unavailable">The reader exists but its state cannot be read (driver busy or failing).</param>
/// <param name="Atr">The card's answer-to-reset; empty when there is no card.</param>
/// <param name="EventState">The raw SCARD_STATE_* flags, including the event counter in the high 16 bits.</param>
public sealed record PcscReaderStatus(
    string ReaderName,
    bool CardPresent,
    bool InUse,
    bool Exclusive,
    bool Mute,
    bool Unavailable,
    ReadOnlyMemory<byte> Atr,
    uint EventState)
{
    /// <summary>A card is in the reader and answered the reset, so connecting should work.</summary>
    public bool CardReady => CardPresent && !Mute && !Exclusive && !Unavailable;

    internal static PcscReaderStatus FromEventState(string readerName, uint eventState, ReadOnlyMemory<byte> atr)
    {
        var present = (eventState & PcscConstants.StatePresent) != 0;
        return new PcscReaderStatus(
            readerName,
            present,
            (eventState & PcscConstants.StateInUse) != 0,
            (eventState & PcscConstants.StateExclusive) != 0,
            (eventState & PcscConstants.StateMute) != 0,
            (eventState & (PcscConstants.StateUnavailable | PcscConstants.StateUnknown)) != 0,
            present ? atr : ReadOnlyMemory<byte>.Empty,
            eventState);
    }
}

/// <summary>The state of every reader at one moment; pass it back to <see cref="PcscContext.WaitForChangeAsync"/>.</summary>
public sealed class PcscReaderSnapshot
{
    internal PcscReaderSnapshot(IReadOnlyList<PcscReaderStatus> readers, uint pnpState)
    {
        Readers = readers;
        PnpState = pnpState;
    }

    /// <summary>The readers PC/SC knows, in the order it lists them.</summary>
    public IReadOnlyList<PcscReaderStatus> Readers { get; }

    /// <summary>The state of the plug-and-play pseudo-reader (reader count in the high 16 bits on pcsc-lite).</summary>
    internal uint PnpState { get; }

    /// <summary>The reader of that exact name, or null when it is not connected.</summary>
    public PcscReaderStatus? Find(string readerName)
        => Readers.FirstOrDefault(r => string.Equals(r.ReaderName, readerName, StringComparison.Ordinal));

    /// <summary>True when a reader appeared or went away, or a card was inserted, removed, taken or released.</summary>
    public bool DiffersFrom(PcscReaderSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Readers.Count != Readers.Count)
        {
            return true;
        }

        for (var i = 0; i < Readers.Count; i++)
        {
            var mine = Readers[i];
            var theirs = other.Readers[i];
            if (!string.Equals(mine.ReaderName, theirs.ReaderName, StringComparison.Ordinal)
                || (mine.EventState & ~PcscConstants.StateChanged) != (theirs.EventState & ~PcscConstants.StateChanged))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Transmission protocols a card may speak (ISO 7816-3).</summary>
[Flags]
public enum PcscProtocols
{
    /// <summary>No protocol (not connected).</summary>
    None = 0,

    /// <summary>T=0, byte-oriented; needs GET RESPONSE for case 4 commands.</summary>
    T0 = 1,

    /// <summary>T=1, block-oriented; the My Number card uses it on contact readers.</summary>
    T1 = 2,

    /// <summary>Let the reader choose (T=0 or T=1).</summary>
    Any = T0 | T1,
}
