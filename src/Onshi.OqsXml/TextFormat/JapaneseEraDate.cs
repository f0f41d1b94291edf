using System.Globalization;

namespace Onshi.OqsXml.TextFormat;

/// <summary>
/// 和暦 formatting for the clipboard text ("昭和50年1月2日", "令和元年5月1日"). Kept in one small class on purpose:
/// Onshi.Core.Dates will provide the shared helper and this should then delegate to it.
/// </summary>
internal static class JapaneseEraDate
{
    private static readonly CultureInfo JapaneseCulture = CreateCulture();

    /// <summary>Formats yyyyMMdd as 和暦; returns the input unchanged when it is not a date the Japanese calendar covers.</summary>
    public static string Format(string? yyyyMMdd)
    {
        if (string.IsNullOrEmpty(yyyyMMdd))
        {
            return "";
        }

        if (!DateTime.TryParseExact(yyyyMMdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date < JapaneseCulture.DateTimeFormat.Calendar.MinSupportedDateTime)
        {
            return yyyyMMdd;
        }

        return date.ToString("ggy年M月d日", JapaneseCulture);
    }

    private static CultureInfo CreateCulture()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("ja-JP").Clone();
        culture.DateTimeFormat.Calendar = new JapaneseCalendar();
        return culture;
    }
}
