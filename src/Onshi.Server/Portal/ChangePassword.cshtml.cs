using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Accounts;
using Onshi.Server.Auth;

namespace Onshi.Server.Portal;

public sealed class ChangePasswordModel(ChangePassword changePassword, PasswordPolicy policy, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public int MinimumLength => policy.MinimumLength;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await changePassword.ExecuteAsync(Actor, new PasswordChangeRequest(CurrentPassword, NewPassword, ConfirmPassword), initial: false, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(result.Value!, time.GetUtcNow()));
        TempData["Message"] = "パスワードを変更しました。";
        return RedirectToPage("/Index");
    }
}
