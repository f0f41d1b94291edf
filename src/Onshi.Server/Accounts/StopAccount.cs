using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

/// <summary>
/// 利用停止: an administrator stops an account at once (e.g. the person left). It can no longer log in and its open
/// sessions end on their next request. Stopping is permanent; a returning person gets a new account, so the audit
/// trail of the old one stays unambiguous.
/// </summary>
public sealed class StopAccount(AppDbContext db, AuditLog audit, TimeProvider time)
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

        if (account.StoppedAt is not null)
        {
            return OperationResult<Account>.Fail(Refusals.AccountStopped);
        }

        account.StoppedAt = time.GetUtcNow();
        account.SecurityStamp = Guid.NewGuid();
        audit.Add(actor, account.InstitutionId, "account.stopped", $"account:{account.Id}");
        return await AdministeredAccount.TrySaveAsync(db, account, cancellationToken).ConfigureAwait(false)
            ? OperationResult<Account>.Ok(account)
            : OperationResult<Account>.Fail(Refusals.AccountChangedConcurrently);
    }
}
