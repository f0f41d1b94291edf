using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Apdu;

namespace Onshi.Card.Tests.Applications;

public sealed class CardClientTests
{
    private static readonly CheckCodeB KurokiCode = CheckCodeB.Compose(new DateOnly(1980, 2, 17), 2035, "2285");

    [Fact]
    public async Task IdentifiesWithThePinInFiveExchangesAndTheSignatureVerifiesAgainstTheCardsCertificate()
    {
        var (_, transport, reader) = TestCards.Reader();
        var challenge = RandomNumberGenerator.GetBytes(32);
        var result = await reader.IdentifyWithPinAsync("1234", challenge, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(5, transport.Exchanges);
        using var certificate = X509CertificateLoader.LoadCertificate(result.AuthenticationCertificate);
        Assert.Equal(TestCards.StandardImage().AuthCertificate, certificate.RawData);
        using var key = certificate.GetRSAPublicKey()!;
        Assert.True(key.VerifyData(challenge, result.Signature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task ASignatureFailsVerificationAfterAnySingleBitOfTheChallengeChanges()
    {
        var (_, _, reader) = TestCards.Reader();
        var challenge = RandomNumberGenerator.GetBytes(16);
        var result = await reader.IdentifyWithPinAsync("1234", challenge, TestContext.Current.CancellationToken);
        using var certificate = X509CertificateLoader.LoadCertificate(result.AuthenticationCertificate);
        using var key = certificate.GetRSAPublicKey()!;
        for (var bit = 0; bit < challenge.Length * 8; bit++)
        {
            var changed = (byte[])challenge.Clone();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(key.VerifyHash(SHA256.HashData(changed), result.Signature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        Assert.True(key.VerifyHash(SHA256.HashData(challenge), result.Signature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task ReportsWrongPinsWithTriesLeftThenBlockedAsResultsNotExceptions()
    {
        var (card, _, reader) = TestCards.Reader();
        var ct = TestContext.Current.CancellationToken;
        var first = await reader.IdentifyWithPinAsync("9999", "c"u8.ToArray(), ct);
        Assert.Equal(PinVerificationOutcome.WrongPin, first.Pin.Outcome);
        Assert.Equal(2, first.Pin.TriesLeft);
        Assert.Null(first.Signature);
        Assert.NotEmpty(first.AuthenticationCertificate);
        Assert.Equal(1, (await reader.IdentifyWithPinAsync("9999", "c"u8.ToArray(), ct)).Pin.TriesLeft);
        Assert.Equal(PinVerificationOutcome.Blocked, (await reader.IdentifyWithPinAsync("9999", "c"u8.ToArray(), ct)).Pin.Outcome);
        var afterBlock = await reader.IdentifyWithPinAsync("1234", "c"u8.ToArray(), ct);
        Assert.Equal(PinVerificationOutcome.Blocked, afterBlock.Pin.Outcome);
        Assert.Contains("ロック", afterBlock.Pin.JapaneseMessage, StringComparison.Ordinal);
        Assert.Equal(0, card.TriesLeft("jpki", 0x18));
    }

    [Fact]
    public async Task RefusesAMalformedPinWithoutSpendingATry()
    {
        var (card, transport, reader) = TestCards.Reader();
        var result = await reader.IdentifyWithPinAsync("12a4", "c"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal(PinVerificationOutcome.InvalidFormat, result.Pin.Outcome);
        Assert.Equal(0, transport.Exchanges);
        Assert.Equal(3, card.TriesLeft("jpki", 0x18));
    }

    [Fact]
    public async Task ReportsRemainingTriesWithoutConsumingOne()
    {
        var (card, _, reader) = TestCards.Reader();
        var ct = TestContext.Current.CancellationToken;
        await reader.Jpki.VerifyAuthenticationPinAsync("0000", ct);
        var status = await reader.Jpki.GetAuthenticationPinStatusAsync(ct);
        Assert.Equal(PinVerificationOutcome.TriesRemaining, status.Outcome);
        Assert.Equal(2, status.TriesLeft);
        Assert.Equal(2, card.TriesLeft("jpki", 0x18));
    }

    [Fact]
    public async Task RefusesToSignBeforeThePinWithATypedError()
    {
        var (_, _, reader) = TestCards.Reader();
        var error = await Assert.ThrowsAsync<CardProtocolException>(() =>
            reader.Jpki.SignSha256WithAuthenticationKeyAsync(SHA256.HashData("x"u8), TestContext.Current.CancellationToken));
        Assert.Equal(CardProtocolErrorKind.SecurityStatusNotSatisfied, error.Kind);
        Assert.Equal(StatusWord.SecurityStatusNotSatisfied, error.StatusWord);
    }

    [Fact]
    public async Task ReadsTheCaCertificateThatIssuedTheAuthenticationCertificate()
    {
        var (_, _, reader) = TestCards.Reader();
        var ct = TestContext.Current.CancellationToken;
        using var ca = X509CertificateLoader.LoadCertificate(await reader.Jpki.ReadAuthenticationCaCertificateAsync(ct));
        using var ee = X509CertificateLoader.LoadCertificate(await reader.Jpki.ReadAuthenticationCertificateAsync(ct));
        Assert.Equal(ca.Subject, ee.Issuer);
        Assert.Contains("O=JPKI-TEST", ca.Subject, StringComparison.Ordinal);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = TestCards.IssueTime.UtcDateTime.AddDays(1);
        Assert.True(chain.Build(ee), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public async Task ReadsTheTokenInfoOfAPhysicalCard()
    {
        var (_, _, reader) = TestCards.Reader();
        var token = await reader.Jpki.ReadTokenInfoAsync(TestContext.Current.CancellationToken);
        Assert.True(token.IsMyNumberCard);
        Assert.False(token.IsSmartphone);
        Assert.Equal(TestCards.StandardImage().CardSerial, token.SerialNumber);
    }

    [Fact]
    public async Task ReadsTheCardFaceAndBasicInformationForVisualCheckInSixExchanges()
    {
        var (_, transport, reader) = TestCards.Reader();
        var result = await reader.ReadForVisualCheckAsync(KurokiCode, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        Assert.Equal(6, transport.Exchanges);
        var face = result.Face!;
        var image = TestCards.StandardImage();
        Assert.Equal(new DateOnly(1980, 2, 17), face.BirthDate);
        Assert.Equal(Sex.Male, face.Sex);
        Assert.Equal(new DateOnly(2035, 2, 17), face.CardExpiry);
        Assert.Equal(image.FacePhotoJpeg2000, face.FacePhotoJpeg2000);
        Assert.Equal([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A], face.FacePhotoJpeg2000[..12]);
        Assert.Equal(image.NamePng, face.NamePng);
        Assert.Equal(image.SecurityCodePng, face.SecurityCodePng);
        Assert.Equal("黒桐　幹也", result.BasicInfo!.Name);
        Assert.Equal("東京都清瀬市観布子南１２－７－２０２", result.BasicInfo.Address);
        Assert.Equal(new DateOnly(1980, 2, 17), result.BasicInfo.BirthDate);
        Assert.Equal(Sex.Male, result.BasicInfo.Sex);
    }

    [Fact]
    public async Task TheCardFaceSignatureVerifiesWithTheCardPublicKeyAndFailsWhenThePhotoChanges()
    {
        var (_, _, reader) = TestCards.Reader();
        var result = await reader.ReadForVisualCheckAsync(KurokiCode, TestContext.Current.CancellationToken);
        using var apKey = RSA.Create();
        apKey.ImportPkcs8PrivateKey(TestCards.StandardImage().ApPrivateKey, out _);
        Assert.True(result.Face!.VerifySignature(apKey));
        var tampered = (byte[])result.Face.RawRecord.Clone();
        var photoAt = tampered.AsSpan().IndexOf(result.Face.FacePhotoJpeg2000);
        tampered[photoAt + 40] ^= 0x01;
        Assert.False(Onshi.Card.Applications.CardRecordFormat.ParseCardFace(tampered).VerifySignature(apKey));
    }

    [Fact]
    public async Task StopsVisualCheckAtAWrongCheckCodeBAndSaysHowManyTriesAreLeft()
    {
        var (_, transport, reader) = TestCards.Reader();
        var wrong = CheckCodeB.Compose(new DateOnly(1980, 2, 18), 2035, "2285");
        var result = await reader.ReadForVisualCheckAsync(wrong, TestContext.Current.CancellationToken);
        Assert.False(result.Succeeded);
        Assert.Equal(PinVerificationOutcome.WrongPin, result.CheckCode.Outcome);
        Assert.Equal(9, result.CheckCode.TriesLeft);
        Assert.Null(result.Face);
        Assert.Equal(2, transport.Exchanges);
    }

    [Fact]
    public async Task ReadsTheMyNumberAndBasicInformationAfterTheTextPin()
    {
        var (_, _, reader) = TestCards.Reader();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await reader.Text.VerifyPinAsync("1234", ct)).IsVerified);
        Assert.Equal("123456789018", await reader.Text.ReadMyNumberAsync(ct));
        Assert.Equal("黒桐　幹也", (await reader.Text.ReadBasicFourInfoAsync(ct)).Name);
    }

    [Fact]
    public async Task RefusesTheMyNumberAfterOnlyCheckCodeB()
    {
        var (_, _, reader) = TestCards.Reader();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await reader.Text.VerifyCheckCodeBAsync(KurokiCode, ct)).IsVerified);
        var error = await Assert.ThrowsAsync<CardProtocolException>(() => reader.Text.ReadMyNumberAsync(ct));
        Assert.Equal(CardProtocolErrorKind.SecurityStatusNotSatisfied, error.Kind);
    }

    [Fact]
    public async Task FallsBackToShortReadsWhenTheReaderRefusesExtendedLength()
    {
        var card = TestCards.StandardCard();
        var transport = new Onshi.Card.Transport.CountingCardTransport(new ShortOnlyTransport(new Onshi.Card.Transport.InMemoryCardTransport(card)));
        var reader = new MyNumberCardReader(transport);
        var ct = TestContext.Current.CancellationToken;
        var result = await reader.ReadForVisualCheckAsync(KurokiCode, ct);
        Assert.True(result.Succeeded);
        Assert.False(reader.Session.UseExtendedLength);
        Assert.Equal(TestCards.StandardImage().FacePhotoJpeg2000, result.Face!.FacePhotoJpeg2000);
        var certificate = await reader.Jpki.ReadAuthenticationCertificateAsync(ct);
        Assert.Equal(TestCards.StandardImage().AuthCertificate, certificate);
    }

    [Fact]
    public async Task AFaceAuthenticationOnlyCardReportsItsPinBlockedButStillShowsItsFace()
    {
        var (_, _, reader) = TestCards.Reader(TestCards.FaceOnlyImage());
        var ct = TestContext.Current.CancellationToken;
        var identification = await reader.IdentifyWithPinAsync("1234", "c"u8.ToArray(), ct);
        Assert.Equal(PinVerificationOutcome.Blocked, identification.Pin.Outcome);
        Assert.True((await reader.ReadForVisualCheckAsync(KurokiCode, ct)).Succeeded);
    }

    /// <summary>A reader that answers 6700 to any extended-length APDU, as some contactless readers do.</summary>
    private sealed class ShortOnlyTransport(Onshi.Card.Transport.ICardTransport inner) : Onshi.Card.Transport.ICardTransport
    {
        public string ReaderName => inner.ReaderName;

        public ValueTask<byte[]> TransmitAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken = default)
        {
            var command = CommandApdu.Parse(commandApdu.Span);
            return command.IsExtended ? ValueTask.FromResult<byte[]>([0x67, 0x00]) : inner.TransmitAsync(commandApdu, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
