using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.ActivationCodes;

/// <summary>The confirmation step before 無効化する: GET shows what will be invalidated, POST does it.</summary>
public sealed class InvalidateModel(AppDbContext db, InvalidateActivationCode invalidate) : PortalPageModel
{
    public sealed record Summary(int Id, string Label, string StatusText, string IssuedAt, Guid Version);

    public Summary? Code { get; private set; }

    [BindProperty]
    public int Id { get; set; }

    [BindProperty]
    public Guid Version { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Code!.StatusText == "無効")
        {
            Refusals.Add(Common.Refusals.ActivationCodeAlreadyInvalidated);
            Code = null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await invalidate.ExecuteAsync(Actor, Id, Version, cancellationToken);
        if (!result.Succeeded)
        {
            if (result.Refusal == Common.Refusals.ActivationCodeNotFound)
            {
                return NotFound();
            }

            return Refuse(result.Refusals);
        }

        TempData["InvalidatedLabel"] = result.Value!.Label;
        return RedirectToPage("/ActivationCodes/Index");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var code = await db.ActivationCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (code is null)
        {
            return false;
        }

        var status = code.Status switch
        {
            ActivationCodeStatus.InUse => "使用中",
            ActivationCodeStatus.Invalidated => "無効",
            _ => "未使用",
        };
        Code = new Summary(code.Id, code.Label, status, JapanTime.Format(code.IssuedAt), code.Version);
        return true;
    }
}
