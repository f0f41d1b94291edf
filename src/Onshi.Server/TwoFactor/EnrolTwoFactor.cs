using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.TwoFactor;

/// <summary>A secret shown on the enrolment page, not stored until its first code is confirmed.</summary>
public sealed record TwoFactorEnrolment(string Base32Secret, string OtpAuthUri, string Token);

/// <summary>The enrolled account and its recovery codes in clear — the only moment they exist outside their hashes.</summary>
public sealed record EnrolledTwoFactor(Account Account, IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// 二要素認証の登録. The secret travels in a protected, account-bound, 10-minute token until the holder proves with a
/// first code that the authenticator has it; only then is it stored (encrypted), with ten fresh recovery codes, and
/// the security stamp rotates so other sessions of the account must sign in again with the new factor.
/// </summary>
public sealed class EnrolTwoFactor(AppDbContext db, TwoFactorSecrets secrets, IPasswordHasher<Account> hasher, AuditLog audit, TimeProvider time,
    PasswordHashing hashing, AccountLockout lockout, VerifySecondFactor verify)
{
    public TwoFactorEnrolment Begin(int accountId, string institutionCode, string userId) =>
        Show(accountId, TwoFactorSecrets.NewSecret(), institutionCode, userId);

    /// <summary>Shows the same secret again after a wrong first code (null when the token expired or is not this account's).</summary>
    public TwoFactorEnrolment? Resume(int accountId, string? token, string institutionCode, string userId) =>
        secrets.UnprotectEnrolment(accountId, token) is { } secret ? Show(accountId, secret, institutionCode, userId) : null;

    /// <summary>
    /// Stores the new authenticator once its first code is right. Replacing an enrolled one also needs the current
    /// password and the current factor (a code of the old authenticator or a recovery code): a live session alone (an
    /// unlocked screen, a copied cookie) must not be able to move the second factor to an attacker's phone. Wrong
    /// answers count towards the lockout like at login.
    /// </summary>
    public async Task<OperationResult<EnrolledTwoFactor>> ConfirmAsync(Actor actor, string? token, string? code, string? currentPassword, string? currentCode, CancellationToken cancellationToken)
    {
        if (actor.AccountId is not { } accountId || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<EnrolledTwoFactor>.Fail(Refusals.NotSignedIn);
        }

        if (await db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == accountId, cancellationToken).ConfigureAwait(false)
            && await ReauthenticateAsync(actor, accountId, institutionId, currentPassword, currentCode, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return OperationResult<EnrolledTwoFactor>.Fail(refusal);
        }

        var secret = secrets.UnprotectEnrolment(accountId, token);
        if (secret is null)
        {
            await audit.RecordNowAsync(actor, institutionId, "two_factor.enrolment_failed", $"account:{accountId}", "enrolment_expired", cancellationToken).ConfigureAwait(false);
            return OperationResult<EnrolledTwoFactor>.Fail(Refusals.TwoFactorEnrolmentExpired);
        }

        if (secrets.MatchStep(secret, code ?? "") is not { } step)
        {
            await audit.RecordNowAsync(actor, institutionId, "two_factor.enrolment_failed", $"account:{accountId}", "wrong_code", cancellationToken).ConfigureAwait(false);
            return OperationResult<EnrolledTwoFactor>.Fail(Refusals.TwoFactorCodeWrong);
        }

        var account = await db.Accounts.IgnoreQueryFilters().Include(a => a.Institution)
            .SingleAsync(a => a.Id == accountId && a.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        var previous = await db.TwoFactorCredentials.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken).ConfigureAwait(false);
        if (previous is not null)
        {
            db.TwoFactorCredentials.Remove(previous);
        }

        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.IgnoreQueryFilters().Where(c => c.AccountId == accountId).ToListAsync(cancellationToken).ConfigureAwait(false));
        var now = time.GetUtcNow();
        db.TwoFactorCredentials.Add(new TwoFactorCredential
        {
            AccountId = accountId,
            InstitutionId = institutionId,
            ProtectedSecret = secrets.Protect(secret),
            EnabledAt = now,
            // The confirming code is spent: it cannot also serve as the next login's second factor.
            LastUsedTimeStep = step,
        });
        var codes = Enumerable.Range(0, RecoveryCodes.Count).Select(_ => RecoveryCodes.Generate()).ToList();
        foreach (var recoveryCode in codes)
        {
            db.RecoveryCodes.Add(new RecoveryCode { AccountId = accountId, InstitutionId = institutionId, Hash = hasher.HashPassword(account, RecoveryCodes.Normalize(recoveryCode)!) });
        }

        account.SecurityStamp = Guid.NewGuid();
        account.Version = Guid.NewGuid();
        audit.Add(actor, institutionId, "two_factor.enrolled", $"account:{accountId}", previous is null ? "first" : "replaced");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same account enrolled in another tab at the same moment: keep that one.
            db.ChangeTracker.Clear();
            return OperationResult<EnrolledTwoFactor>.Fail(Refusals.AccountChangedConcurrently);
        }

        return OperationResult<EnrolledTwoFactor>.Ok(new EnrolledTwoFactor(account, codes));
    }

    private async Task<Refusal?> ReauthenticateAsync(Actor actor, int accountId, int institutionId, string? currentPassword, string? currentCode, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
        var password = currentPassword ?? "";
        string? reason = null;
        if (account.IsLocked(time.GetUtcNow()))
        {
            hashing.SpendTimeAsIfVerifying(password);
            reason = "locked";
        }
        else if (password.Length is 0 or > 1024 || hashing.Verify(account, password) == PasswordCheck.Wrong)
        {
            reason = await lockout.RecordFailureAsync(accountId, countWhileLocked: false, cancellationToken).ConfigureAwait(false) switch
            {
                FailureOutcome.NowLocked => "current_password_wrong_now_locked",
                FailureOutcome.AlreadyLocked => "locked",
                _ => "current_password_wrong",
            };
        }

        if (reason is not null)
        {
            await audit.RecordNowAsync(actor, institutionId, "two_factor.enrolment_failed", $"account:{accountId}", reason, cancellationToken).ConfigureAwait(false);
            return Refusals.CurrentPasswordWrong;
        }

        // The current factor goes through the login's second step: same window, replay refusal, lockout and audit.
        var verified = await verify.ExecuteAsync(accountId, currentCode, cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        return verified.Succeeded ? null : Refusals.TwoFactorCurrentFactorWrong;
    }

    private TwoFactorEnrolment Show(int accountId, byte[] secret, string institutionCode, string userId) =>
        new(TwoFactorSecrets.Base32(secret), TwoFactorSecrets.OtpAuthUri(secret, institutionCode, userId), secrets.ProtectEnrolment(accountId, secret));
}
