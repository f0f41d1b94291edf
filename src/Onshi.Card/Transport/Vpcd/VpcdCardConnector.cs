using System.Globalization;
using System.Net.Sockets;

namespace Onshi.Card.Transport.Vpcd;

/// <summary>
/// Puts an <see cref="ICardEmulator"/> into a vpcd slot: connects to vpcd (the virtual reader driver inside pcscd),
/// serves it, and reconnects with exponential backoff whenever vpcd goes away (pcscd restarted, not yet started).
/// <see cref="EjectAsync"/> closes the socket, which pcscd sees as the card being pulled out; <see cref="Insert"/>
/// puts it back.
/// </summary>
public sealed class VpcdCardConnector : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeProvider _timeProvider;
    private readonly VpcdBackoff _backoff;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private ICardEmulator _card;
    private Task? _loop;
    private CancellationTokenSource? _session;
    private TaskCompletionSource _inserted = NewSignal(set: true);
    private TaskCompletionSource _sessionEnded = NewSignal(set: true);
    private TaskCompletionSource _connected = NewSignal(set: false);
    private long _connections;

    public VpcdCardConnector(
        ICardEmulator card,
        string host = "127.0.0.1",
        int port = VpcdProtocol.DefaultPort,
        TimeProvider? timeProvider = null,
        VpcdBackoff? backoff = null,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _card = card;
        _host = host;
        _port = port;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _backoff = backoff ?? VpcdBackoff.Default;
        _log = log;
    }

    /// <summary>True while a TCP connection to vpcd is open (the card is "in the reader").</summary>
    public bool IsConnected => _connected.Task.IsCompleted;

    /// <summary>How many times a connection to vpcd was made since <see cref="Start"/>.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Starts connecting and serving in the background. Call once.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_loop is not null)
            {
                throw new InvalidOperationException("The connector is already running.");
            }

            _loop = Task.Run(() => RunLoopAsync(_stop.Token));
        }
    }

    /// <summary>Completes when a connection to vpcd is open (it may close again at any time).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        Task connected;
        lock (_lock)
        {
            connected = _connected.Task;
        }

        return connected.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Pulls the card out: closes the connection and does not reconnect until <see cref="Insert"/>. Completes once
    /// the socket is closed; pcscd notices at its next presence poll.
    /// </summary>
    public Task EjectAsync()
    {
        Task ended;
        lock (_lock)
        {
            if (_inserted.Task.IsCompleted)
            {
                _inserted = NewSignal(set: false);
            }

            _session?.Cancel();
            ended = _sessionEnded.Task;
        }

        return ended;
    }

    /// <summary>Puts the card (or another one) back: the connector connects to vpcd again.</summary>
    public void Insert(ICardEmulator? card = null)
    {
        lock (_lock)
        {
            if (card is not null)
            {
                _card = card;
            }

            _inserted.TrySetResult();
        }
    }

    /// <summary>Stops serving and closes the connection; waits for the background loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>Runs until <paramref name="stop"/>; each pass is one connection attempt followed by a bounded wait.</summary>
    private async Task RunLoopAsync(CancellationToken stop)
    {
        var delay = _backoff.Initial;
        while (!stop.IsCancellationRequested)
        {
            Task inserted;
            lock (_lock)
            {
                inserted = _inserted.Task;
            }

            try
            {
                await inserted.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var served = await RunSessionAsync(stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            bool ejected;
            lock (_lock)
            {
                ejected = !_inserted.Task.IsCompleted;
            }

            if (ejected)
            {
                delay = _backoff.Initial;
                continue;
            }

            // A session that exchanged messages means vpcd was healthy: start the backoff over.
            delay = served ? _backoff.Initial : delay;
            try
            {
                await Task.Delay(delay, _timeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = served ? _backoff.Initial : _backoff.Next(delay);
        }
    }

    /// <summary>One connection: connect, serve until it ends. True when at least the connect succeeded.</summary>
    private async Task<bool> RunSessionAsync(CancellationToken stop)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        ICardEmulator card;
        lock (_lock)
        {
            if (!_inserted.Task.IsCompleted)
            {
                return false;
            }

            _session = session;
            _sessionEnded = NewSignal(set: false);
            card = _card;
        }

        var client = new TcpClient { NoDelay = true };
        var connectedOnce = false;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(session.Token))
            {
                connectTimeout.CancelAfter(_backoff.ConnectTimeout);
                await client.ConnectAsync(_host, _port, connectTimeout.Token).ConfigureAwait(false);
            }

            connectedOnce = true;
            Interlocked.Increment(ref _connections);
            lock (_lock)
            {
                _connected.TrySetResult();
            }

            _log?.Invoke($"vpcd {_host}:{_port}: connected, card inserted");
            var socket = client.Client;
            Action? quickAck = OperatingSystem.IsLinux() ? () => RequestQuickAck(socket) : null;
            await VpcdProtocol.ServeAsync(card, client.GetStream(), quickAck, session.Token).ConfigureAwait(false);
            _log?.Invoke($"vpcd {_host}:{_port}: vpcd closed the connection");
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            _log?.Invoke(stop.IsCancellationRequested ? $"vpcd {_host}:{_port}: stopped" : $"vpcd {_host}:{_port}: card ejected");
        }
        catch (OperationCanceledException)
        {
            _log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"vpcd {_host}:{_port}: no answer within {_backoff.ConnectTimeout.TotalSeconds:0.#} s"));
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            _log?.Invoke($"vpcd {_host}:{_port}: {e.Message}");
        }
        finally
        {
            client.Dispose();
            lock (_lock)
            {
                _session = null;
                if (_connected.Task.IsCompleted)
                {
                    _connected = NewSignal(set: false);
                }

                _sessionEnded.TrySetResult();
            }
        }

        return connectedOnce;
    }

    /// <summary>
    /// vpcd writes the 2-byte length and the APDU in two send() calls without TCP_NODELAY, so Nagle holds the APDU
    /// until the length is acknowledged, and Linux delays that ACK by up to 40 ms: every exchange would take ~40 ms.
    /// TCP_QUICKACK makes the kernel acknowledge at once; it is not sticky, hence re-armed before every read.
    /// </summary>
    private static void RequestQuickAck(Socket socket)
    {
        const int TcpQuickAck = 12;
        try
        {
            socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpQuickAck, [1, 0, 0, 0]);
        }
        catch (SocketException)
        {
            // Only a latency optimisation; a kernel without it still works, just slower.
        }
        catch (ObjectDisposedException)
        {
            // The session is ending.
        }
    }

    private static TaskCompletionSource NewSignal(bool set)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (set)
        {
            signal.SetResult();
        }

        return signal;
    }
}

/// <summary>How long to wait between attempts to reach vpcd: doubling from <see cref="Initial"/> up to <see cref="Maximum"/>.</summary>
public sealed record VpcdBackoff(TimeSpan Initial, TimeSpan Maximum, TimeSpan ConnectTimeout)
{
    public static VpcdBackoff Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    internal TimeSpan Next(TimeSpan current)
    {
        var doubled = current * 2;
        return doubled > Maximum ? Maximum : doubled;
    }
}
