using Microsoft.EntityFrameworkCore;
using Onshi.Jpki;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Consent;

/// <summary>
/// 同意取消: ends a patient's 訪問診療等 / オンライン診療等 consent to one information type at this institution, at once
/// and for good (a new consent needs a new confirmation). 外来 consent ends by itself after 24 hours.
/// </summary>
public sealed class WithdrawConsent(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public static readonly Refusal NotAllowed = new("consent.withdraw_not_allowed", "同意取消は「管理者」又は「医療情報閲覧」権限のアカウントのみ行えます。") { Forbids = true };
    public static readonly Refusal NothingToWithdraw = new("consent.nothing_to_withdraw", "取り消せる同意がありません。");

    public async Task<OperationResult<int>> ExecuteAsync(Actor actor, long personId, InformationType type, AuthenticationPurpose purpose, CancellationToken cancellationToken)
    {
        if (actor.Role is not (AccountRole.Administrator or AccountRole.MedicalInformationViewer) || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<int>.Fail(NotAllowed);
        }

        if (purpose == AuthenticationPurpose.Outpatient)
        {
            return OperationResult<int>.Fail(NothingToWithdraw);
        }

        var now = time.GetUtcNow();
        var open = await db.ConsentRecords.Where(c => c.InstitutionId == institutionId && c.PersonId == personId && c.InformationType == type && c.Purpose == purpose && c.Given && c.WithdrawnAt == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return OperationResult<int>.Fail(NothingToWithdraw);
        }

        foreach (var record in open)
        {
            record.WithdrawnAt = now;
            record.WithdrawnByAccountId = actor.AccountId;
        }

        audit.Add(actor, institutionId, "consent.withdrawn", $"person:{personId}", $"type={type} purpose={purpose}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<int>.Ok(open.Count);
    }
}
