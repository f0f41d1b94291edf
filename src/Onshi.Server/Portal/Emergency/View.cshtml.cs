using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Consent;
using Onshi.Server.Emergency;
using Onshi.Server.MedicalViewing;

namespace Onshi.Server.Portal.Emergency;

/// <summary>医療情報閲覧 under a recorded emergency consent (医療情報閲覧 accounts only, by page policy and in EmergencyLookup).</summary>
public sealed class ViewModel(EmergencyLookup lookup) : PortalPageModel
{
    public MedicalInformationPage? Information { get; private set; }

    public EmergencyConsent? Consent { get; private set; }

    public IReadOnlyList<InformationType> Types { get; private set; } = [];

    public Guid ConsentId { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid consentId, InformationType type, CancellationToken cancellationToken)
    {
        ConsentId = consentId;
        if (!Enum.IsDefined(type))
        {
            return NotFound();
        }

        var result = await lookup.ViewAsync(Actor, consentId, type, cancellationToken);
        if (!result.Succeeded)
        {
            Refusals.AddRange(result.Refusals);
            Response.StatusCode = result.Refusal == EmergencyLookup.ConsentNotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
            return Page();
        }

        Information = result.Value;
        if (await lookup.UsableConsentAsync(Actor, consentId, cancellationToken) is { } usable)
        {
            Consent = usable.Consent;
            Types = usable.Types;
        }

        return Page();
    }
}
