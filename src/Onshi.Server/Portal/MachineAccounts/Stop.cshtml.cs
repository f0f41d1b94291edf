using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.MachineAccounts;

/// <summary>利用停止: GET asks for confirmation, POST stops the account (final).</summary>
public sealed class StopModel(AppDbContext db, StopMachineAccount stop) : PortalPageModel
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

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await stop.ExecuteAsync(Actor, Id, Version, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Refusal == ReceiptRefusals.MachineAccountNotFound ? NotFound() : Refuse(result.Refusals);
        }

        TempData["Message"] = $"「{result.Value!.Label}」を利用停止しました。";
        return RedirectToPage("/MachineAccounts/Index");
    }
}
