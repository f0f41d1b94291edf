using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Onshi.App.Core.Flow;
using Onshi.App.Core.Results;
using Onshi.Core.Dates;

namespace Onshi.App.Pages;

/// <summary>
/// The one screen of the app: it renders the flow's current step, and every button posts to a handler that calls
/// the flow and redirects back (post/redirect/get, so reloading never repeats an action).
/// </summary>
public sealed class IndexModel(AppFlow flow, Hosting.PanelAccessor panel) : PageModel
{
    public AppFlow Flow { get; } = flow;

    /// <summary>This run has the demo reader panel (/Panel): the header links to it, as the demo banner says.</summary>
    public bool HasPanel => panel.Panel is not null;

    public ResultView? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await Flow.CheckIdleAsync(ct);
        if (Flow.Attempt?.Result is { } result && Flow.Step == FlowStep.Result)
        {
            Result = ResultView.From(result);
        }
    }

    public Task<IActionResult> OnPostSetupAsync(string? institutionCode, string? userId, string? password, string? activationCode, CancellationToken ct) =>
        Do(() => Flow.SetUpAsync(institutionCode ?? "", userId ?? "", password ?? "", activationCode ?? "", ct), ct);

    public Task<IActionResult> OnPostLoginAsync(string? userId, string? password, CancellationToken ct) =>
        Do(() => Flow.LogInAsync(userId ?? "", password ?? "", ct), ct);

    public Task<IActionResult> OnPostLogoutAsync(CancellationToken ct) => Do(() => Flow.LogOutAsync(null, ct), ct);

    public Task<IActionResult> OnPostForgetAsync(CancellationToken ct) => Do(() => Flow.ForgetDeviceAsync(ct), ct);

    public Task<IActionResult> OnPostPurposeAsync(string? purpose, CancellationToken ct) => Do(() => Flow.ChoosePurposeAsync(purpose ?? "", ct), ct);

    public Task<IActionResult> OnPostMethodAsync(string? method, CancellationToken ct) =>
        Do(() => Flow.ChooseMethodAsync(method == "visual" ? IdentificationMethod.Visual : IdentificationMethod.Pin, ct), ct);

    public Task<IActionResult> OnPostBackAsync(CancellationToken ct) => Do(() => Flow.GoBackAsync(ct), ct);

    public Task<IActionResult> OnPostReadCardAsync(CancellationToken ct) => Do(() => Flow.ReadCardAsync(ct), ct);

    public Task<IActionResult> OnPostPinAsync(string? pin, CancellationToken ct) => Do(() => Flow.EnterPinAsync(pin ?? "", ct), ct);

    public Task<IActionResult> OnPostCheckCodeAsync(int era, int year, int month, int day, int expiryYear, string? securityCode, bool foreign,
        CancellationToken ct) =>
        Do(() => Flow.EnterCheckCodeAsync(new CheckCodeEntry((JapaneseEra)era, year, month, day, expiryYear, securityCode ?? "", foreign), ct), ct);

    public Task<IActionResult> OnPostAttestAsync(bool matches, CancellationToken ct) => Do(() => Flow.AttestAsync(matches, ct), ct);

    public Task<IActionResult> OnPostComprehensiveAsync(bool all, CancellationToken ct) => Do(() => Flow.AnswerComprehensiveConsentAsync(all, ct), ct);

    public Task<IActionResult> OnPostConsentAsync(string? type, bool given, CancellationToken ct) => Do(() => Flow.AnswerConsentAsync(type ?? "", given, ct), ct);

    public Task<IActionResult> OnPostPrescriptionIssueAsync(string? issue, CancellationToken ct) => Do(() => Flow.AnswerPrescriptionIssueAsync(issue ?? "", ct), ct);

    public Task<IActionResult> OnPostRetryAsync(CancellationToken ct) => Do(() => Flow.RetrySendAsync(ct), ct);

    public Task<IActionResult> OnPostNextAsync(CancellationToken ct) => Do(() => Flow.NextPatientAsync(ct), ct);

    private async Task<IActionResult> Do(Func<Task> action, CancellationToken ct)
    {
        if (!await Flow.CheckIdleAsync(ct))
        {
            try
            {
                await action();
            }
            catch (FlowStateException)
            {
                // A stale form (second tab, double tap, back button): show the screen the flow is really on.
            }
        }

        return RedirectToPage();
    }
}
