using System.Globalization;
using System.Text;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.Server.Common;
using Onshi.Server.Portal.InsuranceCards;

namespace Onshi.Server.Portal.BulkInquiries;

/// <summary>
/// The 一括照会 CSV: read whole (UTF-8 with or without BOM, or Shift_JIS, detected), every line checked through the same
/// <see cref="InsuranceCardQuery"/> rules as the single 保険証確認, and refused as a whole when any line is wrong, so a
/// job is only ever made from a file that is right everywhere. Results are written back as CSV in the same order.
/// </summary>
public static class BulkCsv
{
    /// <summary>Rows accepted in one file (the notice's 一括照会 is sized for a day's 訪問診療 or a ward; 10,000 keeps a job within minutes).</summary>
    public const int MaxRows = 10_000;

    /// <summary>Bytes accepted in one upload: 10,000 full lines with a long 患者ID fit well inside.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>At most this many wrong lines are listed; the rest are counted.</summary>
    public const int ListedErrors = 20;

    /// <summary>任意の識別子 of the OQS layout: echoed back in every result.</summary>
    public const int MaxPatientIdLength = 50;

    public static IReadOnlyList<string> Columns { get; } = ["保険者番号", "記号", "番号", "枝番", "生年月日", "患者ID"];

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Code page 932 (Windows-31J): what Excel on Japanese Windows writes as "CSV".
    private static readonly Encoding StrictShiftJis =
        CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("Code page 932 is not available.");

    private static readonly Encoding LenientShiftJis =
        CodePagesEncodingProvider.Instance.GetEncoding(932, new EncoderReplacementFallback("〓"), DecoderFallback.ReplacementFallback)
        ?? throw new InvalidOperationException("Code page 932 is not available.");

    public sealed record Parsed(IReadOnlyList<QualificationConfirmSearchInfo> Rows, string Encoding, IReadOnlyList<Refusal> Refusals);

    /// <summary>The search rows, or refusals naming each wrong line and field (then no row at all).</summary>
    public static Parsed Parse(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return Refused(new Refusal("bulk.csv_empty", "CSVファイルが空です。見出し行と1行以上の照会対象を入れてください。", "File"));
        }

        if (bytes.Length > MaxBytes)
        {
            return Refused(new Refusal("bulk.csv_too_large", $"CSVファイルが大きすぎます（{MaxBytes / 1024 / 1024}MBまで）。", "File"));
        }

        if (Decode(bytes) is not var (text, encoding))
        {
            return Refused(new Refusal("bulk.csv_encoding", "CSVファイルの文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。", "File"));
        }

        var lines = Lines(text);
        // Lines left entirely blank (an Excel sheet's trailing ",,,,,") are not rows.
        var numbered = lines.Select((fields, i) => (Number: i + 1, Fields: fields)).Where(l => l.Fields.Any(f => f.Length > 0)).ToList();
        if (numbered.Count == 0)
        {
            return Refused(new Refusal("bulk.csv_empty", "CSVファイルが空です。見出し行と1行以上の照会対象を入れてください。", "File"));
        }

        var header = numbered[0];
        var names = header.Fields.Select(f => f.Trim()).ToList();
        var withPatientId = names.SequenceEqual(Columns);
        if (header.Number != 1 || (!withPatientId && !names.SequenceEqual(Columns.Take(5))))
        {
            return Refused(new Refusal("bulk.csv_header", $"{header.Number}行目（見出し）: 列を「{string.Join(',', Columns)}」の順にしてください（患者IDの列は省略できます）。", "File"));
        }

        var body = numbered.Skip(1).ToList();
        if (body.Count == 0)
        {
            return Refused(new Refusal("bulk.csv_empty", "照会対象の行がありません。見出し行の次から1行に1人ずつ入れてください。", "File"));
        }

        if (body.Count > MaxRows)
        {
            return Refused(new Refusal("bulk.csv_too_many", $"行数が上限を超えています（{body.Count:N0}行。1ファイル{MaxRows:N0}行まで）。ファイルを分けてください。", "File"));
        }

        var rows = new List<QualificationConfirmSearchInfo>(body.Count);
        var refusals = new List<Refusal>();
        var wrongLines = 0;
        foreach (var (number, fields) in body)
        {
            var lineRefusals = new List<Refusal>();
            if (fields.Count != names.Count)
            {
                lineRefusals.Add(new Refusal("bulk.csv_columns", $"{number}行目: 列の数が見出しと違います（{fields.Count}列、見出しは{names.Count}列）。"));
            }
            else
            {
                var query = new InsuranceCardQuery { InsurerNumber = fields[0], Symbol = fields[1], Number = fields[2], Branch = fields[3], Birthdate = fields[4] };
                var (search, invalid) = query.Validate();
                lineRefusals.AddRange(invalid.Select(r => r with { Message = $"{number}行目 {r.Message}" }));
                var patientId = withPatientId ? fields[5].Trim() : "";
                if (patientId.Length > MaxPatientIdLength || patientId.Any(char.IsControl))
                {
                    lineRefusals.Add(new Refusal("bulk.patient_id_invalid", $"{number}行目 患者ID: {MaxPatientIdLength}文字以内で入力してください（改行やタブは使えません）。"));
                }

                if (search is not null && lineRefusals.Count == 0)
                {
                    rows.Add(search with
                    {
                        // As on the single check's screen, the 限度額 bracket is shown; the flag states that the clinic asked for it.
                        LimitApplicationCertificateRelatedConsFlg = "1",
                        ArbitraryIdentifier = patientId.Length == 0 ? null : patientId,
                    });
                }
            }

            if (lineRefusals.Count > 0)
            {
                wrongLines++;
                if (refusals.Count < ListedErrors)
                {
                    refusals.AddRange(lineRefusals.Take(ListedErrors - refusals.Count));
                }
            }
        }

        if (wrongLines > 0)
        {
            refusals.Insert(0, new Refusal("bulk.csv_invalid", $"CSVファイルに誤りがある行が{wrongLines:N0}行あります。すべての行を直してから、もう一度アップロードしてください（何も登録していません）。", "File"));
            return new Parsed([], encoding, refusals);
        }

        return new Parsed(rows, encoding, []);
    }

    private static Parsed Refused(Refusal refusal) => new([], "", [refusal]);

    /// <summary>UTF-8 when it has a BOM or decodes cleanly; otherwise Shift_JIS when that decodes cleanly.</summary>
    private static (string Text, string Encoding)? Decode(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith("\uFEFF"u8))
        {
            try
            {
                return (StrictUtf8.GetString(bytes, 3, bytes.Length - 3), "UTF-8");
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        try
        {
            return (StrictUtf8.GetString(bytes), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Japanese text in Shift_JIS almost never forms valid UTF-8 sequences.
        }

        try
        {
            return (StrictShiftJis.GetString(bytes), "Shift_JIS");
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<List<string>> Lines(string text)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields);
                fields = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields);
        }

        return records;
    }

    /// <summary>The result columns: the input echoed, then the answer, one line per row (a person with two qualifications gets two lines).</summary>
    public static IReadOnlyList<string> ResultColumns { get; } =
        ["行", "患者ID", "保険者番号", "記号", "番号", "枝番", "生年月日", "照会結果", "資格有効性", "氏名", "氏名カナ", "保険者名", "資格取得年月日", "資格喪失年月日", "負担割合", "限度額適用区分", "高齢受給者証負担割合", "照会番号", "メッセージ"];

    /// <summary>The results as CSV text lines (CRLF), in row order.</summary>
    public static string Write(IReadOnlyList<BulkResultLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var builder = new StringBuilder();
        builder.Append(string.Join(',', ResultColumns.Select(Quote))).Append("\r\n");
        foreach (var line in lines)
        {
            builder.Append(string.Join(',', line.Cells().Select(Quote))).Append("\r\n");
        }

        return builder.ToString();
    }

    /// <summary>UTF-8 with a BOM (Excel opens it as UTF-8), or Shift_JIS with characters it lacks written as 〓.</summary>
    public static byte[] Encode(string csv, bool shiftJis)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return shiftJis ? LenientShiftJis.GetBytes(csv) : [.. Encoding.UTF8.GetPreamble(), .. StrictUtf8.GetBytes(csv)];
    }

    // Every field quoted: 記号 may hold commas or leading zeros that a spreadsheet would otherwise eat.
    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>One result line of a 一括照会: the row as sent and one qualification (or the reason there is none).</summary>
public sealed record BulkResultLine(int Row, QualificationConfirmSearchInfo? Sent, QualificationConfirmationResult Result, ResultOfQualificationConfirmation? Qualification)
{
    public string Outcome => Result.ProcessingResultStatus == "2" ? "エラー" : "照会済";

    public string Validity => Result.ProcessingResultStatus == "2" ? "" : Core.Codes.OqsCodes.QualificationValidity.Display(Result.QualificationValidity);

    public IEnumerable<string> Cells()
    {
        var q = Qualification;
        return
        [
            Row.ToString(CultureInfo.InvariantCulture),
            Sent?.ArbitraryIdentifier ?? "",
            Sent?.InsurerNumber?.Trim() ?? "",
            Sent?.InsuredCardSymbol ?? "",
            Sent?.InsuredIdentificationNumber ?? "",
            Sent?.InsuredBranchNumber ?? "",
            Iso(Sent?.Birthdate),
            Outcome,
            Validity,
            q?.Name ?? "",
            q?.NameKana ?? "",
            q?.InsurerName ?? "",
            Iso(q?.QualificationDate),
            Iso(q?.DisqualificationDate),
            q is null ? "" : Core.Codes.OqsCodes.PartialContributionRatio.Display(q.InsuredPartialContributionRatio),
            q is null ? "" : q.LimitApplicationCertificateRelatedInfo is { } limit ? Core.Codes.OqsCodes.LimitApplicationBracket.Display(limit.LimitApplicationCertificateClassificationFlag) : "なし",
            q?.ElderlyRecipientCertificateInfo is { } elderly ? Core.Codes.OqsCodes.PartialContributionRatio.Display(elderly.ElderlyRecipientContributionRatio) : "",
            Result.ReferenceNumber ?? "",
            Result.ProcessingResultMessage ?? "",
        ];
    }

    // 西暦 yyyy-MM-dd: what a spreadsheet or a レセコン import reads as a date.
    private static string Iso(string? yyyymmdd) =>
        DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    /// <summary>The lines of a job's results (each echoes its row, 患者ID included): rows in order, one line per qualification.</summary>
    public static List<BulkResultLine> From(IReadOnlyList<QualificationConfirmationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var lines = new List<BulkResultLine>(results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var row = results[i].SearchInfo;
            if (results[i].Results.Count == 0)
            {
                lines.Add(new BulkResultLine(i + 1, row, results[i], null));
            }

            lines.AddRange(results[i].Results.Select(q => new BulkResultLine(i + 1, row, results[i], q)));
        }

        return lines;
    }
}
