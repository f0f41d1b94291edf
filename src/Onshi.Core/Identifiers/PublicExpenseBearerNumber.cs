using System.Globalization;

namespace Onshi.Core.Identifiers;

/// <summary>
/// 公費負担者番号: 8 digits (法別番号 2 + 都道府県番号 2 + 実施機関番号 3 + 検証番号 1),
/// e.g. 12 生活保護, 15 更生医療, 21 精神通院, 54 難病.
/// </summary>
public readonly record struct PublicExpenseBearerNumber
{
    private const string Name = "公費負担者番号";

    private PublicExpenseBearerNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>法別番号: which law pays.</summary>
    public string LawNumber => Value[..2];

    public static ParseResult<PublicExpenseBearerNumber> Parse(string? text)
    {
        var error = CheckDigit.Validate(text, 8, Name) ?? CheckDigit.ValidatePrefecture(text!, 2, Name);
        return error is null
            ? ParseResult.Ok<PublicExpenseBearerNumber>(new PublicExpenseBearerNumber(text!))
            : ParseResult.Fail<PublicExpenseBearerNumber>(error);
    }

    public static PublicExpenseBearerNumber FromBody(string sevenDigits)
    {
        var parsed = Parse(sevenDigits + CheckDigit.ComputeModulus10Weight21(sevenDigits).ToString(CultureInfo.InvariantCulture));
        return parsed.Value ?? throw new ArgumentException(parsed.Error!.Message, nameof(sevenDigits));
    }

    public override string ToString() => Value;
}
