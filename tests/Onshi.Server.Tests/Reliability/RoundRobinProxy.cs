using System.Net;
using System.Net.Sockets;

namespace Onshi.Server.Tests.Reliability;

/// <summary>
/// A TCP round-robin proxy on 127.0.0.1: each new client connection goes to the next backend; a backend that refuses
/// the connection is skipped, as a load balancer's health check would. Clients that send <c>Connection: close</c> get a
/// new backend for every request.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _next;

    public RoundRobinProxy(IReadOnlyList<int> backendPorts)
    {
        _backends = backendPorts;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Connections => _next;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        var first = Interlocked.Increment(ref _next);
        for (var attempt = 0; attempt < _backends.Count; attempt++)
        {
            using var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, _backends[(first + attempt) % _backends.Count], _stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var clientStream = client.GetStream();
            var backendStream = backend.GetStream();
            try
            {
                // Whichever side closes first ends the relay of both.
                await Task.WhenAny(clientStream.CopyToAsync(backendStream, cut.Token), backendStream.CopyToAsync(clientStream, cut.Token));
            }
            catch (IOException)
            {
            }
            catch (OperationCanceledException)
            {
            }

            await cut.CancelAsync();
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
