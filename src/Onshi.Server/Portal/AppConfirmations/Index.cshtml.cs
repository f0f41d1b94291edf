using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.Jpki;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Confirmations;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.AppConfirmations;

/// <summary>アプリ資格確認結果一覧: the app's confirmations at this institution, newest first, filtered and paged.</summary>
public sealed class IndexModel(AppDbContext db) : PortalPageModel
{
    public const int PageSize = 20;

    public sealed record Row(Guid Id, string ConfirmedAt, string Purpose, string Method, string Validity, string Name, string Birthdate, string Device, bool QualificationOnly);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>受け付けなかった確認: refused attempts (audit <c>app.attempt_refused</c>) in the same date range, newest first.</summary>
    public sealed record RefusedRow(string At, string Purpose, string Method, string Reason, string Staff, string Device);

    public const int RefusedShown = 50;

    public IReadOnlyList<RefusedRow> Refused { get; private set; } = [];

    public string? From { get; private set; }

    public string? To { get; private set; }

    public string? Purpose { get; private set; }

    public string? Method { get; private set; }

    public string? Validity { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    public string RangeText { get; private set; } = "0件表示";

    public string QueryWithout(int page) => $"?from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&purpose={Purpose}&method={Method}&validity={Validity}&pageNumber={page.ToString(CultureInfo.InvariantCulture)}";

    public async Task OnGetAsync(string? from, string? to, string? purpose, string? method, string? validity, int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        // The institution filter of AppDbContext limits the query to the signed-in institution.
        var query = db.AppConfirmations.AsNoTracking();
        if (JapanTime.TryParseDate(from, out var fromDate))
        {
            From = fromDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // Npgsql writes timestamptz parameters only with offset zero: convert the JST midnight to UTC.
            var start = new DateTimeOffset(fromDate.ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            query = query.Where(c => c.ConfirmedAt >= start);
        }

        if (JapanTime.TryParseDate(to, out var toDate))
        {
            To = toDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var end = new DateTimeOffset(toDate.AddDays(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            query = query.Where(c => c.ConfirmedAt < end);
        }

        if (WirePurposes.TryParse(purpose, out var purposeValue))
        {
            Purpose = purpose;
            query = query.Where(c => c.Purpose == purposeValue);
        }

        if (method is "pin" or "visual")
        {
            Method = method;
            var methodValue = method == "pin" ? IdentificationMethod.Pin : IdentificationMethod.Visual;
            query = query.Where(c => c.Method == methodValue);
        }

        if (validity is "1" or "2" or "3" or "4" or "5")
        {
            Validity = validity;
            query = query.Where(c => c.Validity == validity);
        }

        await LoadRefusedAsync(cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        var skip = (PageNumber - 1) * PageSize;
        var rows = await query.OrderByDescending(c => c.ConfirmedAt).ThenByDescending(c => c.Id).Skip(skip).Take(PageSize)
            .Join(db.Devices, c => c.DeviceId, d => d.Id, (c, d) => new { c.Id, c.ConfirmedAt, c.Purpose, c.Method, c.Validity, c.PatientName, c.PatientBirthdate, d.Label, c.QualificationOnly })
            .ToListAsync(cancellationToken);
        Rows = [.. rows.Select(r => new Row(r.Id, JapanTime.Format(r.ConfirmedAt), Purposes.Japanese(r.Purpose), MethodText(r.Method), ValidityText(r.Validity),
            r.PatientName ?? "—", r.PatientBirthdate is { } b ? JapanTime.Format(b) : "—", r.Label, r.QualificationOnly))];
        RangeText = total == 0 ? "0件表示" : string.Create(CultureInfo.InvariantCulture, $"{skip + 1}-{skip + Rows.Count}件表示 (全{total}件)");
    }

    private async Task LoadRefusedAsync(CancellationToken cancellationToken)
    {
        var refused = db.AuditEntries.AsNoTracking().Where(e => e.Action == CheckCard.RefusedAction);
        if (From is not null && JapanTime.TryParseDate(From, out var fromDate))
        {
            var start = new DateTimeOffset(fromDate.ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            refused = refused.Where(e => e.OccurredAt >= start);
        }

        if (To is not null && JapanTime.TryParseDate(To, out var toDate))
        {
            var end = new DateTimeOffset(toDate.AddDays(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            refused = refused.Where(e => e.OccurredAt < end);
        }

        var entries = await refused.OrderByDescending(e => e.Id).Take(RefusedShown).ToListAsync(cancellationToken);
        var deviceIds = entries.Select(e => Guid.TryParse(e.Target?.Replace("device:", "", StringComparison.Ordinal), out var id) ? id : Guid.Empty).Distinct().ToList();
        var labels = await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Label, cancellationToken);
        Refused = [.. entries.Select(e =>
        {
            var fields = (e.Detail ?? "").Split(';').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            var purpose = WirePurposes.TryParse(fields.GetValueOrDefault("purpose"), out var p) ? Purposes.Japanese(p) : "";
            var method = fields.GetValueOrDefault("method") switch { "pin" => "暗証番号", "visual" => "目視確認", _ => "" };
            var device = Guid.TryParse(e.Target?.Replace("device:", "", StringComparison.Ordinal), out var id) && labels.TryGetValue(id, out var label) ? label : "";
            return new RefusedRow(JapanTime.Format(e.OccurredAt), purpose, method, RefusalText(fields.GetValueOrDefault("code")), e.Actor, device);
        })];
    }

    /// <summary>Why an attempt was refused, as an administrator investigating a complaint reads it.</summary>
    public static string RefusalText(string? code) => code switch
    {
        "card.not_linked" => "健康保険証の利用登録がされていないカード",
        "card.pin_blocked" => "暗証番号が使えないカード（ロック又は顔認証マイナンバーカード）",
        "jpki.expired" => "電子証明書の有効期限切れ（3か月超）",
        "jpki.revoked" => "失効した電子証明書",
        null or "" => "不明",
        _ when code.StartsWith("jpki.", StringComparison.Ordinal) => "電子証明書を確認できないカード",
        _ => "受け付けできないカード",
    };

    public static string MethodText(IdentificationMethod method) => method == IdentificationMethod.Pin ? "暗証番号" : "目視確認";

    public static string ValidityText(string code) =>
        OqsCodes.QualificationValidity.TryParse(code, out var value) ? $"{code} {value.ToLabel()}" : code;

    public static IReadOnlyList<(string Value, string Text)> PurposeChoices { get; } =
        [(WirePurposes.Outpatient, Purposes.Japanese(AuthenticationPurpose.Outpatient)), (WirePurposes.HomeVisit, Purposes.Japanese(AuthenticationPurpose.HomeVisit)), (WirePurposes.Online, Purposes.Japanese(AuthenticationPurpose.Online))];
}
