using System.Globalization;

namespace Onshi.Core.Dates;

/// <summary>The Japanese eras (元号) that <see cref="JapaneseCalendar"/> knows, numbered as .NET numbers them.</summary>
public enum JapaneseEra
{
    /// <summary>明治 (from 1868-09-08; .NET's calendar starts there).</summary>
    Meiji = 1,

    /// <summary>大正 (from 1912-07-30).</summary>
    Taisho = 2,

    /// <summary>昭和 (from 1926-12-25).</summary>
    Showa = 3,

    /// <summary>平成 (from 1989-01-08).</summary>
    Heisei = 4,

    /// <summary>令和 (from 2019-05-01).</summary>
    Reiwa = 5,
}

/// <summary>Why a Japanese-era date could not be made. Stable machine codes; do not renumber.</summary>
public enum JapaneseDateErrorCode
{
    BeforeMeiji = 1,
    UnknownEra = 2,
    NoSuchDate = 3,
    OutsideEra = 4,
}

/// <summary>A refusal with a machine code and a sentence in Japanese for the person who entered the date.</summary>
public sealed record JapaneseDateError(JapaneseDateErrorCode Code, string Message)
{
    public string MachineCode => Code switch
    {
        JapaneseDateErrorCode.BeforeMeiji => "japanese_date.before_meiji",
        JapaneseDateErrorCode.UnknownEra => "japanese_date.unknown_era",
        JapaneseDateErrorCode.NoSuchDate => "japanese_date.no_such_date",
        JapaneseDateErrorCode.OutsideEra => "japanese_date.outside_era",
        _ => "japanese_date.invalid",
    };
}

/// <summary>
/// A date in the Japanese era calendar (和暦), e.g. 令和2年2月24日. The card's 照合番号B and 生年月日 key use its
/// two-digit era year (YYMMDD), and the app's date-of-birth picker lets staff pick the era.
/// </summary>
/// <remarks>
/// Era boundaries come from the platform's <see cref="JapaneseCalendar"/> (ICU data), so 1989-01-07 is 昭和64年
/// and 1989-01-08 is 平成元年, 2019-04-30 is 平成31年 and 2019-05-01 is 令和元年.
/// </remarks>
public readonly record struct JapaneseDate(JapaneseEra Era, int Year, int Month, int Day)
{
    private static readonly JapaneseCalendar Calendar = new();

    /// <summary>The first day .NET's Japanese calendar supports (明治元年9月8日).</summary>
    public static DateOnly MinSupported { get; } = DateOnly.FromDateTime(Calendar.MinSupportedDateTime);

    /// <summary>The era's name in kanji: 明治, 大正, 昭和, 平成, 令和.</summary>
    public static string EraName(JapaneseEra era) => era switch
    {
        JapaneseEra.Meiji => "明治",
        JapaneseEra.Taisho => "大正",
        JapaneseEra.Showa => "昭和",
        JapaneseEra.Heisei => "平成",
        JapaneseEra.Reiwa => "令和",
        _ => throw new ArgumentOutOfRangeException(nameof(era), era, "Unknown Japanese era."),
    };

    /// <summary>The era's name in kanji.</summary>
    public string EraNameKanji => EraName(Era);

    /// <summary>Converts a Gregorian date; fails only before 明治 (1868-09-08).</summary>
    public static bool TryFromGregorian(DateOnly date, out JapaneseDate result, out JapaneseDateError? error)
    {
        if (date < MinSupported)
        {
            result = default;
            error = new JapaneseDateError(JapaneseDateErrorCode.BeforeMeiji,
                $"{date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}は明治より前のため和暦に変換できません。");
            return false;
        }

        var dateTime = date.ToDateTime(TimeOnly.MinValue);
        var era = Calendar.GetEra(dateTime);
        if (!Enum.IsDefined(typeof(JapaneseEra), era))
        {
            // A future era the platform knows but this code does not yet name.
            result = default;
            error = new JapaneseDateError(JapaneseDateErrorCode.UnknownEra, "この日付の元号にはまだ対応していません。");
            return false;
        }

        result = new JapaneseDate((JapaneseEra)era, Calendar.GetYear(dateTime), date.Month, date.Day);
        error = null;
        return true;
    }

    /// <summary>Converts a Gregorian date; throws <see cref="ArgumentOutOfRangeException"/> before 明治.</summary>
    public static JapaneseDate FromGregorian(DateOnly date) =>
        TryFromGregorian(date, out var result, out var error)
            ? result
            : throw new ArgumentOutOfRangeException(nameof(date), date, error!.Message);

    /// <summary>
    /// Builds a date from what staff picked (era, era year, month, day), refusing days that do not exist and dates
    /// outside the era, e.g. 平成31年5月1日 (that day is 令和元年5月1日).
    /// </summary>
    public static bool TryCreate(JapaneseEra era, int year, int month, int day, out JapaneseDate result, out JapaneseDateError? error)
    {
        result = default;
        if (!Enum.IsDefined(era))
        {
            error = new JapaneseDateError(JapaneseDateErrorCode.UnknownEra, "元号が正しくありません。");
            return false;
        }

        var label = $"{EraName(era)}{FormatYear(year)}年{month.ToString(CultureInfo.InvariantCulture)}月{day.ToString(CultureInfo.InvariantCulture)}日";
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || year > 200)
        {
            error = new JapaneseDateError(JapaneseDateErrorCode.NoSuchDate, $"{label}という日付はありません。");
            return false;
        }

        var eraStart = FirstDayOf(era);
        var gregorianYear = eraStart.Year + year - 1;
        if (gregorianYear > 9999 || day > DateTime.DaysInMonth(gregorianYear, month))
        {
            error = new JapaneseDateError(JapaneseDateErrorCode.NoSuchDate, $"{label}という日付はありません。");
            return false;
        }

        var gregorian = new DateOnly(gregorianYear, month, day);
        if (!TryFromGregorian(gregorian, out var actual, out _) || actual.Era != era)
        {
            var hint = actual.Era == default ? string.Empty : $"（{actual.ToDisplayString()}のことですか）";
            error = new JapaneseDateError(JapaneseDateErrorCode.OutsideEra, $"{label}は{EraName(era)}の期間外です{hint}。");
            return false;
        }

        result = actual;
        error = null;
        return true;
    }

    /// <summary>The first day of an era in the Gregorian calendar.</summary>
    public static DateOnly FirstDayOf(JapaneseEra era) => era switch
    {
        JapaneseEra.Meiji => MinSupported,
        JapaneseEra.Taisho => new DateOnly(1912, 7, 30),
        JapaneseEra.Showa => new DateOnly(1926, 12, 25),
        JapaneseEra.Heisei => new DateOnly(1989, 1, 8),
        JapaneseEra.Reiwa => new DateOnly(2019, 5, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(era), era, "Unknown Japanese era."),
    };

    /// <summary>The same day in the Gregorian calendar.</summary>
    public DateOnly ToGregorian() => new(FirstDayOf(Era).Year + Year - 1, Month, Day);

    /// <summary>Era year, month and day as six digits, e.g. 令和2年2月24日 → <c>020224</c> (the card's form).</summary>
    public string ToYyMmDd() =>
        string.Create(CultureInfo.InvariantCulture, $"{Year % 100:D2}{Month:D2}{Day:D2}");

    /// <summary>The usual written form, e.g. <c>令和2年2月24日</c>; the first year is written 元年.</summary>
    public string ToDisplayString() =>
        $"{EraNameKanji}{FormatYear(Year)}年{Month.ToString(CultureInfo.InvariantCulture)}月{Day.ToString(CultureInfo.InvariantCulture)}日";

    public override string ToString() => ToDisplayString();

    private static string FormatYear(int year) => year == 1 ? "元" : year.ToString(CultureInfo.InvariantCulture);
}
