using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Emergency;

namespace Onshi.Server.Portal.Emergency;

/// <summary>緊急時医療情報・資格確認機能の開始・終了 (管理者 only, by page policy and again in EmergencyMode).</summary>
public sealed class ActivateModel(EmergencyMode mode, TimeProvider time, Microsoft.Extensions.Options.IOptions<EmergencyOptions> options) : PortalPageModel
{
    [BindProperty]
    public string? EndDate { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public EmergencyActivation? Current { get; private set; }

    public int MaximumDays => options.Value.MaximumDays;

    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await mode.ActivateAsync(Actor, EndDate, Reason, cancellationToken);
        if (!result.Succeeded)
        {
            await LoadAsync(cancellationToken);
            return Refuse(result.Refusals);
        }

        TempData["Message"] = "緊急時医療情報・資格確認機能を開始しました。";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndAsync(CancellationToken cancellationToken)
    {
        var result = await mode.EndAsync(Actor, cancellationToken);
        if (!result.Succeeded)
        {
            await LoadAsync(cancellationToken);
            return Refuse(result.Refusals);
        }

        TempData["Message"] = result.Value ? "緊急時医療情報・資格確認機能を終了しました。" : "利用中の期間はありません。";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Today = Common.JapanTime.Today(time);
        Current = await mode.CurrentAsync(Actor.InstitutionId!.Value, cancellationToken);
    }
}
