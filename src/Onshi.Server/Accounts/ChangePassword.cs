using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword, string? ConfirmPassword);

/// <summary>
/// A signed-in person replaces their own password: either the one-time password at the first login (初回パスワード変更;
/// the session already proved it, so it is not asked again) or their current one (パスワード変更, which asks for it).
/// Completing the change marks the first login as done, which the app (issue 4) requires.
/// </summary>
public sealed class ChangePassword(AppDbContext db, PasswordHashing hashing, PasswordPolicy policy, AuditLog audit, TimeProvider time, AccountLockout lockout)
{
    public async Task<OperationResult<Account>> ExecuteAsync(Actor actor, PasswordChangeRequest request, bool initial, CancellationToken cancellationToken)
    {
        var account = actor.AccountId is { } id
            ? await db.Accounts.Include(a => a.Institution).SingleOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false)
            : null;
        if (account is null || account.StoppedAt is not null)
        {
            return OperationResult<Account>.Fail(Refusals.AccountNotFound);
        }

        if (!initial || !account.MustChangePassword)
        {
            // Someone holding only a session (an unlocked screen, a copied cookie) must not get unlimited guesses at the
            // password here: wrong current passwords count towards the same lockout as the login, a locked account's
            // password is not checked, and the failure that locks it also ends every session of the account.
            string? reason = null;
            if (account.IsLocked(time.GetUtcNow()))
            {
                hashing.SpendTimeAsIfVerifying(request.CurrentPassword ?? "");
                reason = "locked";
            }
            else if (string.IsNullOrEmpty(request.CurrentPassword) || hashing.Verify(account, request.CurrentPassword) == PasswordCheck.Wrong)
            {
                reason = await lockout.RecordFailureAsync(account.Id, countWhileLocked: false, cancellationToken).ConfigureAwait(false) switch
                {
                    FailureOutcome.NowLocked => "current_wrong_now_locked",
                    FailureOutcome.AlreadyLocked => "locked",
                    _ => "current_wrong",
                };
            }

            if (reason is not null)
            {
                if (reason == "current_wrong_now_locked")
                {
                    account.SecurityStamp = Guid.NewGuid();
                    account.Version = Guid.NewGuid();
                }

                await audit.RecordNowAsync(actor, account.InstitutionId, "account.password_change_refused", $"account:{account.Id}", reason, cancellationToken).ConfigureAwait(false);
                return OperationResult<Account>.Fail(Refusals.CurrentPasswordWrong);
            }
        }

        var refusals = policy.Check(request.NewPassword, account.UserId, account.Institution!.Code).ToList();
        if (refusals.Count == 0 && request.NewPassword != request.ConfirmPassword)
        {
            refusals.Add(Refusals.PasswordConfirmationMismatch);
        }

        if (refusals.Count == 0 && hashing.Verify(account, request.NewPassword!) != PasswordCheck.Wrong)
        {
            refusals.Add(Refusals.PasswordSameAsCurrent);
        }

        if (refusals.Count > 0)
        {
            return OperationResult<Account>.Fail(refusals);
        }

        var now = time.GetUtcNow();
        account.PasswordHash = hashing.Hash(account, request.NewPassword!);
        account.MustChangePassword = false;
        account.FirstLoginCompletedAt ??= now;
        account.SecurityStamp = Guid.NewGuid();
        account.Version = Guid.NewGuid();
        audit.Add(actor, account.InstitutionId, initial ? "account.initial_password_changed" : "account.password_changed", $"account:{account.Id}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<Account>.Ok(account);
    }
}
