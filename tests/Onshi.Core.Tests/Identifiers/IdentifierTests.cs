using CsCheck;
using Onshi.Core.Identifiers;

namespace Onshi.Core.Tests.Identifiers;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("0110113719")]
    [InlineData("2714206386")]
    public void AcceptsPublishedMedicalInstitutionCodes(string code)
    {
        var result = MedicalInstitutionCode.Parse(code);
        Assert.True(result.IsValid, result.Error?.Message);
        Assert.Equal(code, result.Value!.Value.Value);
    }

    [Fact]
    public void SplitsMedicalInstitutionCodeIntoItsParts()
    {
        var code = MedicalInstitutionCode.Parse("2714206386").Value!.Value;
        Assert.Equal("27", code.Prefecture);
        Assert.Equal(ScoreTable.Medical, code.ScoreTable);
        Assert.Equal("42", code.District);
        Assert.Equal("0638", code.InstitutionNumber);
        Assert.Equal("27 1 42 0638 6", code.ToDisplayString());
    }

    [Theory]
    [InlineData("6540212424", IdentifierErrorCode.CheckDigitMismatch, 10)]
    [InlineData("3110215454", IdentifierErrorCode.CheckDigitMismatch, 10)]
    [InlineData("011011371", IdentifierErrorCode.WrongLength, null)]
    [InlineData("01101137190", IdentifierErrorCode.WrongLength, null)]
    [InlineData("01101A3719", IdentifierErrorCode.NotDigits, 6)]
    [InlineData("０110113719", IdentifierErrorCode.NotDigits, 1)]
    [InlineData("", IdentifierErrorCode.Empty, null)]
    [InlineData(null, IdentifierErrorCode.Empty, null)]
    public void RefusesMalformedMedicalInstitutionCodesNamingTheRule(string? code, IdentifierErrorCode expected, int? position)
    {
        var result = MedicalInstitutionCode.Parse(code);
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Error!.Code);
        Assert.Equal(position, result.Error.Position);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    [Fact]
    public void RefusesMedicalInstitutionCodeWithUnknownPrefecture()
    {
        var code = MedicalInstitutionCode.Parse(Complete("481011371"));
        Assert.Equal(IdentifierErrorCode.UnknownPrefecture, code.Error!.Code);
        Assert.Equal("identifier.unknown_prefecture", code.Error.MachineCode);
    }

    [Fact]
    public void RefusesMedicalInstitutionCodeWithUnknownScoreTable()
    {
        var code = MedicalInstitutionCode.Parse(Complete("132011371"));
        Assert.Equal(IdentifierErrorCode.UnknownScoreTable, code.Error!.Code);
        Assert.Equal(3, code.Error.Position);
    }

    [Theory]
    [InlineData("33120015")]
    [InlineData("01130012")]
    public void AcceptsPublishedInsurerNumbers(string number)
    {
        var result = InsurerNumber.Parse(number);
        Assert.True(result.IsValid, result.Error?.Message);
        Assert.False(result.Value!.Value.IsNationalHealthInsurance);
        Assert.Equal(number[..2], result.Value.Value.LawNumber);
    }

    [Fact]
    public void ChecksTheInsurerCheckDigitFromTheLastDigit()
    {
        Assert.Equal(5, CheckDigit.ComputeModulus10Weight21("3312001"));
        Assert.Equal(IdentifierErrorCode.CheckDigitMismatch, InsurerNumber.Parse("33120016").Error!.Code);
    }

    [Fact]
    public void AcceptsSixDigitNationalHealthInsuranceNumberPlainOrPaddedToEight()
    {
        var plain = InsurerNumber.FromBody("13805");
        Assert.True(plain.IsNationalHealthInsurance);
        Assert.Null(plain.LawNumber);
        var padded = InsurerNumber.Parse("  " + plain.Value);
        Assert.True(padded.IsValid);
        Assert.Equal(plain.Value, padded.Value!.Value.Value);
        Assert.Equal("  " + plain.Value, plain.ToPaddedString());
    }

    [Theory]
    [InlineData("1234567")]
    [InlineData("123456789")]
    [InlineData("12345")]
    public void RefusesInsurerNumbersOfOtherLengths(string number)
    {
        Assert.Equal(IdentifierErrorCode.WrongLength, InsurerNumber.Parse(number).Error!.Code);
    }

    [Fact]
    public void AcceptsPublishedPublicExpenseBearerNumber()
    {
        var result = PublicExpenseBearerNumber.Parse("54016027");
        Assert.True(result.IsValid, result.Error?.Message);
        Assert.Equal("54", result.Value!.Value.LawNumber);
        Assert.Equal(IdentifierErrorCode.CheckDigitMismatch, PublicExpenseBearerNumber.Parse("54016028").Error!.Code);
    }

    [Fact]
    public void EveryBodyCompletedWithItsCheckDigitParsesAndAnyOtherLastDigitFails()
    {
        Gen.Select(Gen.Int[1, 47], Gen.Int[0, 999]).Sample((prefecture, n) =>
        {
            var body = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"06{prefecture:D2}{n:D3}");
            var valid = InsurerNumber.FromBody(body);
            Assert.True(InsurerNumber.Parse(valid.Value).IsValid);
            var wrongDigit = (char)('0' + (((valid.Value[^1] - '0') + 1 + (n % 9)) % 10));
            Assert.Equal(IdentifierErrorCode.CheckDigitMismatch, InsurerNumber.Parse(valid.Value[..^1] + wrongDigit).Error!.Code);
        }, iter: 2000);
    }

    [Fact]
    public void ParsingArbitraryTextNeverThrows()
    {
        Gen.String.Sample(text =>
        {
            _ = MedicalInstitutionCode.Parse(text);
            _ = InsurerNumber.Parse(text);
            _ = PublicExpenseBearerNumber.Parse(text);
        }, iter: 5000);
    }

    private static string Complete(string body) =>
        body + CheckDigit.ComputeModulus10Weight21(body).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
