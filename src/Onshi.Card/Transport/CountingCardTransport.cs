namespace Onshi.Card.Transport;

/// <summary>
/// Counts exchanges (and bytes) passing through another transport, so the app and the benchmarks can report how
/// many APDUs an operation took. Failed exchanges count too: they still cost a round trip.
/// </summary>
public sealed class CountingCardTransport : ICardTransport
{
    private readonly ICardTransport _inner;
    private readonly bool _ownsInner;

    public CountingCardTransport(ICardTransport inner, bool ownsInner = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _ownsInner = ownsInner;
    }

    public string ReaderName => _inner.ReaderName;

    public int Exchanges { get; private set; }

    public long BytesSent { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>Starts a new count, e.g. before each operation.</summary>
    public void ResetCounts()
    {
        Exchanges = 0;
        BytesSent = 0;
        BytesReceived = 0;
    }

    public async ValueTask<byte[]> TransmitAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken = default)
    {
        Exchanges++;
        BytesSent += commandApdu.Length;
        var response = await _inner.TransmitAsync(commandApdu, cancellationToken).ConfigureAwait(false);
        BytesReceived += response.Length;
        return response;
    }

    public void Dispose()
    {
        if (_ownsInner)
        {
            _inner.Dispose();
        }
    }
}
