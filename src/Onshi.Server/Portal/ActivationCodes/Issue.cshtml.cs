using Microsoft.AspNetCore.Mvc;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Common;

namespace Onshi.Server.Portal.ActivationCodes;

public sealed class IssueModel(IssueActivationCode issue) : PortalPageModel
{
    [BindProperty]
    public string? Label { get; set; }

    /// <summary>Set only in the response to the POST that issued it; the code is never retrievable again.</summary>
    public string? IssuedCode { get; private set; }

    public string? ExpiresAt { get; private set; }

    public string InstitutionCodeText => CurrentInstitutionCode;

    public string InstitutionNameText => CurrentInstitutionName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await issue.ExecuteAsync(Actor, Label, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        IssuedCode = result.Value!.Code;
        Label = result.Value.Record.Label;
        ExpiresAt = JapanTime.Format(result.Value.Record.ExpiresAt);
        return Page();
    }
}
