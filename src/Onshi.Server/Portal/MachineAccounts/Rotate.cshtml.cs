using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.MachineAccounts;

/// <summary>シークレット再発行: GET asks for confirmation, POST replaces the secret and shows the new one once.</summary>
public sealed class RotateModel(AppDbContext db, RotateMachineSecret rotate) : PortalPageModel
{
    [BindProperty]
    public int Id { get; set; }

    [BindProperty]
    public Guid Version { get; set; }

    public string? Label { get; private set; }

    public IssuedMachineCredentials? Issued { get; private set; }

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

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await rotate.ExecuteAsync(Actor, Id, Version, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Refusal == ReceiptRefusals.MachineAccountNotFound ? NotFound() : Refuse(result.Refusals);
        }

        Issued = result.Value;
        return Page();
    }
}
