using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Issuing;
using Onshi.Card.Virtual;

namespace Onshi.Card.Tests.Issuing;

public sealed class CardIssuerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "onshi-issuer-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void IssuesAnAuthenticationCertificateWithoutPersonalDataValidToTheFifthBirthday()
    {
        var image = TestCards.StandardImage();
        using var certificate = X509CertificateLoader.LoadCertificate(image.AuthCertificate);
        Assert.Matches("^C=JP, CN=[0-9A-Z]{14}13221003A$", certificate.Subject);
        Assert.Equal(new DateTime(2031, 2, 17, 14, 59, 59, DateTimeKind.Utc), certificate.NotAfter.ToUniversalTime());
        Assert.Contains("OU=JPKI for user authentication", certificate.Issuer, StringComparison.Ordinal);
        Assert.Contains("O=JPKI-TEST", certificate.Issuer, StringComparison.Ordinal);
        Assert.Equal("RSA", certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? "RSA" : certificate.GetKeyAlgorithm());
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal(CardKind.Standard, image.Kind);
        Assert.NotNull(image.SignCertificate);
    }

    [Fact]
    public void SetsTheCardExpiryToTheTenthBirthdayForAdultsAndTheFifthForChildren()
    {
        Assert.Equal(new DateOnly(2036, 2, 17), CardIssuer.NthBirthdayAfter(new DateOnly(1980, 2, 17), new DateOnly(2026, 11, 25), 10));
        Assert.Equal(new DateOnly(2031, 3, 1), CardIssuer.NthBirthdayAfter(new DateOnly(2020, 3, 1), new DateOnly(2026, 3, 1), 5));
        Assert.Equal(new DateOnly(2031, 2, 28), CardIssuer.NthBirthdayAfter(new DateOnly(2020, 2, 29), new DateOnly(2026, 11, 25), 5));
        var child = CardIssuer.Issue(TestCards.Kuroki with { BirthDate = new DateOnly(2020, 3, 1), CardExpiry = null }, TestCards.Ca, TestCards.Time);
        Assert.Equal(new DateOnly(2031, 3, 1), child.CardExpiry);
        Assert.Null(child.SignCertificate);
        var card = new VirtualMyNumberCard(child);
        card.Send("00A4040C0AD392F000260100000001");
        Assert.Equal("008F009000", card.Send("00B0880003"));
    }

    [Fact]
    public void IssuesAnExpiredCertificateThatEndedTheDayBefore()
    {
        var image = CardIssuer.Issue(TestCards.Kuroki with { ExpiredCertificate = true }, TestCards.Ca, TestCards.Time);
        using var certificate = X509CertificateLoader.LoadCertificate(image.AuthCertificate);
        Assert.True(certificate.NotAfter.ToUniversalTime() < TestCards.IssueTime.UtcDateTime);
    }

    [Fact]
    public void PutsARevokedCertificateOnASignedCrlThatSurvivesSavingTheCa()
    {
        using var ca = TestCertificateAuthority.Create(TestCards.Time, withSignCa: false);
        var image = CardIssuer.Issue(TestCards.Kuroki with { RevokedCertificate = true }, ca, TestCards.Time);
        using var certificate = X509CertificateLoader.LoadCertificate(image.AuthCertificate);
        ca.Save(_directory, TestCards.Time);
        using var loaded = TestCertificateAuthority.Load(_directory);
        Assert.Single(loaded.RevokedAuthSerials);

        var crl = File.ReadAllBytes(Path.Combine(_directory, TestCertificateAuthority.AuthCrlFile));
        var builder = CertificateRevocationListBuilder.Load(crl, out var crlNumber);
        Assert.Equal(2, (int)crlNumber);
        Assert.True(builder.RemoveEntry(certificate.SerialNumberBytes.Span));

        // The CRL is signed by the auth CA's key.
        var reader = new AsnReader(crl, AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue().ToArray();
        reader.ReadSequence();
        var signature = reader.ReadBitString(out _);
        using var caKey = loaded.AuthCa.GetRSAPublicKey()!;
        Assert.True(caKey.VerifyData(tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        tbs[^1] ^= 1;
        Assert.False(caKey.VerifyData(tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void IssuesCardsForNamesOutsideJisX0208AndVeryLongNamesAndReadsThemBack()
    {
        var name = "𠮷野　髙橋𩸽子" + new string('あ', 60);
        var image = CardIssuer.Issue(TestCards.Kuroki with { Name = name, Address = "東京都" + new string('ー', 200) }, TestCards.Ca, TestCards.Time);
        var card = new VirtualMyNumberCard(image);
        card.Send("00A4040C0AD3921000310001010408");
        card.Send("002000910431323334");
        var raw = card.Process(Convert.FromHexString("00B08200000000"));
        var info = CardRecordFormat.ParseBasicFourInfo(raw.AsMemory(0, raw.Length - 2));
        Assert.Equal(name, info.Name);
        Assert.Equal(4, Encoding.UTF8.GetBytes("𠮷").Length);
    }

    [Fact]
    public void RecordsWhetherTheNameImageReallyShowsTheText()
    {
        var image = TestCards.StandardImage();
        var rendered = TextImageRenderer.Render("黒桐　幹也");
        Assert.Equal(rendered.Rendered, image.TextImagesRendered);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.NamePng[..4]);
        if (!rendered.Rendered)
        {
            Assert.Contains("placeholder", Encoding.Latin1.GetString(image.NamePng), StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("placeholder", Encoding.Latin1.GetString(image.NamePng), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DrawsTheSecurityCodeAsA24By12BlackAndWhitePng()
    {
        var png = DigitImage.Render("2285");
        Assert.Equal(24, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(12, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
        Assert.Equal(1, png[24]);
        Assert.NotEqual(DigitImage.Render("2286"), png);
    }

    [Fact]
    public void UsesTheCallersOwnPhoto()
    {
        byte[] photo = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, 1, 2, 3];
        var image = CardIssuer.Issue(TestCards.Kuroki with { FacePhotoJpeg2000 = photo }, TestCards.Ca, TestCards.Time);
        Assert.Equal(photo, image.FacePhotoJpeg2000);
        Assert.NotEqual(photo, CardIssuer.SyntheticFacePhoto());
    }

    [Fact]
    public void IssuesAFaceAuthenticationOnlyCardWithoutPinsOrSignatureCertificate()
    {
        var image = TestCards.FaceOnlyImage();
        Assert.Equal(CardKind.FaceAuthenticationOnly, image.Kind);
        Assert.Null(image.AuthPin);
        Assert.Null(image.TextPin);
        Assert.Null(image.SignCertificate);
        Assert.Equal(0, image.RetryCounters["jpki/0018"]);
    }

    [Fact]
    public void RefusesBadRequestsInJapanese()
    {
        var errors = CardIssuer.Validate(TestCards.Kuroki with { Name = " ", Pin = "12", MyNumber = "123456789012", BirthDate = new DateOnly(2030, 1, 1) }, TestCards.Time);
        Assert.Contains("氏名を入力してください。", errors);
        Assert.Contains("生年月日が未来の日付です。", errors);
        Assert.Contains(errors, e => e.Contains("暗証番号", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("個人番号", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheckCodeBOfAnIssuedCardIsTheOneComposedFromItsFace()
    {
        var image = TestCards.StandardImage();
        var code = CheckCodeB.Compose(image.BirthDate, image.CardExpiry.Year, image.SecurityCode);
        Assert.Equal(TestCards.KurokiCheckCodeB, code.Value);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
