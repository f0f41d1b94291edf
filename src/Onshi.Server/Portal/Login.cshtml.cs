using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Accounts;
using Onshi.Server.Auth;
using Onshi.Server.Data;
using Onshi.Server.TwoFactor;

namespace Onshi.Server.Portal;

public sealed class LoginModel(LogIn logIn, AppDbContext db, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public string? InstitutionCode { get; set; }

    [BindProperty]
    public string? UserId { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await logIn.ExecuteAsync(new LoginRequest(InstitutionCode, UserId, Password), cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        var account = result.Value!;
        switch (await TwoFactorRequirement.StepAfterPasswordAsync(db, account, cancellationToken))
        {
            case SecondFactorStep.Verify:
                await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(account, time.GetUtcNow(), "verify"));
                return RedirectToPage("/TwoFactor/Verify");
            case SecondFactorStep.Enrol:
                await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(account, time.GetUtcNow(), "enrol"));
                return RedirectToPage("/TwoFactor/Enrol");
        }

        await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(account, time.GetUtcNow()));
        return account.MustChangePassword ? RedirectToPage("/ChangeInitialPassword") : RedirectToPage("/Index");
    }
}
