using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.MachineAccounts;

/// <summary>
/// The GET half shared by the pages that change one machine account after a confirmation (再発行, 利用停止): show the
/// live account of the signed-in institution with the version the POST must still match; anything else is 404.
/// </summary>
public abstract class MachineAccountConfirmationPage(AppDbContext db) : PortalPageModel
{
    [BindProperty]
    public int Id { get; set; }

    [BindProperty]
    public Guid Version { get; set; }

    public string? Label { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var account = await db.MachineAccounts.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.StoppedAt == null, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        (Id, Version, Label) = (account.Id, account.Version, account.Label);
        return Page();
    }
}
