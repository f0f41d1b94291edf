using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Data;

namespace Onshi.Server.Portal;

public sealed class LogoutModel(AuditLog audit, AppDbContext db) : PortalPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        audit.Add(Actor, Actor.InstitutionId, "logout", Actor.AccountId is { } id ? $"account:{id}" : null);
        await db.SaveChangesAsync(cancellationToken);
        await HttpContext.SignOutAsync(PortalAuthentication.Scheme);
        return RedirectToPage("/Login");
    }
}
