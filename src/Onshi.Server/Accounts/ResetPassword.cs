using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

/// <summary>
/// パスワード初期化: the administrator gives an account a new one-time password (for a forgotten password). It also
/// clears a lock, ends the holder's sessions, and forces a change at the next login. Not for one's own account
/// (use パスワード変更), so an administrator's own password is always one only they know.
/// </summary>
public sealed class ResetPassword(AppDbContext db, PasswordHashing hashing, AuditLog audit)
{
    public async Task<OperationResult<string>> ExecuteAsync(Actor actor, int accountId, CancellationToken cancellationToken)
    {
        var (refusal, account) = await AdministeredAccount.LoadAsync(db, actor, accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<string>.Fail(refusal!);
        }

        if (account.Id == actor.AccountId)
        {
            return OperationResult<string>.Fail(Refusals.CannotChangeOwnAccount);
        }

        if (account.StoppedAt is not null)
        {
            return OperationResult<string>.Fail(Refusals.AccountStopped);
        }

        var password = OneTimePasswords.Generate();
        account.PasswordHash = hashing.Hash(account, password);
        account.MustChangePassword = true;
        account.ConsecutiveFailedLogins = 0;
        account.LockedUntil = null;
        account.SecurityStamp = Guid.NewGuid();
        audit.Add(actor, account.InstitutionId, "account.password_reset", $"account:{account.Id}");
        return await AdministeredAccount.TrySaveAsync(db, account, cancellationToken).ConfigureAwait(false)
            ? OperationResult<string>.Ok(password)
            : OperationResult<string>.Fail(Refusals.AccountChangedConcurrently);
    }
}
