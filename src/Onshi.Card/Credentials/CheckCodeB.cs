using System.Globalization;
using System.Text;
using Onshi.Core.Dates;

namespace Onshi.Card.Credentials;

/// <summary>
/// 照合番号B: 生年月日 YYMMDD (和暦 year for Japanese nationals) + the card's expiry year (西暦 YYYY) + the 4-digit
/// セキュリティコード printed on the card face — 14 ASCII digits (card-protocol.md §4.3).
/// </summary>
public sealed record CheckCodeB
{
    private CheckCodeB(string value) => Value = value;

    /// <summary>The 14 digits.</summary>
    public string Value { get; }

    /// <summary>The bytes VERIFY sends.</summary>
    public byte[] ToBytes() => Encoding.ASCII.GetBytes(Value);

    /// <summary>
    /// Composes the code. <paramref name="gregorianBirthYear"/> is for foreign residents, whose cards use the
    /// Gregorian two-digit year (card-protocol.md §4.3, weak evidence).
    /// </summary>
    public static CheckCodeB Compose(DateOnly birthDate, int cardExpiryYear, string securityCode, bool gregorianBirthYear = false) =>
        TryCompose(birthDate, cardExpiryYear, securityCode, out var code, out var error, gregorianBirthYear)
            ? code!
            : throw new ArgumentException(error!.Message);

    /// <summary>Composes the code, or says in Japanese which part is wrong.</summary>
    public static bool TryCompose(DateOnly birthDate, int cardExpiryYear, string? securityCode, out CheckCodeB? code, out CredentialError? error,
        bool gregorianBirthYear = false)
    {
        code = null;
        string birth;
        if (gregorianBirthYear)
        {
            birth = birthDate.ToString("yyMMdd", CultureInfo.InvariantCulture);
        }
        else if (JapaneseDate.TryFromGregorian(birthDate, out var japanese, out _))
        {
            birth = japanese.ToYyMmDd();
        }
        else
        {
            error = new CredentialError(CredentialErrorCode.BirthDateOutOfRange, "生年月日を和暦に変換できません（明治より前の日付です）。");
            return false;
        }

        if (cardExpiryYear is < 2016 or > 2099)
        {
            error = new CredentialError(CredentialErrorCode.ExpiryYearOutOfRange,
                "カードの有効期限の西暦年が正しくありません（2016年から2099年の間で入力してください）。");
            return false;
        }

        if (string.IsNullOrEmpty(securityCode) || securityCode.Length != 4)
        {
            error = new CredentialError(CredentialErrorCode.SecurityCodeWrongLength, "セキュリティコードはカード表面の数字4桁です。");
            return false;
        }

        if (!securityCode.All(char.IsAsciiDigit))
        {
            error = new CredentialError(CredentialErrorCode.SecurityCodeNotDigits, "セキュリティコードは半角数字4桁で入力してください。");
            return false;
        }

        code = new CheckCodeB(string.Create(CultureInfo.InvariantCulture, $"{birth}{cardExpiryYear:D4}{securityCode}"));
        error = null;
        return true;
    }

    /// <summary>Accepts an already-composed 14-digit code (e.g. read by OCR).</summary>
    public static bool TryParse(string? value, out CheckCodeB? code, out CredentialError? error)
    {
        code = null;
        if (string.IsNullOrEmpty(value))
        {
            error = new CredentialError(CredentialErrorCode.Empty, "照合番号Bを入力してください。");
            return false;
        }

        if (value.Length != 14)
        {
            error = new CredentialError(CredentialErrorCode.WrongLength, "照合番号Bは数字14桁です（生年月日6桁＋有効期限の西暦年4桁＋セキュリティコード4桁）。");
            return false;
        }

        if (!value.All(char.IsAsciiDigit))
        {
            error = new CredentialError(CredentialErrorCode.NotDigits, "照合番号Bは半角数字14桁で入力してください。");
            return false;
        }

        code = new CheckCodeB(value);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
