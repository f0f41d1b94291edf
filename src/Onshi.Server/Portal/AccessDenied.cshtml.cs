using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Auth;

namespace Onshi.Server.Portal;

public sealed class AccessDeniedModel : PortalPageModel
{
    public IActionResult OnGet()
    {
        // Somebody whose password was right but who still owes the second factor is sent to that step.
        if (User.FindFirst(PortalClaims.SecondFactorPending)?.Value is { } pending)
        {
            return RedirectToPage(pending == "enrol" ? "/TwoFactor/Enrol" : "/TwoFactor/Verify");
        }

        // Somebody still holding a one-time password is sent to change it instead of being told "no".
        if (User.HasClaim(c => c.Type == PortalClaims.MustChangePassword))
        {
            return RedirectToPage("/ChangeInitialPassword");
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
