using Onshi.Card.Transport;
using Onshi.Card.Virtual;

namespace Onshi.App.Core.Readers;

/// <summary>
/// A reader in memory with the demo panel built in: a person places a demo card (a card image file, whose PIN
/// counters are saved back, so a blocked card stays blocked) or removes it. Removing fails any exchange in flight
/// with <see cref="CardTransportError.CardRemoved"/>, as pulling a real card does.
/// </summary>
public sealed class SimulatedCardReader : ICardReader, ICardPanel
{
    public const string ReaderNameValue = "Onshi 模擬カードリーダー";

    private readonly string _folder;
    private readonly Lock _lock = new();
    private readonly List<InMemoryCardTransport> _connections = [];
    private VirtualMyNumberCard? _card;
    private string? _placed;
    private long _version;

    public SimulatedCardReader(string cardsFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(cardsFolder);
        _folder = cardsFolder;
        Cards = DemoCards.List(cardsFolder);
    }

    public string Kind => "simulated";

    public IReadOnlyList<DemoCard> Cards { get; }

    public string? PlacedCard
    {
        get
        {
            lock (_lock)
            {
                return _placed;
            }
        }
    }

    public ReaderState Current
    {
        get
        {
            lock (_lock)
            {
                return new ReaderState(true, ReaderNameValue, _card is not null, null);
            }
        }
    }

    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<string> ListReaders() => [ReaderNameValue];

    public void Start()
    {
    }

    public ICardTransport Connect()
    {
        lock (_lock)
        {
            if (_card is null)
            {
                throw new CardTransportException(CardTransportError.NoCard, "No card is on the simulated reader.");
            }

            var transport = new InMemoryCardTransport(_card, ReaderNameValue);
            _connections.Add(transport);
            return transport;
        }
    }

    public async Task PlaceAsync(string fileName, CancellationToken cancellationToken)
    {
        var path = DemoCards.Resolve(_folder, fileName) ?? throw new ArgumentException("No such demo card.", nameof(fileName));
        await RemoveAsync(cancellationToken).ConfigureAwait(false);
        var card = VirtualMyNumberCard.Open(path);
        lock (_lock)
        {
            _card = card;
            _placed = fileName;
            Interlocked.Increment(ref _version);
        }
    }

    public Task RemoveAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Remove();
            }

            _connections.Clear();
            _card?.Dispose();
            _card = null;
            _placed = null;
            Interlocked.Increment(ref _version);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await RemoveAsync(CancellationToken.None).ConfigureAwait(false);
}
