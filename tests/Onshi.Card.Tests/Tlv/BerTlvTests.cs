using CsCheck;
using Onshi.Card.Apdu;
using Onshi.Card.Applications;
using Onshi.Card.Tlv;

namespace Onshi.Card.Tests.Tlv;

public sealed class BerTlvTests
{
    [Fact]
    public void ReadsTheCardsNonMinimalLongFormTagAsFf10()
    {
        var data = Convert.FromHexString("FF100C" + Convert.ToHexString("123456789018"u8) + "FFFF");
        var items = BerTlvReader.ReadAll(data);
        var item = Assert.Single(items);
        Assert.Equal(0xFF10u, item.Tag);
        Assert.True(item.IsConstructed);
        Assert.Equal(12, item.Value.Length);
        Assert.Equal("123456789018", CardRecordFormat.ParseMyNumber(data));
    }

    [Fact]
    public void ReadsEightyTwoLengthsAndTwoByteTags()
    {
        var value = new byte[0x109];
        var encoded = BerTlv.Encode(0xDF24, value);
        Assert.Equal("DF24820109", Convert.ToHexString(encoded.AsSpan(0, 5)));
        var tlv = BerTlv.Read(encoded, 0);
        Assert.Equal(0xDF24u, tlv.Tag);
        Assert.Equal(0x109, tlv.Value.Length);
        Assert.Equal(5, tlv.HeaderLength);
        Assert.False(tlv.IsConstructed);
    }

    [Fact]
    public void ParsesTheRealTestCardBasicInformationBytes()
    {
        // soltia48 test-card dump quoted in card-protocol.md §5.1; the address is rebuilt from its text.
        var address = System.Text.Encoding.UTF8.GetBytes("東京都清瀬市観布子南１２－７－２０２");
        Assert.Equal(54, address.Length);
        var hex = "FF2065DF2108000E002000590064DF220FE9BB92E6A190E38080E5B9B9E4B99FDF2336" + Convert.ToHexString(address)
            + "DF24083139383030323137DF250131";
        var info = CardRecordFormat.ParseBasicFourInfo(Convert.FromHexString(hex));
        Assert.Equal("黒桐　幹也", info.Name);
        Assert.Equal(new DateOnly(1980, 2, 17), info.BirthDate);
        Assert.Equal(Sex.Male, info.Sex);
        Assert.Equal(hex, Convert.ToHexString(CardRecordFormat.BuildBasicFourInfo(info)));
    }

    [Theory]
    [InlineData("DF", "tag runs past the end")]
    [InlineData("DF21", "missing length")]
    [InlineData("DF2180", "indefinite")]
    [InlineData("DF2105AABB", "runs past the end")]
    [InlineData("DF2182", "length runs past the end")]
    [InlineData("DF2184FFFFFFFF", "too large")]
    [InlineData("1F8181818101", "longer than 4 bytes")]
    public void RefusesMalformedTlvsWithATypedErrorSayingWhy(string hex, string why)
    {
        var error = Assert.Throws<CardProtocolException>(() => BerTlv.Read(Convert.FromHexString(hex), 0));
        Assert.Equal(CardProtocolErrorKind.MalformedTlv, error.Kind);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StopsAtFillerBytes()
    {
        Assert.Single(BerTlvReader.ReadAll(Convert.FromHexString("DF2101AA0000FFFF")));
        Assert.Single(BerTlvReader.ReadAll(Convert.FromHexString("DF2101AAFFFF")));
    }

    [Fact]
    public void RoundTripsAnyTagAndValue()
    {
        Gen.Select(Gen.OneOfConst(0x90u, 0x5F4Eu, 0xDF21u, 0xFF20u, 0x7F21u), Gen.Byte.Array[0, 70000]).Sample((tag, value) =>
        {
            var tlv = BerTlv.Read(BerTlv.Encode(tag, value), 0);
            Assert.Equal(tag, tlv.Tag);
            Assert.True(tlv.Value.Span.SequenceEqual(value));
        }, iter: 200);
    }

    [Fact]
    public void HostileBytesNeverThrowAnythingButTheTypedError()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            foreach (var parse in new Action[]
            {
                () => BerTlvReader.ReadAll(bytes),
                () => CardRecordFormat.ParseBasicFourInfo(bytes),
                () => CardRecordFormat.ParseCardFace(bytes),
                () => CardRecordFormat.ParseMyNumber(bytes),
                () => JpkiTokenInfo.Parse(bytes),
            })
            {
                try
                {
                    parse();
                }
                catch (CardProtocolException)
                {
                }
            }
        }, iter: 5000);
    }

    [Fact]
    public void HostileBytesBehindAPlausibleHeaderNeverThrowAnythingButTheTypedError()
    {
        Gen.Select(Gen.OneOfConst<byte[]>([0xFF, 0x20], [0xFF, 0x20, 0x82], [0xFF, 0x10], [0xDF, 0x21]), Gen.Byte.Array[0, 64]).Sample((head, tail) =>
        {
            byte[] bytes = [.. head, .. tail];
            try
            {
                CardRecordFormat.ParseCardFace(bytes);
            }
            catch (CardProtocolException)
            {
            }

            try
            {
                CardRecordFormat.ParseBasicFourInfo(bytes);
            }
            catch (CardProtocolException)
            {
            }
        }, iter: 5000);
    }
}
