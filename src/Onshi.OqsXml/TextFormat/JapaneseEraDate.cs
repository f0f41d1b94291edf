using System.Globalization;
using Onshi.Core.Dates;

namespace Onshi.OqsXml.TextFormat;

/// <summary>The wire dates (yyyyMMdd) of the clipboard text shown as 和暦 ("昭和50年1月2日", "令和元年5月1日").</summary>
internal static class JapaneseEraDate
{
    /// <summary>Formats yyyyMMdd as 和暦; returns the input unchanged when it is not a date the Japanese calendar covers.</summary>
    public static string Format(string? yyyyMMdd)
    {
        if (string.IsNullOrEmpty(yyyyMMdd))
        {
            return "";
        }

        return DateOnly.TryParseExact(yyyyMMdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && JapaneseDate.TryFromGregorian(date, out var japanese, out _)
            ? japanese.ToDisplayString()
            : yyyyMMdd;
    }
}
