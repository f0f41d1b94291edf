using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Settings;

namespace Onshi.Server.AppSessions;

/// <summary>A staff member who may use the app, with the settings of their institution.</summary>
public sealed record StaffMember(Account Account, InstitutionSettings Settings)
{
    /// <summary>
    /// Whether a success may clear the failure count: never for an account with a second factor, whose count also holds
    /// wrong codes that the password alone must not wipe (otherwise the app would reset code guessing on the portal).
    /// </summary>
    public bool PasswordClearsFailures { get; init; }
}

/// <summary>
/// The account rules of the app (activation and staff login), in the order docs/app-api.md fixes: credentials first
/// (one generic refusal for unknown institution/user, wrong password, stopped account), and only then anything that
/// reveals the account's state. Wrong passwords count towards the same lockout as the portal's. See readme.md for
/// why a locked account is verified a limited number of times.
/// </summary>
public sealed class CheckStaffCredentials(AppDbContext db, PasswordHashing hashing, AuditLog audit, TimeProvider time, IOptions<AccountOptions> options, AccountLockout lockout)
{
    /// <summary>
    /// Checks the staff member. <paramref name="institutionCode"/> is the 機関コード typed at activation;
    /// <paramref name="institutionId"/> is the device's institution at staff login (exactly one of them is used).
    /// </summary>
    public async Task<OperationResult<StaffMember>> ExecuteAsync(string? institutionCode, int? institutionId, string? userId, string? password, string action, CancellationToken cancellationToken)
    {
        userId = userId?.Trim() ?? "";
        password ??= "";
        var code = institutionCode?.Trim() ?? "";
        var normalized = AccountFieldRules.NormalizeUserId(userId.Length > 40 ? userId[..40] : userId);
        var anonymous = new Actor(null, institutionId, null, userId.Length > 40 ? userId[..40] : userId);

        // The app is not a portal session: the institution comes from the request or the device, never from a cookie.
        var query = db.Accounts.IgnoreQueryFilters().Include(a => a.Institution).Where(a => a.NormalizedUserId == normalized);
        query = institutionId is { } id ? query.Where(a => a.InstitutionId == id) : query.Where(a => a.Institution!.Code == code);
        var account = password.Length is 0 or > 1024 ? null : await query.SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (account is null || account.StoppedAt is not null)
        {
            hashing.SpendTimeAsIfVerifying(password.Length > 1024 ? "" : password);
            await audit.RecordNowAsync(anonymous, account?.InstitutionId ?? institutionId, action + "_refused", account is null ? null : $"account:{account.Id}", account is null ? "unknown_user" : "stopped", cancellationToken).ConfigureAwait(false);
            return OperationResult<StaffMember>.Fail(AppSessionRefusals.CredentialsInvalid);
        }

        var actor = new Actor(account.Id, account.InstitutionId, account.Role, account.UserId);
        var now = time.GetUtcNow();
        var locked = account.IsLocked(now);
        if (locked && account.ConsecutiveFailedLogins >= options.Value.MaxConsecutiveFailedLogins)
        {
            // Verifying while locked lets the app say "locked" to the real owner, but only for as many guesses as one
            // unlocked period allows; after that the locked account is no oracle at all.
            hashing.SpendTimeAsIfVerifying(password);
            return await RefuseAsync(action, actor, account, AppSessionRefusals.CredentialsInvalid, "locked_no_more_checks", cancellationToken).ConfigureAwait(false);
        }

        var check = hashing.Verify(account, password);
        if (check == PasswordCheck.Wrong)
        {
            var reason = await lockout.RecordFailureAsync(account.Id, countWhileLocked: true, cancellationToken).ConfigureAwait(false) switch
            {
                FailureOutcome.NowLocked when !locked => "wrong_password_now_locked",
                FailureOutcome.AlreadyLocked => "locked_no_more_checks",
                _ => "wrong_password",
            };
            return await RefuseAsync(action, actor, account, AppSessionRefusals.CredentialsInvalid, reason, cancellationToken).ConfigureAwait(false);
        }

        if (locked)
        {
            return await RefuseAsync(action, actor, account, AppSessionRefusals.AccountLocked, "locked", cancellationToken).ConfigureAwait(false);
        }

        if (!account.IsWithinPeriod(JapanTime.Today(time)))
        {
            return await RefuseAsync(action, actor, account, AppSessionRefusals.AccountOutsidePeriod, "outside_period", cancellationToken).ConfigureAwait(false);
        }

        if (!account.HasCompletedFirstLogin || account.MustChangePassword)
        {
            return await RefuseAsync(action, actor, account, AppSessionRefusals.AccountNeverLoggedIn, "never_logged_in", cancellationToken).ConfigureAwait(false);
        }

        if (account.Role is not (AccountRole.General or AccountRole.MedicalInformationViewer))
        {
            return await RefuseAsync(action, actor, account, AppSessionRefusals.RoleNotAllowed, "role_not_allowed", cancellationToken).ConfigureAwait(false);
        }

        var settings = await db.InstitutionSettings.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(s => s.InstitutionId == account.InstitutionId, cancellationToken).ConfigureAwait(false);
        if (!settings.OutpatientFunction && !settings.HomeVisitFunction && !settings.OnlineCareFunction)
        {
            return await RefuseAsync(action, actor, account, AppSessionRefusals.NoPurposeEnabled, "no_purpose_enabled", cancellationToken).ConfigureAwait(false);
        }

        if (check == PasswordCheck.CorrectButRehash)
        {
            account.PasswordHash = hashing.Hash(account, password);
        }

        // The count is cleared only when the whole operation succeeds (ClearFailuresAsync), never here: a refusal
        // after this point (a wrong activation code, say) saves the audit line and must not save a cleared count.
        var passwordClearsFailures = !await db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == account.Id, cancellationToken).ConfigureAwait(false);
        return OperationResult<StaffMember>.Ok(new StaffMember(account, settings) { PasswordClearsFailures = passwordClearsFailures });
    }

    /// <summary>Called by activation and staff login once they succeeded.</summary>
    public async Task ClearFailuresAsync(StaffMember staff, CancellationToken cancellationToken)
    {
        if (staff.PasswordClearsFailures && staff.Account.ConsecutiveFailedLogins != 0)
        {
            await lockout.ClearAsync(staff.Account.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<OperationResult<StaffMember>> RefuseAsync(string action, Actor actor, Account account, Refusal refusal, string reason, CancellationToken cancellationToken)
    {
        await audit.RecordNowAsync(actor, account.InstitutionId, action + "_refused", $"account:{account.Id}", reason, cancellationToken).ConfigureAwait(false);
        return OperationResult<StaffMember>.Fail(refusal);
    }
}
