using CsCheck;
using Onshi.Card.Apdu;

namespace Onshi.Card.Tests.Apdu;

public sealed class ApduTests
{
    [Theory]
    [InlineData(0, 0, false, "00B08A00")]
    [InlineData(0, 4, false, "00B08A0004")]
    [InlineData(0, 256, false, "00B08A0000")]
    [InlineData(0, 65536, false, "00B08A00000000")]
    [InlineData(0, 1000, false, "00B08A000003E8")]
    [InlineData(2, 0, false, "00B08A00020102")]
    [InlineData(2, 256, false, "00B08A0002010200")]
    [InlineData(2, 257, false, "00B08A0000000201020101")]
    [InlineData(2, 0, true, "00B08A00000002" + "0102")]
    public void EncodesAllFourCasesInShortAndExtendedForm(int dataLength, int ne, bool extended, string expected)
    {
        var data = Enumerable.Range(1, dataLength).Select(i => (byte)i).ToArray();
        var command = new CommandApdu(0x00, 0xB0, 0x8A, 0x00, data, ne, extended);
        Assert.Equal(expected, Convert.ToHexString(command.Encode()));
    }

    [Fact]
    public void DecodesWhatItEncodes()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 65536], Gen.Bool).Sample((data, ne, extended) =>
        {
            var command = new CommandApdu(0x80, 0x2A, 0x00, 0x97, data, ne, extended);
            var decoded = CommandApdu.Parse(command.Encode());
            Assert.True(decoded.Data.Span.SequenceEqual(data));
            Assert.Equal(ne, decoded.Ne);
            Assert.Equal(command.Case, decoded.Case);
        }, iter: 500);
    }

    [Fact]
    public void AResponseSplitsBackIntoTheDataAndStatusWordItWasEncodedFrom() =>
        Gen.Select(Gen.Byte.Array[0, 600], Gen.UShort).Sample((data, sw) =>
        {
            var response = ResponseApdu.Parse(ResponseApdu.Encode(data, new StatusWord(sw)));
            Assert.True(response.Data.Span.SequenceEqual(data));
            Assert.Equal(sw, response.StatusWord.Value);
        }, iter: 500);

    [Fact]
    public void AnyResponseBytesAreAResponseOrATypedTruncation() =>
        Gen.Byte.Array[0, 8].Sample(bytes =>
        {
            try
            {
                var response = ResponseApdu.Parse(bytes);
                Assert.Equal(bytes.Length - 2, response.Data.Length);
                Assert.Equal((bytes[^2] << 8) | bytes[^1], response.StatusWord.Value);
            }
            catch (CardProtocolException error)
            {
                Assert.Equal(CardProtocolErrorKind.Truncated, error.Kind);
                Assert.True(bytes.Length < 2);
            }
        }, iter: 1000);

    [Theory]
    [InlineData("00B0")]
    [InlineData("00A4040C05D392")]
    [InlineData("00A4040C0000")]
    [InlineData("00B000000000020102FF")]
    public void RefusesInconsistentLengthsWithATypedError(string hex)
    {
        var error = Assert.Throws<CardProtocolException>(() => CommandApdu.Parse(Convert.FromHexString(hex)));
        Assert.Equal(CardProtocolErrorKind.MalformedCommand, error.Kind);
    }

    [Fact]
    public void ParsingRandomBytesNeverThrowsAnythingElse()
    {
        Gen.Byte.Array[0, 20].Sample(bytes =>
        {
            try
            {
                CommandApdu.Parse(bytes);
            }
            catch (CardProtocolException)
            {
            }
        }, iter: 5000);
    }

    [Fact]
    public void NamesStatusWordsAndReadsTriesLeft()
    {
        Assert.Equal(0x6982, StatusWord.SecurityStatusNotSatisfied.Value);
        Assert.Equal(0x6984, StatusWord.AuthenticationMethodBlocked.Value);
        Assert.Equal(0x6A82, StatusWord.FileNotFound.Value);
        Assert.Equal(0x6A86, StatusWord.IncorrectP1P2.Value);
        Assert.Equal(0x6B00, StatusWord.WrongOffset.Value);
        Assert.Equal(0x6D00, StatusWord.InsNotSupported.Value);
        Assert.Equal(0x6E00, StatusWord.ClaNotSupported.Value);
        Assert.Equal("6982 SecurityStatusNotSatisfied", StatusWord.SecurityStatusNotSatisfied.ToString());
        var twoLeft = new StatusWord(0x63, 0xC2);
        Assert.True(twoLeft.IsVerificationFailed);
        Assert.Equal(2, twoLeft.TriesLeft);
        Assert.Equal(twoLeft, StatusWord.VerificationFailed(2));
        Assert.Null(StatusWord.Success.TriesLeft);
        Assert.Equal("63C2 VerificationFailed(2 tries left)", twoLeft.ToString());
    }
}
