using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Onshi.Card.Tests.Virtual;

/// <summary>Raw APDUs in, exact status words out — the card-protocol.md behaviour, byte for byte.</summary>
public sealed class VirtualCardConformanceTests
{
    private const string SelectJpki = "00A4040C0AD392F000260100000001";
    private const string SelectText = "00A4040C0AD3921000310001010408";
    private const string SelectVisual = "00A4040C0AD3921000310001010402";
    private const string SelectCommon = "00A4040C0AD3921000310001010100";
    private const string VerifyAuthPin1234 = "0020009804" + "31323334";
    private const string VerifyAuthPin9999 = "0020009804" + "39393939";
    private const string AuthPinTries = "00200098";
    private static readonly string SignDigestInfoBySfi =
        "802A009733" + "3031300D060960864801650304020105000420" + Convert.ToHexString(SHA256.HashData("challenge"u8)) + "00";

    [Fact]
    public void AnswersWithTheRealContactAtr()
    {
        Assert.Equal("3BE000FF8131FE4514", Convert.ToHexString(TestCards.StandardCard().Atr.Span));
    }

    [Theory]
    [InlineData(SelectJpki)]
    [InlineData(SelectText)]
    [InlineData(SelectVisual)]
    [InlineData(SelectCommon)]
    [InlineData("00A4040C07A0000001510000")]
    public void SelectsEveryApplicationByItsDfName(string select)
    {
        Assert.Equal("9000", TestCards.StandardCard().Send(select));
    }

    [Fact]
    public void SelectsAnApplicationByALeadingPartOfItsName()
    {
        Assert.Equal("9000", TestCards.StandardCard().Sw("00A4040C05D392F00026"));
    }

    [Fact]
    public void AnswersFileNotFoundForAnUnknownApplication()
    {
        Assert.Equal("6A82", TestCards.StandardCard().Sw("00A4040C0AD392F000260100000099"));
    }

    [Fact]
    public void RefusesSelectingTheMfAtPowerOnButAcceptsItInsideAnApplication()
    {
        var card = TestCards.StandardCard();
        Assert.Equal("6A86", card.Sw("00A40000"));
        Assert.Equal("9000", card.Sw(SelectJpki));
        Assert.Equal("9000", card.Sw("00A40000"));
        Assert.Equal("6A82", card.Sw("00A4000C023F00"));
        // Still inside JPKI: its token EF is readable by SFI.
        Assert.Equal("9000", card.Sw("00B0860020"));
    }

    [Fact]
    public void SelectsEfsOfTheCurrentApplicationAndNotUnknownOnes()
    {
        var card = TestCards.StandardCard();
        Assert.Equal("6A82", card.Sw("00A4020C020006"));
        card.Send(SelectJpki);
        Assert.Equal("9000", card.Sw("00A4020C020006"));
        Assert.Equal("6A82", card.Sw("00A4020C020099"));
        Assert.Equal("6700", card.Sw("00A4020C0100"));
        Assert.Equal("6A86", card.Sw("00A4080C020006"));
    }

    [Fact]
    public void ReadsTheTokenLabelOfAPhysicalCard()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        card.Send("00A4020C020006");
        var response = card.Send("00B0000020");
        Assert.Equal(Convert.ToHexString(Encoding.ASCII.GetBytes("JPKIAPICCTOKEN2".PadRight(32))) + "9000", response);
    }

    [Fact]
    public void ReturnsTheRemainderWhenLeRunsPastTheEndAndWrongOffsetAtTheEnd()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        var tail = card.Send("00B0869020"); // offset 0x90 of the 160-byte token EF, Le 32
        Assert.Equal((16 * 2) + 4, tail.Length);
        Assert.EndsWith("9000", tail, StringComparison.Ordinal);
        Assert.Equal("6B00", card.Sw("00B000A001"));
    }

    [Fact]
    public void ReadsAWholeCertificateEfWithOneExtendedReadBinary()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        var raw = card.Process(Convert.FromHexString("00B08A00000000"));
        Assert.Equal([0x90, 0x00], raw[^2..]);
        var certificate = X509CertificateLoader.LoadCertificate(raw[..^2].AsSpan(0, 4 + ((raw[2] << 8) | raw[3])));
        Assert.Equal(TestCards.StandardImage().AuthCertificate, certificate.RawData);
    }

    [Fact]
    public void ReadsTheAuthenticationCertificateWithoutAnyPin()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.StartsWith("3082", card.Send("00B08A0004"), StringComparison.Ordinal);
        // The SFI read made 000A current: continue by offset.
        Assert.EndsWith("9000", card.Send("00B0000410"), StringComparison.Ordinal);
    }

    [Fact]
    public void AnswersNoCurrentEfToAReadBinaryByOffsetRightAfterSelect()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("6986", card.Sw("00B0000010"));
    }

    [Fact]
    public void RefusesReadingAKeyEfAsBinary()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        card.Send("00A4020C020018");
        Assert.Equal("6981", card.Sw("00B0000001"));
        Assert.Equal("6981", card.Sw("00B0970001"));
    }

    [Fact]
    public void RefusesToSignWithTheAuthenticationKeyBeforeThePinIsVerified()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("6982", card.Sw(SignDigestInfoBySfi));
    }

    [Fact]
    public void CountsAuthenticationPinTriesDownToBlockedForGood()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("63C3", card.Sw(AuthPinTries));
        Assert.Equal("63C2", card.Sw(VerifyAuthPin9999));
        Assert.Equal("63C2", card.Sw(AuthPinTries));
        Assert.Equal("63C1", card.Sw(VerifyAuthPin9999));
        Assert.Equal("63C0", card.Sw(VerifyAuthPin9999));
        Assert.Equal("63C0", card.Sw(AuthPinTries));
        Assert.Equal("6984", card.Sw(VerifyAuthPin1234));
        card.Reset();
        card.Send(SelectJpki);
        Assert.Equal("6984", card.Sw(VerifyAuthPin1234));
        Assert.Equal("6982", card.Sw(SignDigestInfoBySfi));
    }

    [Fact]
    public void ResetsTheCounterOnACorrectPinAndReportsVerifiedOnTheEmptyQuery()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("63C2", card.Sw(VerifyAuthPin9999));
        Assert.Equal("9000", card.Sw(VerifyAuthPin1234));
        Assert.Equal("9000", card.Sw(AuthPinTries));
        card.Reset();
        card.Send(SelectJpki);
        Assert.Equal("63C3", card.Sw(AuthPinTries));
    }

    [Fact]
    public void VerifiesThroughASelectedKeyEfAsWellAsBySfi()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        card.Send("00A4020C020018");
        Assert.Equal("63C3", card.Sw("00200080"));
        Assert.Equal("9000", card.Sw("002000800431323334"));
        card.Send("00A4020C020017");
        var signature = card.Send("802A008033" + SignDigestInfoBySfi[10..]);
        Assert.Equal((256 * 2) + 4, signature.Length);
    }

    [Fact]
    public void SignsAfterThePinAndTheSignatureVerifiesAgainstTheCertificate()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        card.Send(VerifyAuthPin1234);
        var raw = card.Process(Convert.FromHexString(SignDigestInfoBySfi));
        Assert.Equal([0x90, 0x00], raw[^2..]);
        using var certificate = X509CertificateLoader.LoadCertificate(TestCards.StandardImage().AuthCertificate);
        using var key = certificate.GetRSAPublicKey()!;
        Assert.True(key.VerifyHash(SHA256.HashData("challenge"u8), raw[..^2], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void SignsAHashTheCardWrapsWhenP1Is02()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        card.Send(VerifyAuthPin1234);
        var hash = SHA256.HashData("x"u8);
        var raw = card.Process(Convert.FromHexString("802A029720" + Convert.ToHexString(hash) + "00"));
        using var certificate = X509CertificateLoader.LoadCertificate(TestCards.StandardImage().AuthCertificate);
        Assert.True(certificate.GetRSAPublicKey()!.VerifyHash(hash, raw[..^2], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal("6A86", card.Sw("802A079720" + Convert.ToHexString(hash) + "00"));
        Assert.Equal("6700", card.Sw("802A0097F6" + new string('0', 246 * 2) + "00"));
    }

    [Fact]
    public void DropsSecurityStateWhenAnotherApplicationIsSelected()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("9000", card.Sw(VerifyAuthPin1234));
        card.Send(SelectText);
        card.Send(SelectJpki);
        Assert.Equal("6982", card.Sw(SignDigestInfoBySfi));
    }

    [Fact]
    public void DropsSecurityStateOnReset()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        card.Send(VerifyAuthPin1234);
        card.Reset();
        Assert.Equal("6A82", card.Sw("00B0860020"));
        card.Send(SelectJpki);
        Assert.Equal("6982", card.Sw(SignDigestInfoBySfi));
    }

    [Fact]
    public void OpensTheTextApplicationFilesOnlyWithTheirKeys()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectText);
        Assert.Equal("6982", card.Sw("00B0810011"));
        Assert.Equal("6982", card.Sw("00B0820000"));
        Assert.Equal("9000", card.Sw("002000950E" + Convert.ToHexString(Encoding.ASCII.GetBytes(TestCards.KurokiCheckCodeB))));
        Assert.Equal("9000", card.Sw("00B0820000"));
        Assert.Equal("9000", card.Sw("00B0830000"));
        Assert.Equal("6982", card.Sw("00B0810011"));
        Assert.Equal("9000", card.Sw("002000910431323334"));
        Assert.Equal("FF100C" + Convert.ToHexString("123456789018"u8) + "FFFF9000", card.Send("00B0810011"));
    }

    [Fact]
    public void OpensTheMyNumberWithCheckCodeAButNotTheBasicInformation()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectText);
        Assert.Equal("9000", card.Sw("002000940C" + Convert.ToHexString("123456789018"u8)));
        Assert.Equal("9000", card.Sw("00B0810011"));
        Assert.Equal("6982", card.Sw("00B0820000"));
    }

    [Fact]
    public void KeepsTheTextApplicationsSpareKeyBlockedFromIssue()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectText);
        Assert.Equal("63C0", card.Sw("00200092"));
        Assert.Equal("6984", card.Sw("002000920431323334"));
    }

    [Fact]
    public void CountsTextPinTriesFromThree()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectText);
        Assert.Equal("63C3", card.Sw("00200091"));
        Assert.Equal("63C2", card.Sw("002000910430303030"));
        Assert.Equal("63C1", card.Sw("002000910430303030"));
        Assert.Equal("63C0", card.Sw("002000910430303030"));
        Assert.Equal("6984", card.Sw("002000910431323334"));
        // 照合番号B still opens 基本4情報.
        Assert.Equal("9000", card.Sw("002000950E" + Convert.ToHexString(Encoding.ASCII.GetBytes(TestCards.KurokiCheckCodeB))));
    }

    [Fact]
    public void OpensTheCardFaceWithCheckCodeBAndCountsItsTriesFromTen()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectVisual);
        Assert.Equal("6982", card.Sw("00B0820000"));
        Assert.Equal("63CA", card.Sw("00200092"));
        Assert.Equal("63C9", card.Sw("002000920E" + Convert.ToHexString("00000000000000"u8)));
        Assert.Equal("9000", card.Sw("002000920E" + Convert.ToHexString(Encoding.ASCII.GetBytes(TestCards.KurokiCheckCodeB))));
        Assert.Equal("63CA", card.Sw("00200093"));
        var face = card.Send("00B08200000000");
        Assert.StartsWith("FF2082", face, StringComparison.Ordinal);
        Assert.EndsWith("9000", face, StringComparison.Ordinal);
        Assert.Equal("6982", card.Sw("00B0850000"));
        Assert.Equal("6982", card.Sw("00B0810000"));
    }

    [Fact]
    public void OpensTheAgeRecordWithTheJapaneseEraBirthDateKey()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectVisual);
        Assert.Equal("9000", card.Sw("0020009106" + Convert.ToHexString("550217"u8)));
        var record = card.Send("00B0810000");
        Assert.StartsWith("FF1082021EDF1108" + Convert.ToHexString("19800217"u8), record, StringComparison.Ordinal);
    }

    [Fact]
    public void OpensTheMyNumberImageOnlyWithCheckCodeA()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectVisual);
        Assert.Equal("9000", card.Sw("002000930C" + Convert.ToHexString("123456789018"u8)));
        Assert.Equal("9000", card.Sw("00B0850000"));
        Assert.Equal("9000", card.Sw("00B0820000"));
    }

    [Fact]
    public void ReadsTheCommonApplicationCardRecordBySfi()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectCommon);
        var image = TestCards.StandardImage();
        var expected = "011C" + Convert.ToHexString(Encoding.ASCII.GetBytes(image.CardSerial + "13221" + "20350217")) + "9000";
        Assert.Equal(expected, card.Send("00B2010C00"));
        Assert.Equal("6A83", card.Sw("00B2020C00"));
        card.Send("00A4020C020001");
        Assert.Equal(expected, card.Send("00B2010400"));
    }

    [Fact]
    public void AnswersGetDataAtTheMfLevelOnly()
    {
        var card = TestCards.StandardCard();
        Assert.Equal("E000FF8131FE45149000", card.Send("00CA5F5100"));
        Assert.Equal("6A88", card.Sw("00CA00FF00"));
        Assert.Equal(Convert.ToHexString("20350217"u8) + "9000", card.Send("00CA00F200"));
        card.Send(SelectJpki);
        Assert.Equal("6A88", card.Sw("00CA5F5100"));
    }

    [Fact]
    public void AnswersGetChallengeWithTheRequestedNumberOfBytes()
    {
        var card = TestCards.StandardCard();
        Assert.Equal((8 * 2) + 4, card.Send("0084000008").Length);
        Assert.Equal("6A86", card.Sw("0084010008"));
    }

    [Theory]
    [InlineData("01A4040C0AD392F000260100000001", "6881")]
    [InlineData("0CA4040C0AD392F000260100000001", "6882")]
    [InlineData("0CB0860020", "69FC")]
    [InlineData("A0A4040C0AD392F000260100000001", "6E00")]
    [InlineData("80B0860020", "6E00")]
    [InlineData("002A009700", "6E00")]
    [InlineData("00FF000000", "6D00")]
    [InlineData("00A4040C05D392", "6700")]
    [InlineData("00B0", "6700")]
    [InlineData("0020010080", "6A86")]
    public void AnswersMalformedOrUnsupportedCommandsWithTheIsoStatusWord(string apdu, string sw)
    {
        Assert.Equal(sw, TestCards.StandardCard().Sw(apdu));
    }

    [Fact]
    public void RefusesAnSfiReadBinaryWithReservedBitsAndAnUnknownSfi()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("6A86", card.Sw("00B0A60020"));
        Assert.Equal("6A82", card.Sw("00B09E0020"));
        Assert.Equal("6A88", card.Sw("0020009E"));
    }

    [Fact]
    public void ChangesThePinOnlyAfterVerifyingTheOldOne()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("6982", card.Sw("002401980435363738"));
        card.Send(VerifyAuthPin1234);
        Assert.Equal("6A80", card.Sw("0024019803353637"));
        Assert.Equal("9000", card.Sw("002401980435363738"));
        card.Reset();
        card.Send(SelectJpki);
        Assert.Equal("63C2", card.Sw(VerifyAuthPin1234));
        Assert.Equal("9000", card.Sw("002000980435363738"));
    }

    [Fact]
    public void TreatsAFaceAuthenticationOnlyCardsPinsAsBlockedButOpensItsFaceWithCheckCodeB()
    {
        var card = new Onshi.Card.Virtual.VirtualMyNumberCard(TestCards.FaceOnlyImage());
        card.Send(SelectJpki);
        Assert.Equal("63C0", card.Sw(AuthPinTries));
        Assert.Equal("6984", card.Sw(VerifyAuthPin1234));
        Assert.Equal("6982", card.Sw(SignDigestInfoBySfi));
        Assert.StartsWith("3082", card.Send("00B08A0004"), StringComparison.Ordinal);
        Assert.Equal("00", card.Send("00B0880003")[..2]);
        card.Send(SelectText);
        Assert.Equal("63C0", card.Sw("00200091"));
        Assert.Equal("9000", card.Sw("002000950E" + Convert.ToHexString(Encoding.ASCII.GetBytes(TestCards.KurokiCheckCodeB))));
        card.Send(SelectVisual);
        Assert.Equal("9000", card.Sw("002000920E" + Convert.ToHexString(Encoding.ASCII.GetBytes(TestCards.KurokiCheckCodeB))));
    }

    [Fact]
    public void ReportsBothCertificatesPresentOnAnAdultsStandardCard()
    {
        var card = TestCards.StandardCard();
        card.Send(SelectJpki);
        Assert.Equal("8F8F009000", card.Send("00B0880003"));
        Assert.Equal("6982", card.Sw("00B0810004"));
        Assert.Equal("9000", card.Sw("00B0820004"));
    }
}
