namespace Onshi.Card.Credentials;

/// <summary>Which rule a typed credential broke. Stable machine codes; do not renumber.</summary>
public enum CredentialErrorCode
{
    Empty = 1,
    WrongLength = 2,
    NotDigits = 3,
    BirthDateOutOfRange = 4,
    ExpiryYearOutOfRange = 5,
    SecurityCodeWrongLength = 6,
    SecurityCodeNotDigits = 7,
}

/// <summary>A refusal: machine code plus a Japanese sentence for the person typing.</summary>
public sealed record CredentialError(CredentialErrorCode Code, string Message)
{
    public string MachineCode => Code switch
    {
        CredentialErrorCode.Empty => "credential.empty",
        CredentialErrorCode.WrongLength => "credential.wrong_length",
        CredentialErrorCode.NotDigits => "credential.not_digits",
        CredentialErrorCode.BirthDateOutOfRange => "credential.birth_date_out_of_range",
        CredentialErrorCode.ExpiryYearOutOfRange => "credential.expiry_year_out_of_range",
        CredentialErrorCode.SecurityCodeWrongLength => "credential.security_code_wrong_length",
        CredentialErrorCode.SecurityCodeNotDigits => "credential.security_code_not_digits",
        _ => "credential.invalid",
    };
}

/// <summary>
/// The 4-digit PINs (利用者証明用 / 券面事項入力補助用). Checked before sending, because a malformed value sent to
/// the card would still cost one of three tries.
/// </summary>
public static class CardPin
{
    /// <summary>Null when <paramref name="pin"/> is exactly four ASCII digits; otherwise why not.</summary>
    public static CredentialError? Validate(string? pin)
    {
        if (string.IsNullOrEmpty(pin))
        {
            return new CredentialError(CredentialErrorCode.Empty, "暗証番号を入力してください。");
        }

        if (pin.Length != 4)
        {
            return new CredentialError(CredentialErrorCode.WrongLength, "暗証番号は数字4桁です。");
        }

        foreach (var c in pin)
        {
            if (c is < '0' or > '9')
            {
                return new CredentialError(CredentialErrorCode.NotDigits, "暗証番号は半角数字4桁で入力してください。");
            }
        }

        return null;
    }
}
