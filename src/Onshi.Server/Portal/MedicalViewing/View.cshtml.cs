using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Consent;
using Onshi.Server.MedicalViewing;

namespace Onshi.Server.Portal.MedicalViewing;

/// <summary>医療情報閲覧 (医療情報閲覧 accounts only, by folder policy and again in the operation).</summary>
public sealed class ViewModel(ViewMedicalInformation view) : PortalPageModel
{
    public MedicalInformationPage? Information { get; private set; }

    public Guid ConfirmationId { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid confirmationId, InformationType type, CancellationToken cancellationToken)
    {
        ConfirmationId = confirmationId;
        if (!Enum.IsDefined(type))
        {
            return NotFound();
        }

        var result = await view.ExecuteAsync(Actor, confirmationId, type, cancellationToken);
        if (!result.Succeeded)
        {
            Refusals.AddRange(result.Refusals);
            Response.StatusCode = result.Refusal == ViewMedicalInformation.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
            return Page();
        }

        Information = result.Value;
        return Page();
    }
}
