using Onshi.Card.Credentials;

namespace Onshi.Card.Tests.Credentials;

public sealed class CredentialTests
{
    [Theory]
    [InlineData(1980, 2, 17, 2035, "2285", "55021720352285")]
    [InlineData(2020, 2, 24, 2030, "0001", "02022420300001")]
    [InlineData(1989, 1, 7, 2030, "1234", "64010720301234")]
    [InlineData(1989, 1, 8, 2030, "1234", "01010820301234")]
    [InlineData(2019, 4, 30, 2029, "9999", "31043020299999")]
    [InlineData(2019, 5, 1, 2029, "9999", "01050120299999")]
    [InlineData(1926, 12, 25, 2027, "0000", "01122520270000")]
    public void ComposesCheckCodeBWithTheJapaneseEraYearAcrossEraBoundaries(int y, int m, int d, int expiry, string code, string expected)
    {
        Assert.Equal(expected, CheckCodeB.Compose(new DateOnly(y, m, d), expiry, code).Value);
    }

    [Fact]
    public void ComposesCheckCodeBWithTheGregorianYearForForeignResidents()
    {
        Assert.Equal("80021720352285", CheckCodeB.Compose(new DateOnly(1980, 2, 17), 2035, "2285", gregorianBirthYear: true).Value);
    }

    [Theory]
    [InlineData("228", CredentialErrorCode.SecurityCodeWrongLength, "4桁")]
    [InlineData("22a5", CredentialErrorCode.SecurityCodeNotDigits, "半角数字")]
    [InlineData(null, CredentialErrorCode.SecurityCodeWrongLength, "セキュリティコード")]
    public void RefusesABadSecurityCodeInJapanese(string? code, CredentialErrorCode expected, string words)
    {
        Assert.False(CheckCodeB.TryCompose(new DateOnly(1980, 2, 17), 2035, code, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(expected, error!.Code);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAnImplausibleExpiryYearAndAPreMeijiBirthDate()
    {
        Assert.False(CheckCodeB.TryCompose(new DateOnly(1980, 2, 17), 35, "2285", out _, out var expiry));
        Assert.Equal("credential.expiry_year_out_of_range", expiry!.MachineCode);
        Assert.False(CheckCodeB.TryCompose(new DateOnly(1860, 1, 1), 2035, "2285", out _, out var old));
        Assert.Equal(CredentialErrorCode.BirthDateOutOfRange, old!.Code);
    }

    [Theory]
    [InlineData("55021720352285", true)]
    [InlineData("5502172035228", false)]
    [InlineData("550217203522８5", false)]
    public void ParsesAnAlreadyComposedCheckCodeB(string value, bool valid)
    {
        Assert.Equal(valid, CheckCodeB.TryParse(value, out _, out _));
    }

    [Theory]
    [InlineData("1234", null)]
    [InlineData("", CredentialErrorCode.Empty)]
    [InlineData("123", CredentialErrorCode.WrongLength)]
    [InlineData("12345", CredentialErrorCode.WrongLength)]
    [InlineData("12a4", CredentialErrorCode.NotDigits)]
    [InlineData("１２３４", CredentialErrorCode.NotDigits)]
    public void ValidatesTheFourDigitPinFormat(string pin, CredentialErrorCode? expected)
    {
        Assert.Equal(expected, CardPin.Validate(pin)?.Code);
    }

    [Theory]
    [InlineData("537686677188", true)]
    [InlineData("123456789018", true)]
    [InlineData("123456789012", false)]
    [InlineData("12345678901", false)]
    public void ChecksTheMyNumberCheckDigit(string value, bool valid)
    {
        Assert.Equal(valid, MyNumber.IsValid(value));
    }
}
