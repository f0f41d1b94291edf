using Microsoft.AspNetCore.Mvc.RazorPages;
using Onshi.Server.Auth;
using Onshi.Server.Common;

namespace Onshi.Server.Portal;

/// <summary>Shared by portal pages: the signed-in actor and the refusals to show on the page.</summary>
public abstract class PortalPageModel : PageModel
{
    public List<Refusal> Refusals { get; } = [];

    protected Actor Actor => Actor.From(User);

    public bool HasErrorFor(string field) => Refusals.Any(r => r.Field == field);

    protected PageResult Refuse(IEnumerable<Refusal> refusals)
    {
        Refusals.AddRange(refusals);
        Response.StatusCode = Refusals.Any(r => r.Forbids) ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    protected string CurrentInstitutionCode => User.FindFirst(PortalClaims.InstitutionCode)?.Value ?? "";

    protected string CurrentInstitutionName => User.FindFirst(PortalClaims.InstitutionName)?.Value ?? "";
}
