using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.TwoFactor;

/// <summary>
/// 二要素認証のリセット: the 管理者 removes another account's authenticator and recovery codes when that person lost
/// both (a new phone, no codes left). The account's sessions end (security stamp), and the next login sends the person
/// to enrolment again if the institution requires a second factor. Never on oneself: a session left open at the
/// terminal must not be able to drop its own factor.
/// </summary>
public sealed class ResetTwoFactor(AppDbContext db, AuditLog audit)
{
    public async Task<OperationResult<Account>> ExecuteAsync(Actor actor, int accountId, CancellationToken cancellationToken)
    {
        var (refusal, account) = await AdministeredAccount.LoadAsync(db, actor, accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<Account>.Fail(refusal!);
        }

        if (account.Id == actor.AccountId)
        {
            return OperationResult<Account>.Fail(Refusals.CannotChangeOwnAccount);
        }

        var credential = await db.TwoFactorCredentials.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.AccountId == account.Id, cancellationToken).ConfigureAwait(false);
        if (credential is null)
        {
            return OperationResult<Account>.Fail(Refusals.TwoFactorNotEnrolled);
        }

        db.TwoFactorCredentials.Remove(credential);
        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.IgnoreQueryFilters().Where(c => c.AccountId == account.Id).ToListAsync(cancellationToken).ConfigureAwait(false));
        account.SecurityStamp = Guid.NewGuid();
        audit.Add(actor, account.InstitutionId, "account.two_factor_reset", $"account:{account.Id}");
        return await AdministeredAccount.TrySaveAsync(db, account, cancellationToken).ConfigureAwait(false)
            ? OperationResult<Account>.Ok(account)
            : OperationResult<Account>.Fail(Refusals.AccountChangedConcurrently);
    }
}
