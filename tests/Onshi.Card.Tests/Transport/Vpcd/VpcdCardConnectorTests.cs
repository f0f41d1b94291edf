using System.Net;
using System.Net.Sockets;
using Onshi.Card.Transport;
using Onshi.Card.Transport.Vpcd;

namespace Onshi.Card.Tests.Transport.Vpcd;

public sealed class VpcdCardConnectorTests
{
    private static readonly VpcdBackoff Quick = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnswersGetAtrWithTheEmulatorsAtr()
    {
        await using var vpcd = new FakeVpcd();
        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", vpcd.Port, backoff: Quick);
        connector.Start();
        using var link = await vpcd.AcceptAsync(Ct);

        var atr = await link.ExchangeAsync([VpcdProtocol.GetAtr], Ct);

        Assert.Equal(EchoCardEmulator.ContactAtr, atr);
    }

    [Fact]
    public async Task ResetsTheEmulatorOnPowerOnAndResetButNotOnPowerOff()
    {
        var card = new EchoCardEmulator();
        await using var vpcd = new FakeVpcd();
        await using var connector = new VpcdCardConnector(card, "127.0.0.1", vpcd.Port, backoff: Quick);
        connector.Start();
        using var link = await vpcd.AcceptAsync(Ct);

        await link.SendAsync([VpcdProtocol.PowerOn], Ct);
        await link.SendAsync([VpcdProtocol.PowerOff], Ct);
        await link.SendAsync([VpcdProtocol.Reset], Ct);
        // Control messages get no answer; the ATR request that follows proves all three were handled.
        await link.ExchangeAsync([VpcdProtocol.GetAtr], Ct);

        Assert.Equal(2, card.Resets);
        Assert.Equal(0, card.Commands);
    }

    [Fact]
    public async Task AnswersCommandApdusWithTheEmulatorsResponseIncludingExtendedOnes()
    {
        await using var vpcd = new FakeVpcd();
        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", vpcd.Port, backoff: Quick);
        connector.Start();
        using var link = await vpcd.AcceptAsync(Ct);
        var data = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

        var select = await link.ExchangeAsync([0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00], Ct);
        var echo = await link.ExchangeAsync(EchoCardEmulator.Command(0x80, 0xEE, 0, 0, data), Ct);
        var unknown = await link.ExchangeAsync([0x00, 0x12, 0x00, 0x00], Ct);

        Assert.Equal([0x90, 0x00], select);
        Assert.Equal([.. data, 0x90, 0x00], echo);
        Assert.Equal([0x6D, 0x00], unknown);
    }

    [Fact]
    public async Task ReconnectsWhenVpcdDropsTheConnection()
    {
        await using var vpcd = new FakeVpcd();
        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", vpcd.Port, backoff: Quick);
        connector.Start();

        using (var first = await vpcd.AcceptAsync(Ct))
        {
            await first.ExchangeAsync([VpcdProtocol.GetAtr], Ct);
        }

        using var second = await vpcd.AcceptAsync(Ct);
        var atr = await second.ExchangeAsync([VpcdProtocol.GetAtr], Ct);

        Assert.Equal(EchoCardEmulator.ContactAtr, atr);
        Assert.Equal(2, connector.Connections);
    }

    [Fact]
    public async Task KeepsTryingUntilVpcdStartsListening()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", port, backoff: Quick);
        connector.Start();
        await using var vpcd = new FakeVpcd(port);
        using var link = await vpcd.AcceptAsync(Ct);

        Assert.Equal(EchoCardEmulator.ContactAtr, await link.ExchangeAsync([VpcdProtocol.GetAtr], Ct));
    }

    [Fact]
    public async Task EjectClosesTheSocketAndInsertConnectsAgainWithTheNewCard()
    {
        await using var vpcd = new FakeVpcd();
        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", vpcd.Port, backoff: Quick);
        connector.Start();
        using var link = await vpcd.AcceptAsync(Ct);
        await connector.WaitUntilConnectedAsync(Ct);

        await connector.EjectAsync();

        Assert.True(await link.ClosedByCardAsync(Ct));
        Assert.False(connector.IsConnected);

        var other = new ShortAtrCard();
        connector.Insert(other);
        using var again = await vpcd.AcceptAsync(Ct);
        Assert.Equal(other.Atr.ToArray(), await again.ExchangeAsync([VpcdProtocol.GetAtr], Ct));
        Assert.Equal(2, connector.Connections);
    }

    [Fact]
    public async Task DisposeClosesTheConnectionAndStopsForGood()
    {
        await using var vpcd = new FakeVpcd();
        var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", vpcd.Port, backoff: Quick);
        connector.Start();
        using var link = await vpcd.AcceptAsync(Ct);
        await connector.WaitUntilConnectedAsync(Ct);

        await connector.DisposeAsync();

        Assert.True(await link.ClosedByCardAsync(Ct));
        Assert.Equal(1, connector.Connections);
        Assert.False(connector.IsConnected);
    }

    [Fact]
    public async Task HolderServesUntilCancelledAndThenReturnsNormally()
    {
        await using var vpcd = new FakeVpcd();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var lines = new List<string>();
        var holding = VpcdCardHolder.RunAsync(new EchoCardEmulator(), "127.0.0.1", vpcd.Port, stop.Token, line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        });
        using var link = await vpcd.AcceptAsync(Ct);
        Assert.Equal([0x90, 0x00], await link.ExchangeAsync([0x00, 0xA4, 0x00, 0x00], Ct));

        await stop.CancelAsync();
        await holding;

        Assert.True(await link.ClosedByCardAsync(Ct));
        lock (lines)
        {
            Assert.Contains(lines, l => l.Contains("connected", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void RejectsAPortOutsideTheTcpRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", 70000));
    }

    private sealed class ShortAtrCard : ICardEmulator
    {
        public ReadOnlyMemory<byte> Atr { get; } = new byte[] { 0x3B, 0x00 };

        public void Reset()
        {
        }

        public byte[] Process(ReadOnlySpan<byte> commandApdu) => [0x90, 0x00];
    }
}
