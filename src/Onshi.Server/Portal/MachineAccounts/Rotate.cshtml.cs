using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Data;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.MachineAccounts;

/// <summary>シークレット再発行: GET asks for confirmation, POST replaces the secret and shows the new one once.</summary>
public sealed class RotateModel(AppDbContext db, RotateMachineSecret rotate) : MachineAccountConfirmationPage(db)
{
    public IssuedMachineCredentials? Issued { get; private set; }

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
