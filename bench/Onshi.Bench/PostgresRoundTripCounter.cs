using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Onshi.Bench;

/// <summary>
/// A TCP relay between the server and PostgreSQL on 127.0.0.1 that counts round trips on the wire, not in our own code:
/// a round trip is a turn of the conversation — the client sends a message after PostgreSQL has answered something on
/// that connection since the client's previous message. Messages the client pipelines (a BEGIN or a connection reset
/// written before the next statement, the statements of one batch) are not turns; each wait for an answer is. The
/// Sync and Query messages (PostgreSQL protocol 3.0, "Message Flow") are counted too, to show how much was pipelined.
/// Used only in the bench's separate counting phase, never in a timed one.
/// </summary>
public sealed class PostgresRoundTripCounter : IDisposable
{
    private const int SslRequestCode = 80877103;
    private const int GssEncryptionRequestCode = 80877104;

    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private long _roundTrips;
    private long _syncs;

    private PostgresRoundTripCounter(int target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>Sync and simple Query messages: what a count of "statements sent" would give.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    public static PostgresRoundTripCounter Start(int postgresPort) => new(postgresPort);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                _ = RelayAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                server.NoDelay = true;
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token).ConfigureAwait(false);
                var fromClient = client.GetStream();
                var toServer = server.GetStream();
                var turn = new Turn();
                var back = ForwardBackendAsync(server.GetStream(), client.GetStream(), turn, _stop.Token);
                await ForwardFrontendAsync(fromClient, toServer, turn, _stop.Token).ConfigureAwait(false);
                await back.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
            {
                // A connection closed by either side ends its relay.
            }
        }
    }

    /// <summary>Whether PostgreSQL has sent anything since the client's last message (the opening message counts as a turn).</summary>
    private sealed class Turn
    {
        private int _serverSpoke = 1;

        public void ServerSpoke() => Volatile.Write(ref _serverSpoke, 1);

        public bool TakeClientTurn() => Interlocked.Exchange(ref _serverSpoke, 0) == 1;
    }

    private static async Task ForwardBackendAsync(NetworkStream from, NetworkStream to, Turn turn, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            turn.ServerSpoke();
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ForwardFrontendAsync(NetworkStream from, NetworkStream to, Turn turn, CancellationToken cancellationToken)
    {
        var header = new byte[8];

        // Untyped opening messages: SSLRequest / GSSENCRequest (the server answers with one byte), then StartupMessage.
        while (true)
        {
            await from.ReadExactlyAsync(header.AsMemory(0, 8), cancellationToken).ConfigureAwait(false);
            CountTurn(turn);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            var code = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
            await to.WriteAsync(header.AsMemory(0, 8), cancellationToken).ConfigureAwait(false);
            if (length == 8 && code is SslRequestCode or GssEncryptionRequestCode)
            {
                continue;
            }

            await CopyExactlyAsync(from, to, length - 8, cancellationToken).ConfigureAwait(false);
            break;
        }

        // Typed messages: one byte of type, four of length (which counts itself).
        while (true)
        {
            await from.ReadExactlyAsync(header.AsMemory(0, 5), cancellationToken).ConfigureAwait(false);
            CountTurn(turn);
            var type = (char)header[0];
            var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
            await to.WriteAsync(header.AsMemory(0, 5), cancellationToken).ConfigureAwait(false);
            await CopyExactlyAsync(from, to, length - 4, cancellationToken).ConfigureAwait(false);
            if (type is 'S' or 'Q')
            {
                Interlocked.Increment(ref _syncs);
            }
            else if (type == 'X')
            {
                return;
            }
        }
    }

    private void CountTurn(Turn turn)
    {
        if (turn.TakeClientTurn())
        {
            Interlocked.Increment(ref _roundTrips);
        }
    }

    private static async Task CopyExactlyAsync(NetworkStream from, NetworkStream to, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(Math.Max(count, 1), 64 * 1024)];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            count -= read;
        }
    }
}
