using System.Globalization;

namespace Onshi.Server.Common;

/// <summary>
/// Japan Standard Time helpers. Japan has had no daylight saving time since 1951, so a fixed +09:00 offset is exact
/// and avoids depending on the host's time-zone database.
/// </summary>
public static class JapanTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>Today's date in Japan; 利用開始年月日/利用終了年月日 are calendar dates in Japan.</summary>
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Offset).DateTime);

    /// <summary>2024/09/11 16:30, the style of the notice's screenshots.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);

    public static string Format(DateOnly date) => date.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

    /// <summary>Accepts 2025-06-01 (HTML date inputs) and 2025/06/01 (how people write it).</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy/M/d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
