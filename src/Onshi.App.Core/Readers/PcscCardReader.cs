using Onshi.Card.Transport;
using Onshi.Card.Transport.Pcsc;

namespace Onshi.App.Core.Readers;

/// <summary>
/// A real reader through the operating system's PC/SC service. A background watcher keeps <see cref="Current"/> up
/// to date with <see cref="PcscContext.WaitForChangeAsync"/>; when the service or the reader goes away it says so
/// and tries again every two seconds.
/// </summary>
public sealed class PcscCardReader : ICardReader
{
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly string? _preferredReader;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private ReaderState _current = ReaderState.Starting;
    private long _version;
    private Task? _watcher;
    private int _disposed;

    /// <param name="readerName">The reader to use; null means the first one PC/SC lists.</param>
    /// <param name="time">Clock for the retry delays.</param>
    public PcscCardReader(string? readerName, TimeProvider time)
    {
        _preferredReader = string.IsNullOrWhiteSpace(readerName) ? null : readerName;
        _time = time;
    }

    public string Kind => "pcsc";

    public ReaderState Current => Volatile.Read(ref _current);

    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<string> ListReaders()
    {
        try
        {
            using var context = PcscContext.Establish(_time);
            return context.ListReaders();
        }
        catch (CardTransportException)
        {
            return [];
        }
    }

    public void Start() => _watcher ??= Task.Run(() => WatchAsync(_stop.Token));

    public ICardTransport Connect()
    {
        var name = Current.ReaderName ?? _preferredReader
            ?? throw new CardTransportException(CardTransportError.ReaderUnavailable, "No PC/SC reader is connected.");
        return PcscCardTransport.Connect(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_watcher is not null)
        {
            try
            {
                await _watcher.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var context = PcscContext.Establish(_time);
                var snapshot = await context.GetStatusAsync(stop).ConfigureAwait(false);
                while (!stop.IsCancellationRequested)
                {
                    Publish(Describe(snapshot));
                    snapshot = await context.WaitForChangeAsync(snapshot, WaitSlice, stop).ConfigureAwait(false);
                }
            }
            catch (CardTransportException)
            {
                Publish(new ReaderState(false, null, false, "カードリーダーのサービス（PC/SC）に接続できません。リーダーの接続を確認してください。"));
                await Task.Delay(RetryDelay, _time, stop).ConfigureAwait(false);
            }
        }
    }

    private ReaderState Describe(PcscReaderSnapshot snapshot)
    {
        var reader = _preferredReader is null ? (snapshot.Readers.Count > 0 ? snapshot.Readers[0] : null) : snapshot.Find(_preferredReader);
        if (reader is null)
        {
            return new ReaderState(false, null, false,
                _preferredReader is null ? "カードリーダーが接続されていません。" : $"カードリーダー「{_preferredReader}」が見つかりません。");
        }

        if (reader.CardPresent && reader.Mute)
        {
            return new ReaderState(true, reader.ReaderName, false, "カードを読み取れません。向きを確かめて置き直してください。");
        }

        return new ReaderState(true, reader.ReaderName, reader.CardReady, null);
    }

    private void Publish(ReaderState state)
    {
        if (Volatile.Read(ref _current) != state)
        {
            Volatile.Write(ref _current, state);
            Interlocked.Increment(ref _version);
        }
    }
}
