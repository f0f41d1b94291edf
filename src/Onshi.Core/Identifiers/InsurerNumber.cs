using System.Globalization;

namespace Onshi.Core.Identifiers;

/// <summary>
/// 保険者番号: 8 digits (法別番号 2 + 都道府県番号 2 + 保険者別番号 3 + 検証番号 1), or 6 digits for
/// 国民健康保険 (no 法別番号). The check digit rule is the same for both lengths.
/// </summary>
public readonly record struct InsurerNumber
{
    private const string Name = "保険者番号";

    private InsurerNumber(string value) => Value = value;

    /// <summary>The number without padding: 8 digits, or 6 for 国保.</summary>
    public string Value { get; }

    /// <summary>True for a 6-digit 国民健康保険 number.</summary>
    public bool IsNationalHealthInsurance => Value.Length == 6;

    /// <summary>法別番号, or null for 国保 (which has none).</summary>
    public string? LawNumber => IsNationalHealthInsurance ? null : Value[..2];

    /// <summary>
    /// Parses 8 digits, 6 digits, or 6 digits right-justified in 8 characters with leading spaces
    /// (the form the レセコン XML interface uses for 国保).
    /// </summary>
    public static ParseResult<InsurerNumber> Parse(string? text)
    {
        if (text is { Length: 8 } && text.StartsWith("  ", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return ParseResult.Fail<InsurerNumber>(new IdentifierError(IdentifierErrorCode.Empty, "保険者番号が入力されていません。"));
        }

        if (text.Length is not (6 or 8))
        {
            return ParseResult.Fail<InsurerNumber>(new IdentifierError(
                IdentifierErrorCode.WrongLength,
                string.Create(CultureInfo.InvariantCulture, $"保険者番号は半角数字8桁（国民健康保険は6桁）で入力してください（入力は{text.Length}文字）。")));
        }

        var error = CheckDigit.Validate(text, text.Length, Name)
            ?? CheckDigit.ValidatePrefecture(text, text.Length == 8 ? 2 : 0, Name);
        return error is null
            ? ParseResult.Ok<InsurerNumber>(new InsurerNumber(text))
            : ParseResult.Fail<InsurerNumber>(error);
    }

    /// <summary>Builds a valid number from its body (5 or 7 digits) by appending the check digit.</summary>
    public static InsurerNumber FromBody(string body)
    {
        var parsed = Parse(body + CheckDigit.ComputeModulus10Weight21(body).ToString(CultureInfo.InvariantCulture));
        return parsed.Value ?? throw new ArgumentException(parsed.Error!.Message, nameof(body));
    }

    /// <summary>The 8-character form of the XML interface: 国保 numbers right-justified with leading spaces.</summary>
    public string ToPaddedString() => Value.PadLeft(8, ' ');

    public override string ToString() => Value;
}
