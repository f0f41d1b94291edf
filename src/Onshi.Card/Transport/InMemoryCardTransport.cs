namespace Onshi.Card.Transport;

/// <summary>
/// A reader with a card emulator inserted, in the same process. Power-up resets the emulator, as pcscd does on
/// connect. <see cref="Remove"/> takes the card out: later exchanges fail with
/// <see cref="CardTransportError.CardRemoved"/>.
/// </summary>
public sealed class InMemoryCardTransport : ICardTransport
{
    private readonly ICardEmulator _card;
    private bool _removed;
    private bool _disposed;

    public InMemoryCardTransport(ICardEmulator card, string readerName = "Onshi in-memory reader")
    {
        ArgumentNullException.ThrowIfNull(card);
        _card = card;
        ReaderName = readerName;
        _card.Reset();
    }

    public string ReaderName { get; }

    /// <summary>The answer-to-reset of the inserted card.</summary>
    public ReadOnlyMemory<byte> Atr => _card.Atr;

    /// <summary>Warm reset: the card drops its selected DF and security state.</summary>
    public void Reset() => _card.Reset();

    /// <summary>Takes the card out of the reader.</summary>
    public void Remove() => _removed = true;

    public ValueTask<byte[]> TransmitAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_removed)
        {
            throw new CardTransportException(CardTransportError.CardRemoved, "The card was removed from the reader.");
        }

        return ValueTask.FromResult(_card.Process(commandApdu.Span));
    }

    public void Dispose() => _disposed = true;
}
