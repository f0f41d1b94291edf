using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Auth;

namespace Onshi.Server.Portal;

public sealed class AccessDeniedModel : PortalPageModel
{
    public IActionResult OnGet()
    {
        // Somebody still holding a one-time password is sent to change it instead of being told "no".
        if (User.HasClaim(c => c.Type == PortalClaims.MustChangePassword))
        {
            return RedirectToPage("/ChangeInitialPassword");
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
