namespace Onshi.Core.Identifiers;

/// <summary>
/// 医療機関コード: the 10-digit code of a hospital, clinic or pharmacy —
/// 都道府県番号 2 + 点数表番号 1 + 郡市区番号 2 + 医療機関等番号 4 + 検証番号 1.
/// </summary>
public readonly record struct MedicalInstitutionCode
{
    private const string Name = "医療機関コード";

    private MedicalInstitutionCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>都道府県番号 (01–47).</summary>
    public string Prefecture => Value[..2];

    /// <summary>点数表番号: 1 医科, 3 歯科, 4 調剤, 6 訪問看護.</summary>
    public ScoreTable ScoreTable => (ScoreTable)(Value[2] - '0');

    /// <summary>郡市区番号.</summary>
    public string District => Value.Substring(3, 2);

    /// <summary>医療機関等番号.</summary>
    public string InstitutionNumber => Value.Substring(5, 4);

    public static ParseResult<MedicalInstitutionCode> Parse(string? text)
    {
        var error = CheckDigit.Validate(text, 10, Name);
        if (error is not null)
        {
            return ParseResult.Fail<MedicalInstitutionCode>(error);
        }

        error = CheckDigit.ValidatePrefecture(text!, 0, Name);
        if (error is not null)
        {
            return ParseResult.Fail<MedicalInstitutionCode>(error);
        }

        if (!Enum.IsDefined((ScoreTable)(text![2] - '0')))
        {
            return ParseResult.Fail<MedicalInstitutionCode>(new IdentifierError(
                IdentifierErrorCode.UnknownScoreTable,
                "医療機関コードの点数表番号（3桁目）は 1（医科）、3（歯科）、4（調剤）、6（訪問看護）のいずれかです。",
                3));
        }

        return ParseResult.Ok<MedicalInstitutionCode>(new MedicalInstitutionCode(text));
    }

    /// <summary>Builds a valid code from its first nine digits by appending the check digit.</summary>
    public static MedicalInstitutionCode FromBody(string nineDigits)
    {
        var parsed = Parse(nineDigits + CheckDigit.ComputeModulus10Weight21(nineDigits).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parsed.Value ?? throw new ArgumentException(parsed.Error!.Message, nameof(nineDigits));
    }

    /// <summary>Grouped for reading aloud: 01 1 01 1371 9.</summary>
    public string ToDisplayString() => $"{Prefecture} {Value[2]} {District} {InstitutionNumber} {Value[9]}";

    public override string ToString() => Value;
}

/// <summary>点数表番号, the third digit of a 医療機関コード.</summary>
public enum ScoreTable
{
    /// <summary>医科.</summary>
    Medical = 1,

    /// <summary>歯科.</summary>
    Dental = 3,

    /// <summary>調剤 (pharmacies).</summary>
    Pharmacy = 4,

    /// <summary>訪問看護.</summary>
    HomeNursing = 6,
}
