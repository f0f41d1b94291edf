using System.Globalization;
using Onshi.Core.Codes;

namespace Onshi.Server.Import;

/// <summary>
/// Reads typed, validated values from the current record. Every problem becomes an <see cref="ImportError"/> that
/// names the line and the column; reading goes on, so one row reports all of its problems at once.
/// </summary>
public sealed class FieldReader(IReadOnlyList<string> columns, ISet<string> knownInsurers)
{
    private readonly List<ImportError> _rowErrors = [];

    // Registered insurers were validated when they were imported: a known number needs no check-digit work and
    // yields the one shared string instead of a new one per row.
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? _known =
        knownInsurers is HashSet<string> set && set.Comparer == StringComparer.Ordinal ? set.GetAlternateLookup<ReadOnlySpan<char>>() : null;

    public CsvRecord Record { get; private set; } = new();

    public IReadOnlyList<ImportError> RowErrors => _rowErrors;

    public bool HasErrors => _rowErrors.Count > 0;

    public long Line => Record.Line;

    internal void Begin(CsvRecord record)
    {
        Record = record;
        _rowErrors.Clear();
    }

    public void Error(int column, string code, string message) => _rowErrors.Add(new ImportError(Record.Line, code, message, column < 0 ? null : columns[column]));

    public string Text(int column, int maxLength, bool required = true)
    {
        var span = Record[column];
        if (span.Length == 0)
        {
            if (required)
            {
                Error(column, "row.required", "必須項目が空です。");
            }

            return "";
        }

        if (span.Length > maxLength)
        {
            Error(column, "row.too_long", string.Create(CultureInfo.InvariantCulture, $"{maxLength}文字以内で入力してください（{span.Length}文字）。"));
            return "";
        }

        if (span.ContainsAnyInRange('\0', '\u001f'))
        {
            Error(column, "row.control_character", "改行・タブ等の制御文字は使えません。");
            return "";
        }

        return span.ToString();
    }

    public long PersonId(int column)
    {
        var span = Record[column];
        if (!long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1 || id > 999_999_999_999_999)
        {
            Error(column, "row.person_id_invalid", "個人番号（person_id）は1〜999999999999999の半角整数で入力してください。");
            return 0;
        }

        return id;
    }

    /// <summary>yyyy-MM-dd (or yyyyMMdd, the XML interface's form).</summary>
    public DateOnly? Date(int column, bool required = true)
    {
        var span = Record[column];
        if (span.Length == 0)
        {
            if (required)
            {
                Error(column, "row.required", "必須項目が空です。");
            }

            return null;
        }

        if (TryParseIsoDay(span, out var day))
        {
            return day;
        }

        if (DateOnly.TryParseExact(span, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || DateOnly.TryParseExact(span, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            if (date.Year < 1868)
            {
                Error(column, "row.date_out_of_range", "1868年（明治元年）より前の日付は使えません。");
                return null;
            }

            return date;
        }

        Error(column, "row.date_invalid", $"日付は yyyy-MM-dd（例 2025-04-01）で、実在する日を入力してください（入力「{Shorten(span)}」）。");
        return null;
    }

    public DateTimeOffset? Timestamp(int column)
    {
        var span = Record[column];
        if (DateTimeOffset.TryParseExact(span, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value.ToUniversalTime();
        }

        Error(column, "row.timestamp_invalid", $"日時は ISO 8601 のオフセット付き（例 2029-03-31T23:59:59+09:00）で入力してください（入力「{Shorten(span)}」）。");
        return null;
    }

    public TEnum? Code<TEnum>(int column, CodeTable<TEnum> table, bool required = true)
        where TEnum : struct, Enum
    {
        var span = Record[column];
        if (span.Length == 0 && !required)
        {
            return null;
        }

        // Code tables have a handful of entries: comparing spans avoids a string per field.
        var entries = table.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            if (span.SequenceEqual(entries[i].Code))
            {
                return entries[i].Value;
            }
        }

        var parsed = table.Parse(span.ToString());
        if (!parsed.IsValid)
        {
            Error(column, parsed.Error!.Kind == CodeErrorKind.Empty ? "row.required" : "row.code_unknown", parsed.Error.Message);
            return null;
        }

        return parsed.Value;
    }

    public int? WholeNumber(int column, int min, int max, bool required = true)
    {
        var span = Record[column];
        if (span.Length == 0 && !required)
        {
            return null;
        }

        if (!int.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(column, "row.number_invalid", string.Create(CultureInfo.InvariantCulture, $"{min}〜{max}の整数で入力してください（入力「{Shorten(span)}」）。"));
            return null;
        }

        return value;
    }

    public decimal DecimalValue(int column, decimal min, decimal max, int scale)
    {
        var span = Record[column];
        if (!decimal.TryParse(span, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < min || value > max || decimal.Round(value, scale) != value)
        {
            Error(column, "row.number_invalid", string.Create(CultureInfo.InvariantCulture, $"{min}〜{max}の数値（小数点以下{scale}桁まで）で入力してください（入力「{Shorten(span)}」）。"));
            return 0;
        }

        return value;
    }

    public bool Flag(int column)
    {
        var span = Record[column];
        if (span.Length == 0 || span.SequenceEqual("0"))
        {
            return false;
        }

        if (span.SequenceEqual("1"))
        {
            return true;
        }

        Error(column, "row.flag_invalid", "0・1 または空欄で入力してください。");
        return false;
    }

    /// <summary>保険者番号 with its check digit, and registered (insurers file imported first).</summary>
    public string InsurerNumber(int column, bool mustBeKnown = true)
    {
        if (_known is { } known && known.TryGetValue(Record[column], out var registered))
        {
            return registered;
        }

        var parsed = Onshi.Core.Identifiers.InsurerNumber.Parse(Record[column].ToString());
        if (!parsed.IsValid)
        {
            Error(column, "row." + parsed.Error!.MachineCode.Replace("identifier.", "insurer_", StringComparison.Ordinal), parsed.Error.Message);
            return "";
        }

        var number = parsed.Value!.Value.Value;
        if (mustBeKnown && !knownInsurers.Contains(number))
        {
            Error(column, "row.insurer_unknown", $"保険者番号 {number} は登録されていません。先に保険者ファイルを取り込んでください。");
        }

        return number;
    }

    /// <summary>
    /// The common form yyyy-MM-dd, read without the general parser; anything else (yyyyMMdd, errors) goes to
    /// DateOnly.TryParseExact, which decides. Dates before 1868 are left to the caller's general path too.
    /// </summary>
    private static bool TryParseIsoDay(ReadOnlySpan<char> span, out DateOnly day)
    {
        day = default;
        if (span.Length != 10 || span[4] != '-' || span[7] != '-')
        {
            return false;
        }

        var year = Digits(span[..4]);
        var month = Digits(span.Slice(5, 2));
        var dayOfMonth = Digits(span.Slice(8, 2));
        if (year < 1868 || month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        day = new DateOnly(year, month, dayOfMonth);
        return true;
    }

    private static int Digits(ReadOnlySpan<char> span)
    {
        var value = 0;
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static string Shorten(ReadOnlySpan<char> span) => span.Length <= 20 ? span.ToString() : string.Concat(span[..20], "…");
}
