using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.MachineAccounts;

public sealed class CreateModel(CreateMachineAccount create) : PortalPageModel
{
    [BindProperty]
    public string? Label { get; set; }

    /// <summary>Set only in the response to the POST that created it; the secret is never retrievable again.</summary>
    public IssuedMachineCredentials? Issued { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await create.ExecuteAsync(Actor, Label, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        Issued = result.Value;
        return Page();
    }
}
