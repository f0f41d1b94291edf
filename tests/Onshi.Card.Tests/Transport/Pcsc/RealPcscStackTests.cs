using System.Diagnostics;
using System.Globalization;
using Onshi.Card.Tests.Transport.Vpcd;
using Onshi.Card.Transport;
using Onshi.Card.Transport.Pcsc;
using Onshi.Card.Transport.Vpcd;

namespace Onshi.Card.Tests.Transport.Pcsc;

/// <summary>
/// The PC/SC transport against the real stack: pcscd with vsmartcard's vpcd driver, a test card served through the
/// vpcd connector. Needs ONSHI_TEST_PCSC_READER and ONSHI_TEST_VPCD_PORT (scripts/test sets both inside its private
/// namespace); skipped without them.
/// </summary>
[Collection(SharedVirtualReader.Name)]
public sealed class RealPcscStackTests
{
    private static readonly TimeSpan CardWait = RealStack.CardWait;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ListsTheVirtualReader()
    {
        var (reader, _) = RealStack.Require();
        using var context = PcscContext.Establish();

        var readers = context.ListReaders();

        Assert.Contains(reader, readers);
    }

    [Fact]
    public async Task ExchangesApdusWithTheVirtualCardThroughPcscd()
    {
        var (reader, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, reader, present: false);
        var card = new EchoCardEmulator();
        await using var connector = new VpcdCardConnector(card, "127.0.0.1", port);
        connector.Start();

        var status = await context.WaitForCardAsync(reader, CardWait, Ct);
        using var transport = PcscCardTransport.Connect(reader);
        var select = await transport.TransmitAsync(new byte[] { 0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01 }, Ct);
        var shortData = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        var shortEcho = await transport.TransmitAsync(EchoCardEmulator.Command(0x80, 0xEE, 0, 0, shortData), Ct);
        var longData = Enumerable.Range(0, 4000).Select(i => (byte)(i * 13)).ToArray();
        var longEcho = await transport.TransmitAsync(EchoCardEmulator.Command(0x80, 0xEE, 0, 0, longData), Ct);
        var unknown = await transport.TransmitAsync(new byte[] { 0x00, 0x12, 0x00, 0x00 }, Ct);

        Assert.True(status.CardPresent);
        Assert.Equal(EchoCardEmulator.ContactAtr, status.Atr.ToArray());
        Assert.Equal(EchoCardEmulator.ContactAtr, transport.Atr.ToArray());
        Assert.Equal(PcscProtocols.T1, transport.ActiveProtocol);
        Assert.Equal(reader, transport.ReaderName);
        Assert.Equal([0x90, 0x00], select);
        Assert.Equal([.. shortData, 0x90, 0x00], shortEcho);
        Assert.Equal([.. longData, 0x90, 0x00], longEcho);
        Assert.Equal([0x6D, 0x00], unknown);
        Assert.Equal(4, card.Commands);
        Assert.True(card.Resets >= 1, "pcscd powers the card on before the first exchange");
    }

    [Fact]
    public async Task ReportsCardRemovedWhenTheCardIsEjectedMidSession()
    {
        var (reader, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, reader, present: false);
        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", port);
        connector.Start();
        await context.WaitForCardAsync(reader, CardWait, Ct);
        using var transport = PcscCardTransport.Connect(reader);
        Assert.Equal([0x90, 0x00], await transport.TransmitAsync(new byte[] { 0x00, 0xA4, 0x00, 0x00 }, Ct));

        await connector.EjectAsync();
        var error = await Assert.ThrowsAsync<CardTransportException>(
            async () => await transport.TransmitAsync(new byte[] { 0x00, 0xA4, 0x00, 0x00 }, Ct));

        Assert.Equal(CardTransportError.CardRemoved, error.Error);
        Assert.Contains("0x801000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsTheCardComingAndGoingAsStateChanges()
    {
        var (reader, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        var before = await RealStack.WaitUntilAsync(context, reader, present: false);

        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", port);
        connector.Start();
        var inserted = await RealStack.WaitUntilAsync(context, reader, present: true, before);
        await connector.EjectAsync();
        var removed = await RealStack.WaitUntilAsync(context, reader, present: false, inserted);

        Assert.False(before.Find(reader)!.CardPresent);
        Assert.True(inserted.Find(reader)!.CardReady);
        Assert.Equal(EchoCardEmulator.ContactAtr, inserted.Find(reader)!.Atr.ToArray());
        Assert.True(inserted.DiffersFrom(before));
        Assert.False(removed.Find(reader)!.CardPresent);
        Assert.True(removed.Find(reader)!.Atr.IsEmpty);
    }

    [Fact]
    public async Task WaitingForACardThatNeverComesTimesOut()
    {
        var (reader, _) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, reader, present: false);

        var error = await Assert.ThrowsAsync<CardTransportException>(
            () => context.WaitForCardAsync(reader, TimeSpan.FromMilliseconds(1500), Ct));

        Assert.Equal(CardTransportError.Timeout, error.Error);
        Assert.Contains("0x8010000A", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingAWaitStopsItPromptly()
    {
        var (reader, _) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, reader, present: false);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = context.WaitForCardAsync(reader, TimeSpan.FromMinutes(10), cancel.Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        // The context stays usable after a cancelled wait.
        Assert.NotNull((await context.GetStatusAsync(Ct)).Find(reader));
    }

    [Fact]
    public async Task ConnectingToAnEmptyReaderReportsNoCard()
    {
        var (reader, _) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, reader, present: false);

        var error = Assert.Throws<CardTransportException>(() => PcscCardTransport.Connect(reader));

        Assert.Equal(CardTransportError.NoCard, error.Error);
    }

    [Fact]
    public async Task AReaderThatDoesNotExistIsUnavailable()
    {
        RealStack.Require();
        using var context = PcscContext.Establish();

        var connect = Assert.Throws<CardTransportException>(() => PcscCardTransport.Connect("No Such Reader 99 99"));
        var wait = await Assert.ThrowsAsync<CardTransportException>(
            () => context.WaitForCardAsync("No Such Reader 99 99", TimeSpan.FromSeconds(1), Ct));

        Assert.Equal(CardTransportError.ReaderUnavailable, connect.Error);
        Assert.Equal(CardTransportError.ReaderUnavailable, wait.Error);
    }

    /// <summary>Measures APDU round trips through pcscd; prints the figure for docs/pcsc.md, asserts only correctness.</summary>
    [Fact]
    public async Task MeasuresTheRoundTripOfAnApduThroughPcscd()
    {
        var (reader, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, reader, present: false);
        await using var connector = new VpcdCardConnector(new EchoCardEmulator(), "127.0.0.1", port);
        connector.Start();
        await context.WaitForCardAsync(reader, CardWait, Ct);
        using var transport = PcscCardTransport.Connect(reader);
        var command = EchoCardEmulator.Command(0x80, 0xEE, 0, 0, new byte[250]);
        const int Rounds = 200;

        await transport.TransmitAsync(command, Ct);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            var response = await transport.TransmitAsync(command, Ct);
            Assert.Equal(252, response.Length);
        }

        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pcscd+vpcd round trip, 255-byte command / 252-byte response: {clock.Elapsed.TotalMilliseconds / Rounds:0.000} ms per APDU over {Rounds}"));
    }
}
