using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.TwoFactor;

/// <summary>The account after its second factor, and how many recovery codes are left when one was just used.</summary>
public sealed record SecondFactorVerified(Account Account, int? RemainingRecoveryCodes);

/// <summary>
/// The second login step: a 6-digit TOTP code (current step ±1) or a one-time recovery code. A time step already
/// accepted is refused (replay), failures count towards the same lockout as wrong passwords, a locked account's code
/// is not even checked, and every failure and every recovery-code use is audited with its real reason while the
/// screen shows one message.
/// </summary>
public sealed class VerifySecondFactor(AppDbContext db, TwoFactorSecrets secrets, IPasswordHasher<Account> hasher, AuditLog audit, TimeProvider time, AccountLockout lockout, Hosting.OnshiMetrics metrics)
{
    public async Task<OperationResult<SecondFactorVerified>> ExecuteAsync(int accountId, string? code, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.IgnoreQueryFilters().Include(a => a.Institution).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<SecondFactorVerified>.Fail(Refusals.TwoFactorFailed);
        }

        var actor = new Actor(account.Id, account.InstitutionId, account.Role, account.UserId);
        var now = time.GetUtcNow();
        if (account.StoppedAt is not null || account.IsLocked(now))
        {
            return await FailAsync(actor, account, account.StoppedAt is not null ? "stopped" : "locked", count: false, cancellationToken).ConfigureAwait(false);
        }

        var credential = await db.TwoFactorCredentials.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken).ConfigureAwait(false);
        if (credential is null)
        {
            return await FailAsync(actor, account, "not_enrolled", count: false, cancellationToken).ConfigureAwait(false);
        }

        var input = (code ?? "").Normalize(NormalizationForm.FormKC).Trim();
        int? remaining = null;
        if (input.Replace(" ", "", StringComparison.Ordinal) is { Length: 6 } digits && digits.All(char.IsAsciiDigit))
        {
            if (secrets.Unprotect(credential.ProtectedSecret) is not { } secret)
            {
                metrics.LoginFailed("second_factor");
        await audit.RecordNowAsync(actor, account.InstitutionId, "two_factor.failed", $"account:{account.Id}", "secret_unreadable", cancellationToken).ConfigureAwait(false);
                return OperationResult<SecondFactorVerified>.Fail(Refusals.TwoFactorSecretUnreadable);
            }

            if (secrets.MatchStep(secret, digits) is not { } step)
            {
                return await FailAsync(actor, account, "wrong_code", count: true, cancellationToken).ConfigureAwait(false);
            }

            if (step <= credential.LastUsedTimeStep)
            {
                return await FailAsync(actor, account, "replayed_code", count: true, cancellationToken).ConfigureAwait(false);
            }

            credential.LastUsedTimeStep = step;
            audit.Add(actor, account.InstitutionId, "two_factor.verified", $"account:{account.Id}", "totp");
        }
        else
        {
            var normalized = RecoveryCodes.Normalize(input);
            var unused = await db.RecoveryCodes.IgnoreQueryFilters().Where(c => c.AccountId == accountId && c.UsedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
            var match = normalized is null ? null : unused.FirstOrDefault(c => hasher.VerifyHashedPassword(account, c.Hash, normalized) != PasswordVerificationResult.Failed);
            if (match is null)
            {
                return await FailAsync(actor, account, "wrong_recovery_code", count: true, cancellationToken).ConfigureAwait(false);
            }

            match.UsedAt = now;
            remaining = unused.Count - 1;
            audit.Add(actor, account.InstitutionId, "two_factor.recovery_code_used", $"account:{account.Id}", $"remaining={remaining}");
        }

        account.ConsecutiveFailedLogins = 0;
        account.LockedUntil = null;
        account.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The same code (or recovery code) submitted twice at the same instant: only one submission wins.
            db.ChangeTracker.Clear();
            return OperationResult<SecondFactorVerified>.Fail(Refusals.TwoFactorFailed);
        }

        return OperationResult<SecondFactorVerified>.Ok(new SecondFactorVerified(account, remaining));
    }

    private async Task<OperationResult<SecondFactorVerified>> FailAsync(Actor actor, Account account, string reason, bool count, CancellationToken cancellationToken)
    {
        if (count)
        {
            reason = await lockout.RecordFailureAsync(account.Id, countWhileLocked: false, cancellationToken).ConfigureAwait(false) switch
            {
                FailureOutcome.NowLocked => reason + "_now_locked",
                FailureOutcome.AlreadyLocked => "locked",
                _ => reason,
            };
        }

        metrics.LoginFailed("second_factor");
        await audit.RecordNowAsync(actor, account.InstitutionId, "two_factor.failed", $"account:{account.Id}", reason, cancellationToken).ConfigureAwait(false);
        return OperationResult<SecondFactorVerified>.Fail(Refusals.TwoFactorFailed);
    }
}
