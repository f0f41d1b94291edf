using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>How the network between the app and the server misbehaves.</summary>
public enum NetworkFault
{
    /// <summary>Bytes pass both ways.</summary>
    None,

    /// <summary>
    /// A POST /confirmations reaches the server whole; the server's answer is read and thrown away and the app's
    /// connection is reset: the server committed, the app never saw it (a cable pulled at the wrong moment).
    /// </summary>
    CutConfirmationAnswers,

    /// <summary>Nobody listens: every new connection is refused (the proxy's port is closed).</summary>
    Refuse,

    /// <summary>A reverse proxy whose upstream is gone: every request is answered 502 with an HTML page.</summary>
    BadGateway,
}

/// <summary>
/// A TCP relay on 127.0.0.1 between the app and the real server, so tests take the network away (not the server):
/// the app's HttpClient sees real refused connections, resets and proxy pages.
/// </summary>
public sealed class NetworkProxy : IAsyncDisposable
{
    private static readonly byte[] ConfirmationRequestLine = Encoding.ASCII.GetBytes("POST /api/app/v1/confirmations ");
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private volatile NetworkFault _fault;
    private int _cut;

    public NetworkProxy(Uri upstream)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host), upstream.Port);
        Port = ServerHost.FreePort();
        Listen();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Confirmation answers thrown away so far (each one a request the server processed).</summary>
    public int CutAnswers => Volatile.Read(ref _cut);

    public NetworkFault Fault
    {
        get => _fault;
        set
        {
            lock (_lock)
            {
                _fault = value;
                if (value is NetworkFault.Refuse or NetworkFault.BadGateway)
                {
                    // Kept-alive connections die with the network (or the proxy's restart), so the next request meets the fault.
                    ResetAllLocked();
                }

                if (value == NetworkFault.Refuse)
                {
                    _listener?.Stop();
                    _listener = null;
                }
                else if (_listener is null)
                {
                    Listen();
                }
            }
        }
    }

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var _ = client;
        Track(client);
        Track(server);
        try
        {
            if (_fault == NetworkFault.BadGateway)
            {
                await AnswerBadGatewayAsync(client);
                return;
            }

            await server.ConnectAsync(_upstream, _stop.Token);
            var confirmationInFlight = false;
            var up = Task.Run(async () =>
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await client.ReceiveAsync(buffer, _stop.Token)) > 0)
                {
                    // HttpClient writes a request's head in one go: its first line tells which call this is.
                    if (_fault == NetworkFault.CutConfirmationAnswers && buffer.AsSpan(0, read).StartsWith(ConfirmationRequestLine))
                    {
                        confirmationInFlight = true;
                    }

                    await server.SendAsync(buffer.AsMemory(0, read), _stop.Token);
                }

                server.Shutdown(SocketShutdown.Send);
            });
            var down = Task.Run(async () =>
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await server.ReceiveAsync(buffer, _stop.Token)) > 0)
                {
                    if (confirmationInFlight)
                    {
                        // The server has answered, so it has committed: the answer goes nowhere and the app's connection is reset.
                        Interlocked.Increment(ref _cut);
                        client.LingerState = new LingerOption(true, 0);
                        client.Close();
                        return;
                    }

                    await client.SendAsync(buffer.AsMemory(0, read), _stop.Token);
                }

                client.Shutdown(SocketShutdown.Send);
            });
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // One side went away: the relay ends with it.
        }
        finally
        {
            Untrack(client);
            Untrack(server);
        }
    }

    private static async Task AnswerBadGatewayAsync(Socket client)
    {
        var buffer = new byte[64 * 1024];
        await client.ReceiveAsync(buffer);
        var page = Encoding.UTF8.GetBytes("<html><body><h1>502 Bad Gateway</h1></body></html>");
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\nConnection: close\r\n\r\n");
        await client.SendAsync(head);
        await client.SendAsync(page);
        client.Shutdown(SocketShutdown.Both);
    }

    private void Track(Socket socket)
    {
        lock (_lock)
        {
            _open.Add(socket);
        }
    }

    private void Untrack(Socket socket)
    {
        lock (_lock)
        {
            _open.Remove(socket);
        }
    }

    private void ResetAllLocked()
    {
        foreach (var socket in _open)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        _open.Clear();
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
            ResetAllLocked();
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
