using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.Layout;

/// <summary>
/// The format rule of one leaf element: a regular expression (anchored, ASCII digits only), an optional length cap,
/// an optional code table and an optional semantic check (calendar date, check digit). Every text also has to be
/// free of control characters and of characters XML cannot carry.
/// </summary>
public sealed class FieldFormat
{
    private readonly Regex _regex;
    private readonly Func<string, string, string, OqsError?>? _semantic;

    private FieldFormat(string description, string pattern, int? maxLength, CodeSet? codes, Func<string, string, string, OqsError?>? semantic)
    {
        Description = description;
        Pattern = pattern;
        MaxLength = maxLength;
        Codes = codes;
        _semantic = semantic;
        _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    public string Description { get; }

    /// <summary>The anchored regular expression a value must match (.NET syntax).</summary>
    public string Pattern { get; }

    /// <summary>Maximum length in characters (Unicode scalar values), when the layout caps it.</summary>
    public int? MaxLength { get; }

    public CodeSet? Codes { get; }

    public static FieldFormat Date { get; } = new("yyyyMMdd（西暦・実在する日付）", "^[0-9]{8}$", 8, null, CheckDate("yyyyMMdd"));

    public static FieldFormat Month { get; } = new("yyyyMM（西暦）", "^[0-9]{6}$", 6, null, CheckDate("yyyyMM"));

    public static FieldFormat DateTime { get; } = new("yyyyMMddHHmmss", "^[0-9]{14}$", 14, null, CheckDate("yyyyMMddHHmmss"));

    public static FieldFormat MedicalInstitutionCode { get; } = new("半角数字10桁（検証番号付き）", "^[0-9]{10}$", 10, null, CheckInstitution);

    /// <summary>8 digits, or a 6-digit 国保 number right-justified with two spaces (a bare 6-digit number is accepted on input).</summary>
    public static FieldFormat InsurerNumber { get; } = new("半角数字8桁（国保6桁は前2桁空白で右詰め）", "^(?:[0-9]{8}| {2}[0-9]{6}|[0-9]{6})$", 8, null, CheckInsurer);

    public static FieldFormat BranchNumber { get; } = new("半角数字2桁", "^[0-9]{2}$", 2, null, null);

    public static FieldFormat Ratio { get; } = new("半角数字3桁（例: 030 = 3割）", "^[0-9]{3}$", 3, null, null);

    public static FieldFormat Count { get; } = new("半角数字（件数）", "^[0-9]{1,9}$", 9, null, null);

    public static FieldFormat ReceptionNumber { get; } = new("半角英数字1〜20桁", "^[0-9A-Za-z]{1,20}$", 20, null, null);

    public static FieldFormat PostNumber { get; } = new("郵便番号（999-9999 または 9999999）", "^[0-9]{3}-?[0-9]{4}$", 8, null, null);

    public static FieldFormat Amount { get; } = new("半角数字（円）", "^[0-9]{1,9}$", 9, null, null);

    public static FieldFormat ErrorCode { get; } = new("半角英数字1〜20桁", "^[0-9A-Za-z\\-]{1,20}$", 20, null, null);

    public static FieldFormat Text(int maxLength) =>
        new(string.Create(CultureInfo.InvariantCulture, $"文字列（{maxLength}文字以内）"), "^.+$", maxLength, null, null);

    public static FieldFormat Code(CodeSet codes) =>
        new($"コード（{codes.Id} {codes.Name}）", "^[0-9A-Z]{1,3}$", 3, codes, null);

    /// <summary>The first rule the value breaks, or null. <paramref name="path"/> names the element in the error.</summary>
    public OqsError? Check(string value, string japaneseName, string path)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is 0xFFFE or 0xFFFF || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Surrogate)
            {
                return OqsErrorCatalogue.ForElement(OqsErrorCode.FieldInvalidCharacters, japaneseName, path);
            }
        }

        if (value.Contains('\uFFFD', StringComparison.Ordinal) || !IsWellFormedUtf16(value))
        {
            return OqsErrorCatalogue.ForElement(OqsErrorCode.FieldInvalidCharacters, japaneseName, path);
        }

        var length = value.EnumerateRunes().Count();
        if (MaxLength is { } max && length > max)
        {
            return OqsErrorCatalogue.ForElement(
                OqsErrorCode.FieldTooLong, japaneseName, path,
                string.Create(CultureInfo.InvariantCulture, $"{max}文字以内で設定してください（{length}文字）。"));
        }

        if (!_regex.IsMatch(value))
        {
            return OqsErrorCatalogue.ForElement(OqsErrorCode.FieldFormatInvalid, japaneseName, path, $"形式は「{Description}」です。");
        }

        if (Codes is not null && !Codes.Contains(value))
        {
            return OqsErrorCatalogue.ForElement(
                OqsErrorCode.FieldInvalidCode, japaneseName, path,
                $"{Codes.Id}（{Codes.Name}）に定義されたコード（{string.Join("、", Codes.Entries.Select(e => e.Code))}）を設定してください。");
        }

        return _semantic?.Invoke(value, japaneseName, path);
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Func<string, string, string, OqsError?> CheckDate(string format) => (value, name, path) =>
        System.DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year >= 1868
            ? null
            : OqsErrorCatalogue.ForElement(OqsErrorCode.FieldInvalidDate, name, path, $"実在する日付を「{format}」（西暦）で設定してください。");

    private static OqsError? CheckInstitution(string value, string name, string path)
    {
        var parsed = Core.Identifiers.MedicalInstitutionCode.Parse(value);
        return parsed.IsValid ? null : new OqsError(OqsErrorCode.MedicalInstitutionCodeInvalid, $"{name}（MedicalInstitutionCode）: {parsed.Error!.Message}", path);
    }

    private static OqsError? CheckInsurer(string value, string name, string path)
    {
        var parsed = Core.Identifiers.InsurerNumber.Parse(value);
        return parsed.IsValid ? null : new OqsError(OqsErrorCode.InsurerNumberInvalid, $"{name}（InsurerNumber）: {parsed.Error!.Message}", path);
    }
}
