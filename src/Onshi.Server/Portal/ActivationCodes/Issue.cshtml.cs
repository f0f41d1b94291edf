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
        // Shown once after the redirect of the POST: TempData is read (and deleted) here, so a reload shows the form.
        if (TempData["IssuedCode"] is string code)
        {
            IssuedCode = code;
            Label = TempData["IssuedLabel"] as string;
            ExpiresAt = TempData["IssuedExpiresAt"] as string;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await issue.ExecuteAsync(Actor, Label, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        // POST-redirect-GET: reloading the result must not issue another code.
        TempData["IssuedCode"] = result.Value!.Code;
        TempData["IssuedLabel"] = result.Value.Record.Label;
        TempData["IssuedExpiresAt"] = JapanTime.Format(result.Value.Record.ExpiresAt);
        return RedirectToPage();
    }
}
