using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Auth;
using Onshi.Server.Data;
using Onshi.Server.TwoFactor;

namespace Onshi.Server.Portal.TwoFactor;

/// <summary>
/// 二要素認証の設定: reached right after the password when the institution requires a factor the account lacks, or
/// from the menu by any fully signed-in person. Never while a code is owed: that would let a password alone replace
/// the factor.
/// </summary>
public sealed class EnrolModel(EnrolTwoFactor enrol, AppDbContext db, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public string? Token { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    /// <summary>Asked only when replacing an enrolled authenticator (EnrolTwoFactor.ConfirmAsync).</summary>
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? CurrentCode { get; set; }

    public string Secret { get; private set; } = "";

    public string OtpAuthUri { get; private set; } = "";

    public bool Required => Pending == "enrol";

    public bool AlreadyEnrolled { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public string ContinueUrl { get; private set; } = "/";

    private string? Pending => User.FindFirst(PortalClaims.SecondFactorPending)?.Value;

    private bool MayEnrol => Pending == "enrol" || (Pending is null && PortalAuthentication.IsFullySignedIn(User));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!MayEnrol || PortalClaims.AccountId(User) is not { } accountId)
        {
            return Pending == "verify" ? RedirectToPage("/TwoFactor/Verify") : RedirectToPage("/AccessDenied");
        }

        await ShowAsync(enrol.Begin(accountId, CurrentInstitutionCode, Actor.DisplayId), accountId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!MayEnrol || PortalClaims.AccountId(User) is not { } accountId)
        {
            return Pending == "verify" ? RedirectToPage("/TwoFactor/Verify") : RedirectToPage("/AccessDenied");
        }

        var result = await enrol.ConfirmAsync(Actor, Token, Code, CurrentPassword, CurrentCode, cancellationToken);
        if (!result.Succeeded)
        {
            var shown = enrol.Resume(accountId, Token, CurrentInstitutionCode, Actor.DisplayId) ?? enrol.Begin(accountId, CurrentInstitutionCode, Actor.DisplayId);
            await ShowAsync(shown, accountId, cancellationToken);
            return Refuse(result.Refusals);
        }

        // The security stamp rotated with the new factor: this session continues as a full one, other sessions end.
        var account = result.Value!.Account;
        await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(account, time.GetUtcNow()));
        RecoveryCodes = result.Value.RecoveryCodes;
        ContinueUrl = account.MustChangePassword ? "/ChangeInitialPassword" : "/";
        return Page();
    }

    private async Task ShowAsync(TwoFactorEnrolment enrolment, int accountId, CancellationToken cancellationToken)
    {
        Secret = enrolment.Base32Secret;
        OtpAuthUri = enrolment.OtpAuthUri;
        Token = enrolment.Token;
        AlreadyEnrolled = await db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == accountId, cancellationToken);
    }
}
