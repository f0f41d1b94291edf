using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Data;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.MachineAccounts;

/// <summary>利用停止: GET asks for confirmation, POST stops the account (final).</summary>
public sealed class StopModel(AppDbContext db, StopMachineAccount stop) : MachineAccountConfirmationPage(db)
{
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
