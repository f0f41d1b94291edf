using System.Globalization;

namespace Onshi.Core.Identifiers;

/// <summary>
/// The modulus-10, weights 2-1 check digit shared by 医療機関コード, 保険者番号 and 公費負担者番号:
/// weights 2,1,2,1… from the rightmost body digit, two-digit products are split into their digits,
/// and the check digit is (10 − sum mod 10) mod 10.
/// </summary>
public static class CheckDigit
{
    public static int ComputeModulus10Weight21(ReadOnlySpan<char> body)
    {
        var sum = 0;
        var weight = 2;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var product = (body[i] - '0') * weight;
            sum += (product / 10) + (product % 10);
            weight = weight == 2 ? 1 : 2;
        }

        return (10 - (sum % 10)) % 10;
    }

    /// <summary>Checks length, digits and check digit; returns the first rule broken, or null.</summary>
    internal static IdentifierError? Validate(string? text, int length, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new IdentifierError(IdentifierErrorCode.Empty, $"{name}が入力されていません。");
        }

        if (text.Length != length)
        {
            return new IdentifierError(
                IdentifierErrorCode.WrongLength,
                string.Create(CultureInfo.InvariantCulture, $"{name}は半角数字{length}桁で入力してください（入力は{text.Length}文字）。"));
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9')
            {
                return new IdentifierError(
                    IdentifierErrorCode.NotDigits,
                    string.Create(CultureInfo.InvariantCulture, $"{name}の{i + 1}文字目が半角数字ではありません。"),
                    i + 1);
            }
        }

        var expected = ComputeModulus10Weight21(text.AsSpan(0, length - 1));
        var actual = text[length - 1] - '0';
        if (expected != actual)
        {
            return new IdentifierError(
                IdentifierErrorCode.CheckDigitMismatch,
                string.Create(CultureInfo.InvariantCulture, $"{name}の検証番号（{length}桁目）が正しくありません。入力内容を確認してください。"),
                length);
        }

        return null;
    }

    internal static IdentifierError? ValidatePrefecture(string text, int offset, string name)
    {
        var prefecture = ((text[offset] - '0') * 10) + (text[offset + 1] - '0');
        return prefecture is >= 1 and <= 47
            ? null
            : new IdentifierError(
                IdentifierErrorCode.UnknownPrefecture,
                string.Create(CultureInfo.InvariantCulture, $"{name}の都道府県番号（{offset + 1}〜{offset + 2}桁目）は01〜47です。"),
                offset + 1);
    }
}
