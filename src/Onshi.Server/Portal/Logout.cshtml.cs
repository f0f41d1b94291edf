using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
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
        // Deleting the cookie in this browser is not enough: a copy of it (another machine, a proxy log) would stay valid
        // until it expires. A new security stamp makes every cookie issued before this moment fail validation.
        if (Actor.AccountId is { } accountId)
        {
            await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.SecurityStamp, Guid.NewGuid()), cancellationToken);
        }

        audit.Add(Actor, Actor.InstitutionId, "logout", Actor.AccountId is { } id ? $"account:{id}" : null);
        await db.SaveChangesAsync(cancellationToken);
        await HttpContext.SignOutAsync(PortalAuthentication.Scheme);
        return RedirectToPage("/Login");
    }
}
