using Onshi.Card.Transport.Vpcd;
using Onshi.Card.Virtual;

namespace Onshi.App.Core.Readers;

/// <summary>
/// The demo panel through vsmartcard's vpcd: a placed card is served into a vpcd slot, so the app reads it with its
/// PC/SC reader exactly as it reads a real card. Only for a private network namespace or a trusted machine: vpcd
/// listens on all interfaces (docs/pcsc.md).
/// </summary>
public sealed class VpcdCardPanel : ICardPanel, IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _host;
    private readonly int _port;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VpcdCardConnector? _connector;
    private VirtualMyNumberCard? _card;
    private string? _placed;
    private int _disposed;

    public VpcdCardPanel(string cardsFolder, string host, int port)
    {
        _folder = cardsFolder;
        _host = host;
        _port = port;
        Cards = DemoCards.List(cardsFolder);
    }

    public IReadOnlyList<DemoCard> Cards { get; }

    public string? PlacedCard => Volatile.Read(ref _placed);

    public async Task PlaceAsync(string fileName, CancellationToken cancellationToken)
    {
        var path = DemoCards.Resolve(_folder, fileName) ?? throw new ArgumentException("No such demo card.", nameof(fileName));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RemoveLockedAsync().ConfigureAwait(false);
            _card = VirtualMyNumberCard.Open(path);
            _connector = new VpcdCardConnector(_card, _host, _port);
            _connector.Start();
            Volatile.Write(ref _placed, fileName);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RemoveLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await RemoveAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RemoveLockedAsync()
    {
        if (_connector is not null)
        {
            await _connector.EjectAsync().ConfigureAwait(false);
            await _connector.DisposeAsync().ConfigureAwait(false);
            _connector = null;
        }

        _card?.Dispose();
        _card = null;
        Volatile.Write(ref _placed, null);
    }
}
