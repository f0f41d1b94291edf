using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Onshi.Card.Tests.Transport.Vpcd;

/// <summary>
/// The reader side of the vpcd protocol on 127.0.0.1, driven by the test: accepts the card's connection and sends
/// what vpcd would send. Real TCP, so the connector's socket handling is what gets tested.
/// </summary>
public sealed class FakeVpcd : IAsyncDisposable
{
    private readonly TcpListener _listener;

    public FakeVpcd(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<Link> AcceptAsync(CancellationToken cancellationToken)
    {
        var client = await _listener.AcceptTcpClientAsync(cancellationToken);
        client.NoDelay = true;
        return new Link(client);
    }

    public void Stop() => _listener.Stop();

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One accepted connection from the card.</summary>
    public sealed class Link(TcpClient client) : IDisposable
    {
        private readonly NetworkStream _stream = client.GetStream();

        public async Task SendAsync(byte[] payload, CancellationToken cancellationToken)
        {
            var frame = new byte[2 + payload.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
            payload.CopyTo(frame, 2);
            await _stream.WriteAsync(frame, cancellationToken);
        }

        public async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
        {
            var header = new byte[2];
            await _stream.ReadExactlyAsync(header, cancellationToken);
            var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            await _stream.ReadExactlyAsync(payload, cancellationToken);
            return payload;
        }

        public async Task<byte[]> ExchangeAsync(byte[] payload, CancellationToken cancellationToken)
        {
            await SendAsync(payload, cancellationToken);
            return await ReceiveAsync(cancellationToken);
        }

        /// <summary>True when the card closed its end (a read returns 0 bytes).</summary>
        public async Task<bool> ClosedByCardAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[1];
            try
            {
                return await _stream.ReadAsync(buffer, cancellationToken) == 0;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public void Dispose() => client.Dispose();
    }
}
