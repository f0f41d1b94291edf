using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Portal.InsuranceCards;

namespace Onshi.Server.Emergency;

/// <summary>
/// The switch of 緊急時医療情報・資格確認機能 for one institution: only its 管理者 turns it on, always with a reason and an
/// end no further than <see cref="EmergencyOptions.MaximumDays"/> away, and may end it early. Whether it is on is
/// decided here alone, from the injected clock, for every page and operation.
/// </summary>
public sealed class EmergencyMode(AppDbContext db, AuditLog audit, TimeProvider time, IOptions<EmergencyOptions> options)
{
    public static readonly Refusal NotAdministrator = new("emergency.role_not_allowed", "緊急時医療情報・資格確認機能の開始・終了は「管理者」権限のアカウントのみ行えます。") { Forbids = true };
    public static readonly Refusal Inactive = new("emergency.inactive", "緊急時医療情報・資格確認機能は利用期間外です（開始されていないか、終了日時を過ぎています）。") { Forbids = true };
    public static readonly Refusal AlreadyActive = new("emergency.already_active", "緊急時医療情報・資格確認機能はすでに利用中です。延長する場合はいったん終了してから開始してください。");

    /// <summary>The period in force now for the institution, or null.</summary>
    public async Task<EmergencyActivation?> CurrentAsync(int institutionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.EmergencyActivations.AsNoTracking()
            .Where(a => a.InstitutionId == institutionId && a.EndedAt == null && a.StartsAt <= now && a.EndsAt > now)
            .OrderByDescending(a => a.EndsAt)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// 開始: from now until 24:00 (JST) of <paramref name="endDateText"/>, which must be today or later and no more than
    /// MaximumDays from now. All fields are checked before anything is stored; one refusal per wrong field.
    /// </summary>
    public async Task<OperationResult<EmergencyActivation>> ActivateAsync(Actor actor, string? endDateText, string? reasonText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId || actor.AccountId is not { } accountId)
        {
            return OperationResult<EmergencyActivation>.Fail(NotAdministrator);
        }

        var now = time.GetUtcNow();
        var maximumDays = options.Value.MaximumDays;
        var refusals = new List<Refusal>();
        var endsAt = default(DateTimeOffset);
        if (string.IsNullOrWhiteSpace(endDateText))
        {
            refusals.Add(new Refusal("emergency.end_required", "終了日: 入力してください（最長" + maximumDays + "日）。", "EndDate"));
        }
        else if (!InsuranceCardQuery.TryParseStaffDate(endDateText, out var endDate))
        {
            refusals.Add(new Refusal("emergency.end_invalid", "終了日: 西暦の年月日を入力してください（例: 2025-06-10）。", "EndDate"));
        }
        else
        {
            // Stored in UTC: PostgreSQL's timestamptz accepts no other offset.
            endsAt = new DateTimeOffset(endDate.AddDays(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            if (endDate < JapanTime.Today(time))
            {
                refusals.Add(new Refusal("emergency.end_past", "終了日: 本日以降の日付を入力してください。", "EndDate"));
            }
            else if (endsAt - now > TimeSpan.FromDays(maximumDays))
            {
                refusals.Add(new Refusal("emergency.end_too_late", $"終了日: 開始から最長{maximumDays}日以内（{JapanTime.Format(JapanTime.Today(time).AddDays(maximumDays - 1))}まで）で入力してください。", "EndDate"));
            }
        }

        var reason = reasonText?.Trim() ?? "";
        if (reason.Length is 0 or > EmergencyOptions.ReasonLength)
        {
            refusals.Add(new Refusal("emergency.reason_invalid", reason.Length == 0 ? "理由: 災害名や障害の内容を入力してください。" : $"理由: {EmergencyOptions.ReasonLength}文字以内で入力してください。", "Reason"));
        }

        if (refusals.Count > 0)
        {
            return OperationResult<EmergencyActivation>.Fail(refusals);
        }

        if (await CurrentAsync(institutionId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return OperationResult<EmergencyActivation>.Fail(AlreadyActive);
        }

        var activation = new EmergencyActivation
        {
            InstitutionId = institutionId,
            StartsAt = now,
            EndsAt = endsAt,
            Reason = reason,
            ActivatedByAccountId = accountId,
            ActivatedBy = actor.DisplayId,
        };
        db.EmergencyActivations.Add(activation);
        audit.Add(actor, institutionId, "emergency.activated", "emergency", $"ends_at={endsAt:O} reason={reason}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<EmergencyActivation>.Ok(activation);
    }

    /// <summary>終了: ends the period in force now (if any) at once.</summary>
    public async Task<OperationResult<bool>> EndAsync(Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<bool>.Fail(NotAdministrator);
        }

        var now = time.GetUtcNow();
        var active = await db.EmergencyActivations
            .Where(a => a.InstitutionId == institutionId && a.EndedAt == null && a.StartsAt <= now && a.EndsAt > now)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var activation in active)
        {
            activation.EndedAt = now;
            activation.EndedBy = actor.DisplayId;
            audit.Add(actor, institutionId, "emergency.ended", "emergency", $"activation={activation.Id}");
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<bool>.Ok(active.Count > 0);
    }
}
