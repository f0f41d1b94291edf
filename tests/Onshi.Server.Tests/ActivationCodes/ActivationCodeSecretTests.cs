using Onshi.Server.ActivationCodes;

namespace Onshi.Server.Tests.ActivationCodes;

public sealed class ActivationCodeSecretTests
{
    [Fact]
    public void GeneratedCodesAreFourGroupsOfFourFromTheCrockfordAlphabet()
    {
        for (var i = 0; i < 200; i++)
        {
            var code = ActivationCodeSecret.Generate();
            Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", code);
        }
    }

    [Fact]
    public void TheAlphabetHasThirtyTwoSymbolsWithoutLookAlikes()
    {
        Assert.Equal(32, ActivationCodeSecret.Alphabet.Distinct().Count());
        Assert.DoesNotContain('I', ActivationCodeSecret.Alphabet);
        Assert.DoesNotContain('L', ActivationCodeSecret.Alphabet);
        Assert.DoesNotContain('O', ActivationCodeSecret.Alphabet);
        Assert.DoesNotContain('U', ActivationCodeSecret.Alphabet);

        // 16 symbols × log2(32) = 80 bits.
        Assert.Equal(80, ActivationCodeSecret.Symbols * Math.Log2(ActivationCodeSecret.Alphabet.Length));
    }

    [Fact]
    public void EverySymbolAppearsInEveryPositionAcrossManyCodes()
    {
        // A biased encoder (e.g. a lost bit) would leave some symbol out of some position.
        var seen = new HashSet<(int, char)>();
        for (var i = 0; i < 3000; i++)
        {
            var symbols = ActivationCodeSecret.Generate().Replace("-", "", StringComparison.Ordinal);
            for (var p = 0; p < symbols.Length; p++)
            {
                seen.Add((p, symbols[p]));
            }
        }

        Assert.Equal(16 * 32, seen.Count);
    }

    [Theory]
    [InlineData("abcd-efgh-jkmn-pqrs", "ABCDEFGHJKMNPQRS")]
    [InlineData("ABCD EFGH JKMN PQRS", "ABCDEFGHJKMNPQRS")]
    [InlineData("ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ－ＰＱＲＳ", "ABCDEFGHJKMNPQRS")]
    [InlineData("O1IL-0000-0000-0000", "0111000000000000")]
    public void ReadingForgivesCaseSeparatorsWidthAndLookAlikes(string typed, string canonical) =>
        Assert.Equal(canonical, ActivationCodeSecret.Normalize(typed));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABCD-EFGH-JKMN")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-T")]
    [InlineData("ABCD-EFGH-JKMN-PQRU")]
    [InlineData("ABCD_EFGH_JKMN_PQRS")]
    public void MalformedTextIsNotACode(string? typed) => Assert.Null(ActivationCodeSecret.Normalize(typed));

    [Fact]
    public void TheHashDependsOnEverySymbol() =>
        Assert.NotEqual(ActivationCodeSecret.Hash("0000000000000000"), ActivationCodeSecret.Hash("0000000000000001"));
}
