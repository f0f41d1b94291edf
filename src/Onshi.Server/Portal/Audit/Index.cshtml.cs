using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.Audit;

/// <summary>
/// 操作履歴 (audit trail) for the institution's 管理者: read only, newest first, filtered by date, operation, user and
/// result. The institution filter of AppDbContext limits it to the signed-in institution; nothing here writes.
/// </summary>
[Authorize(Policy = PortalAuthentication.Administrator)]
public sealed class IndexModel(AppDbContext db) : PortalPageModel
{
    public const int PageSize = 50;

    public sealed record Row(string OccurredAt, string Actor, string Action, string ActionCode, string Target, string Detail, bool Succeeded);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string? From { get; private set; }

    public string? To { get; private set; }

    public string? Action { get; private set; }

    public string? UserId { get; private set; }

    public string? Result { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    public string RangeText { get; private set; } = "0件表示";

    /// <summary>What people read for an action code; a code without a label is shown as it is.</summary>
    public static IReadOnlyDictionary<string, string> ActionLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["login.succeeded"] = "ログイン",
        ["login.failed"] = "ログイン失敗",
        ["account.created"] = "アカウント登録",
        ["account.updated"] = "アカウント更新",
        ["account.stopped"] = "アカウント停止",
        ["account.unlocked"] = "ロック解除",
        ["account.password_reset"] = "パスワード初期化",
        ["account.password_changed"] = "パスワード変更",
        ["account.initial_password_changed"] = "初回パスワード変更",
        ["account.two_factor_reset"] = "二要素認証の解除",
        ["two_factor.enrolled"] = "二要素認証の設定",
        ["two_factor.verified"] = "二要素認証",
        ["two_factor.recovery_code_used"] = "リカバリーコード使用",
        ["settings.updated"] = "環境設定情報更新",
        ["terms.agreed"] = "利用規約への同意",
        ["activation_code.issued"] = "アクティベーションコード発行",
        ["activation_code.invalidated"] = "アクティベーションコード無効化",
        ["activation_code.redeemed"] = "アクティベーションコード使用",
        ["device.activated"] = "端末の初期設定",
        ["app.session_started"] = "アプリへのログイン",
        ["app.session_ended"] = "アプリからのログアウト",
        ["app.attempt_refused"] = "アプリ資格確認の不受理",
        ["consent.withdrawn"] = "同意取消",
        ["machine_account.created"] = "連携アプリ用アカウント作成",
        ["institution.created"] = "医療機関の登録",
    };

    public string QueryFor(int page) =>
        $"?from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&action={Uri.EscapeDataString(Action ?? "")}&userId={Uri.EscapeDataString(UserId ?? "")}&result={Result}&pageNumber={page.ToString(CultureInfo.InvariantCulture)}";

    public async Task OnGetAsync(string? from, string? to, string? action, string? userId, string? result, int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (JapanTime.TryParseDate(from, out var fromDate))
        {
            From = fromDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var start = new DateTimeOffset(fromDate.ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (JapanTime.TryParseDate(to, out var toDate))
        {
            To = toDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var end = new DateTimeOffset(toDate.AddDays(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            query = query.Where(e => e.OccurredAt < end);
        }

        if (!string.IsNullOrWhiteSpace(action) && ActionLabels.ContainsKey(action))
        {
            Action = action;
            query = query.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(userId))
        {
            UserId = userId.Trim();
            // Actor is the ユーザーID as typed at the time; IDs differ by more than case (unique without regard to case).
            var typed = UserId;
            var lower = typed.ToLowerInvariant();
            var upper = typed.ToUpperInvariant();
            query = query.Where(e => e.Actor == typed || e.Actor == lower || e.Actor == upper);
        }

        if (result is "ok" or "ng")
        {
            Result = result;
            var succeeded = result == "ok";
            query = query.Where(e => e.Succeeded == succeeded);
        }

        var total = await query.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        var skip = (PageNumber - 1) * PageSize;
        var entries = await query.OrderByDescending(e => e.Id).Skip(skip).Take(PageSize).ToListAsync(cancellationToken);
        Rows = [.. entries.Select(e => new Row(JapanTime.Format(e.OccurredAt), e.Actor, ActionLabels.TryGetValue(e.Action, out var label) ? label : e.Action, e.Action,
            e.Target ?? "", e.Detail ?? "", e.Succeeded))];
        RangeText = total == 0 ? "0件表示" : string.Create(CultureInfo.InvariantCulture, $"{skip + 1}-{skip + Rows.Count}件表示 (全{total}件)");
    }
}
