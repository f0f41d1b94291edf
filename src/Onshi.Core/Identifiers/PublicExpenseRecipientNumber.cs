using System.Globalization;

namespace Onshi.Core.Identifiers;

/// <summary>
/// 公費負担医療の受給者番号: 7 digits (受給者区分 6 + 検証番号 1). The structure is published (oqs-system.md S-64); that
/// the check digit uses the same modulus-10 weights 2-1 rule as the 公費負担者番号 is inferred [I], so an import refuses
/// a number whose 7th digit does not match it.
/// </summary>
public readonly record struct PublicExpenseRecipientNumber
{
    private const string Name = "受給者番号";

    private PublicExpenseRecipientNumber(string value) => Value = value;

    public string Value { get; }

    public static ParseResult<PublicExpenseRecipientNumber> Parse(string? text)
    {
        var error = CheckDigit.Validate(text, 7, Name);
        return error is null
            ? ParseResult.Ok<PublicExpenseRecipientNumber>(new PublicExpenseRecipientNumber(text!))
            : ParseResult.Fail<PublicExpenseRecipientNumber>(error);
    }

    public static PublicExpenseRecipientNumber FromBody(string sixDigits)
    {
        var parsed = Parse(sixDigits + CheckDigit.ComputeModulus10Weight21(sixDigits).ToString(CultureInfo.InvariantCulture));
        return parsed.Value ?? throw new ArgumentException(parsed.Error!.Message, nameof(sixDigits));
    }

    public override string ToString() => Value;
}
