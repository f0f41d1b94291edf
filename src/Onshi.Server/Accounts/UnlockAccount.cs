using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

/// <summary>ロック解除: an administrator lifts a lockout caused by consecutive wrong passwords.</summary>
public sealed class UnlockAccount(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<Account>> ExecuteAsync(Actor actor, int accountId, CancellationToken cancellationToken)
    {
        var (refusal, account) = await AdministeredAccount.LoadAsync(db, actor, accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<Account>.Fail(refusal!);
        }

        if (!account.IsLocked(time.GetUtcNow()))
        {
            return OperationResult<Account>.Fail(Refusals.AccountNotLocked);
        }

        account.LockedUntil = null;
        account.ConsecutiveFailedLogins = 0;
        audit.Add(actor, account.InstitutionId, "account.unlocked", $"account:{account.Id}");
        return await AdministeredAccount.TrySaveAsync(db, account, cancellationToken).ConfigureAwait(false)
            ? OperationResult<Account>.Ok(account)
            : OperationResult<Account>.Fail(Refusals.AccountChangedConcurrently);
    }
}
