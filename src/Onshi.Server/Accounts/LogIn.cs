using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

public sealed record LoginRequest(string? InstitutionCode, string? UserId, string? Password);

/// <summary>
/// Checks 機関コード + ユーザID + パスワード. Every failure returns the same <see cref="Refusals.LoginFailed"/>, so the
/// screen never tells an attacker whether an ID exists, is locked, stopped or out of its period; the audit log records
/// the real reason. Wrong passwords count towards a lockout.
/// </summary>
public sealed class LogIn(AppDbContext db, PasswordHashing hashing, AuditLog audit, TimeProvider time, AccountLockout lockout, Hosting.OnshiMetrics metrics)
{
    public async Task<OperationResult<Account>> ExecuteAsync(LoginRequest request, CancellationToken cancellationToken)
    {
        var code = request.InstitutionCode?.Trim() ?? "";
        var userId = request.UserId?.Trim() ?? "";
        var password = request.Password ?? "";
        var anonymous = new Actor(null, null, null, userId.Length > 40 ? userId[..40] : userId);

        // Login necessarily looks across institutions: nobody is signed in yet, so the institution filter is lifted here only.
        var normalized = AccountFieldRules.NormalizeUserId(userId);
        var account = await db.Accounts.IgnoreQueryFilters().Include(a => a.Institution)
            .SingleOrDefaultAsync(a => a.Institution!.Code == code && a.NormalizedUserId == normalized, cancellationToken).ConfigureAwait(false);
        if (account is null || password.Length == 0)
        {
            hashing.SpendTimeAsIfVerifying(password);
            var institutionId = await db.Institutions.Where(i => i.Code == code).Select(i => (int?)i.Id).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return await FailAsync(anonymous, institutionId, null, institutionId is null ? "unknown_institution" : account is null ? "unknown_user" : "empty_password", cancellationToken).ConfigureAwait(false);
        }

        var actor = new Actor(account.Id, account.InstitutionId, account.Role, account.UserId);
        var now = time.GetUtcNow();
        if (account.StoppedAt is not null)
        {
            hashing.SpendTimeAsIfVerifying(password);
            return await FailAsync(actor, account.InstitutionId, account, "stopped", cancellationToken).ConfigureAwait(false);
        }

        if (account.IsLocked(now))
        {
            // No verification while locked: a locked account must not become an oracle for guessing.
            hashing.SpendTimeAsIfVerifying(password);
            return await FailAsync(actor, account.InstitutionId, account, "locked", cancellationToken).ConfigureAwait(false);
        }

        var check = hashing.Verify(account, password);
        if (check == PasswordCheck.Wrong)
        {
            var outcome = await lockout.RecordFailureAsync(account.Id, countWhileLocked: false, cancellationToken).ConfigureAwait(false);
            var reason = outcome switch
            {
                FailureOutcome.NowLocked => "wrong_password_now_locked",
                FailureOutcome.AlreadyLocked => "locked",
                _ => "wrong_password",
            };
            return await FailAsync(actor, account.InstitutionId, account, reason, cancellationToken).ConfigureAwait(false);
        }

        if (!account.IsWithinPeriod(JapanTime.Today(time)))
        {
            return await FailAsync(actor, account.InstitutionId, account, "outside_period", cancellationToken).ConfigureAwait(false);
        }

        if (check == PasswordCheck.CorrectButRehash)
        {
            account.PasswordHash = hashing.Hash(account, password);
        }

        // With a second factor enrolled the password alone proves too little to clear the failure count: otherwise
        // someone holding the password could guess codes forever by logging in again before the lockout. The count is
        // cleared by VerifySecondFactor instead.
        if (!await db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == account.Id, cancellationToken).ConfigureAwait(false))
        {
            account.ConsecutiveFailedLogins = 0;
        }

        account.LockedUntil = null;
        account.LastLoginAt = now;
        account.Version = Guid.NewGuid();
        audit.Add(actor, account.InstitutionId, "login.succeeded", $"account:{account.Id}", account.MustChangePassword ? "must_change_password" : null);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<Account>.Ok(account);
    }

    private async Task<OperationResult<Account>> FailAsync(Actor actor, int? institutionId, Account? account, string reason, CancellationToken cancellationToken)
    {
        metrics.LoginFailed("password");
        await audit.RecordNowAsync(actor, institutionId, "login.failed", account is null ? null : $"account:{account.Id}", reason, cancellationToken).ConfigureAwait(false);
        return OperationResult<Account>.Fail(Refusals.LoginFailed);
    }
}
