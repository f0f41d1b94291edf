using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Accounts;
using Onshi.Server.Consent;
using Onshi.Server.Emergency;
using Onshi.Server.Insurance;
using Onshi.Server.Printing;

namespace Onshi.Server.Portal.Emergency;

/// <summary>
/// 緊急時医療情報・資格確認: search by 氏名（カナ）・生年月日・性別, choose the patient, see the qualification, and (医療情報閲覧
/// accounts) record the oral consent that opens /Emergency/View. Every step re-runs the search (EmergencyLookup).
/// </summary>
public sealed class SearchModel(EmergencyLookup lookup, EmergencyMode mode, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public EmergencySearchInput Input { get; set; } = new();

    [BindProperty]
    public long PersonId { get; set; }

    [BindProperty]
    public string? GivenBy { get; set; }

    [BindProperty]
    public List<InformationType> Types { get; set; } = [];

    [BindProperty]
    public string? Note { get; set; }

    public EmergencyActivation? Current { get; private set; }

    public IReadOnlyList<PersonCandidate>? Persons { get; private set; }

    public PersonCandidate? Chosen { get; private set; }

    public ResultSheet? Sheet { get; private set; }

    public bool MayViewMedicalInformation => Actor.Role == AccountRole.MedicalInformationViewer;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await lookup.SearchAsync(Actor, Input, cancellationToken);
        await LoadAsync(cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        Persons = result.Value!.Persons;
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        var result = await lookup.ConfirmAsync(Actor, Input, PersonId, cancellationToken);
        await LoadAsync(cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        var confirmation = result.Value!;
        Chosen = confirmation.Person;
        Sheet = ResultSheet.FromQualificationResult(
            $"【緊急時】資格確認結果（{ResultSheet.DateText(Common.JapanTime.Today(time))} 時点・カードによる本人確認なし）", confirmation.Result);
        return Page();
    }

    public async Task<IActionResult> OnPostConsentAsync(CancellationToken cancellationToken)
    {
        var result = await lookup.RecordConsentAsync(Actor, Input, PersonId, GivenBy, Types, Note, cancellationToken);
        if (!result.Succeeded)
        {
            await LoadAsync(cancellationToken);
            return Refuse(result.Refusals);
        }

        var consent = result.Value!;
        var first = consent.InformationTypes.Split(',')[0];
        return Redirect($"/Emergency/View?consentId={consent.Id}&type={(InformationType)int.Parse(first, System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Current = await mode.CurrentAsync(Actor.InstitutionId!.Value, cancellationToken);
}
