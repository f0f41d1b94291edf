using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Transport;
using Onshi.Card.Transport.Pcsc;
using Onshi.Card.Transport.Vpcd;

namespace Onshi.Card.Tests.Transport.Pcsc;

/// <summary>
/// The whole path a real deployment uses: card clients → PcscCardTransport → libpcsclite → pcscd → vpcd →
/// the virtual My Number card. Skipped without pcscd + vpcd (scripts/test provides them).
/// </summary>
[Collection(SharedVirtualReader.Name)]
public sealed class MyNumberCardOverPcscTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdentifiesWithThePinThroughPcscdAndTheSignatureVerifies()
    {
        var (readerName, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, readerName, present: false);
        var card = TestCards.StandardCard();
        await using var connector = new VpcdCardConnector(card, "127.0.0.1", port);
        connector.Start();
        await context.WaitForCardAsync(readerName, RealStack.CardWait, Ct);
        using var transport = new CountingCardTransport(PcscCardTransport.Connect(readerName));
        var reader = new MyNumberCardReader(transport);
        var challenge = RandomNumberGenerator.GetBytes(32);

        var wrong = await reader.IdentifyWithPinAsync("9999", challenge, Ct);
        var exchangesBefore = transport.Exchanges;
        var right = await reader.IdentifyWithPinAsync("1234", challenge, Ct);

        Assert.Equal(PinVerificationOutcome.WrongPin, wrong.Pin.Outcome);
        Assert.Equal(2, wrong.Pin.TriesLeft);
        Assert.True(right.Succeeded);
        // A wrong PIN stops before signing (SELECT, certificate header, certificate rest, VERIFY). The JPKI-AP is still
        // selected for the retry, so it needs no SELECT but adds the signature: 4 exchanges again.
        Assert.Equal(4, exchangesBefore);
        Assert.Equal(4, transport.Exchanges - exchangesBefore);
        using var certificate = X509CertificateLoader.LoadCertificate(right.AuthenticationCertificate);
        Assert.Equal(TestCards.StandardImage().AuthCertificate, certificate.RawData);
        using var key = certificate.GetRSAPublicKey()!;
        Assert.True(key.VerifyData(challenge, right.Signature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        challenge[0] ^= 1;
        Assert.False(key.VerifyData(challenge, right.Signature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task ReadsTheCardFaceForVisualCheckThroughPcscd()
    {
        var (readerName, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, readerName, present: false);
        await using var connector = new VpcdCardConnector(TestCards.StandardCard(), "127.0.0.1", port);
        connector.Start();
        await context.WaitForCardAsync(readerName, RealStack.CardWait, Ct);
        using var transport = new CountingCardTransport(PcscCardTransport.Connect(readerName));
        var reader = new MyNumberCardReader(transport);

        var result = await reader.ReadForVisualCheckAsync(CheckCodeB.Compose(new DateOnly(1980, 2, 17), 2035, "2285"), Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(6, transport.Exchanges);
        Assert.Equal(TestCards.StandardImage().FacePhotoJpeg2000, result.Face!.FacePhotoJpeg2000);
        Assert.Equal("黒桐　幹也", result.BasicInfo!.Name);
        Assert.Equal(new DateOnly(1980, 2, 17), result.BasicInfo.BirthDate);
    }

    [Fact]
    public async Task ACardPulledAwayDuringTheReadIsReportedAsRemovedAndCanBeReadAgainWhenPutBack()
    {
        var (readerName, port) = RealStack.Require();
        using var context = PcscContext.Establish();
        await RealStack.WaitUntilAsync(context, readerName, present: false);
        var card = TestCards.StandardCard();
        await using var connector = new VpcdCardConnector(card, "127.0.0.1", port);
        connector.Start();
        await context.WaitForCardAsync(readerName, RealStack.CardWait, Ct);
        using (var transport = PcscCardTransport.Connect(readerName))
        {
            var reader = new MyNumberCardReader(transport);
            Assert.Equal(3, (await reader.Jpki.GetAuthenticationPinStatusAsync(Ct)).TriesLeft);

            await connector.EjectAsync();
            var error = await Assert.ThrowsAsync<CardTransportException>(
                async () => await reader.IdentifyWithPinAsync("1234", RandomNumberGenerator.GetBytes(32), Ct));
            Assert.Equal(CardTransportError.CardRemoved, error.Error);
        }

        await RealStack.WaitUntilAsync(context, readerName, present: false);
        connector.Insert(card);
        await context.WaitForCardAsync(readerName, RealStack.CardWait, Ct);
        using var again = PcscCardTransport.Connect(readerName);
        var retry = await new MyNumberCardReader(again).IdentifyWithPinAsync("1234", RandomNumberGenerator.GetBytes(32), Ct);
        Assert.True(retry.Succeeded);
    }
}
