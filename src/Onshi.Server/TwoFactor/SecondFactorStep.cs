using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Data;

namespace Onshi.Server.TwoFactor;

/// <summary>What a session still has to do after a correct password.</summary>
public enum SecondFactorStep
{
    /// <summary>Nothing: the account has no authenticator and none is required.</summary>
    None,

    /// <summary>Enter a code from the enrolled authenticator (or a recovery code).</summary>
    Verify,

    /// <summary>The institution requires two factors for this role and the account has none: enrol before anything else.</summary>
    Enrol,
}

public static class TwoFactorRequirement
{
    /// <summary>二要素認証を必須にする applies to these roles; 一般利用者 never sees medical information nor administers.</summary>
    public static bool AppliesTo(AccountRole role) => role is AccountRole.Administrator or AccountRole.MedicalInformationViewer;

    /// <summary>
    /// An account that enrolled always needs its second factor, whether or not the institution requires it; an account
    /// without one is sent to enrolment when its institution requires it for its role.
    /// </summary>
    public static async Task<SecondFactorStep> StepAfterPasswordAsync(AppDbContext db, Account account, CancellationToken cancellationToken)
    {
        // Right after the password nobody is signed in yet, so the institution filter is lifted with explicit ids.
        if (await db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == account.Id, cancellationToken).ConfigureAwait(false))
        {
            return SecondFactorStep.Verify;
        }

        var required = AppliesTo(account.Role) && await db.InstitutionSettings.IgnoreQueryFilters()
            .AnyAsync(s => s.InstitutionId == account.InstitutionId && s.RequireTwoFactor, cancellationToken).ConfigureAwait(false);
        return required ? SecondFactorStep.Enrol : SecondFactorStep.None;
    }
}
