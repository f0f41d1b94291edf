using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Accounts;
using Onshi.Server.Auth;

namespace Onshi.Server.Portal;

public sealed class ChangeInitialPasswordModel(ChangePassword changePassword, PasswordPolicy policy, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public int MinimumLength => policy.MinimumLength;

    public IActionResult OnGet() =>
        User.HasClaim(c => c.Type == PortalClaims.MustChangePassword) ? Page() : RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await changePassword.ExecuteAsync(Actor, new PasswordChangeRequest(null, NewPassword, ConfirmPassword), initial: true, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        // The security stamp changed with the password: issue a fresh session for the same person.
        await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(result.Value!, time.GetUtcNow()));
        TempData["Message"] = "パスワードを変更しました。";
        return RedirectToPage("/Index");
    }
}
