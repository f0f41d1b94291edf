using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Settings;

namespace Onshi.Server.Portal.Settings;

public sealed class EditModel(AppDbContext db, UpdateSettings updateSettings) : PortalPageModel
{
    [BindProperty]
    public bool OutpatientFunction { get; set; }

    [BindProperty]
    public bool HomeVisitFunction { get; set; }

    [BindProperty]
    public bool OnlineCareFunction { get; set; }

    [BindProperty]
    public bool OfferMedicationInformation { get; set; }

    [BindProperty]
    public bool OfferClinicalInformation { get; set; }

    [BindProperty]
    public bool OfferCheckupInformation { get; set; }

    [BindProperty]
    public bool OfferSurgeryInformation { get; set; }

    /// <summary>処方箋を発行する (医療機関; a 薬局 does not): the app then asks 処方箋の発行形態.</summary>
    [BindProperty]
    public bool IssuesPrescriptions { get; set; }

    /// <summary>二要素認証を必須にする (管理者 and 医療情報閲覧).</summary>
    [BindProperty]
    public bool RequireTwoFactor { get; set; }

    /// <summary>The version of the terms the box was ticked for; empty when not ticked.</summary>
    [BindProperty]
    public string? AgreeToTerms { get; set; }

    [BindProperty]
    public Guid Version { get; set; }

    public bool Saved { get; private set; }

    public bool ShowTerms { get; private set; }

    public string TermsVersion => TermsOfUse.Current.Version;

    public string TermsText => TermsOfUse.Current.Text;

    public string InstitutionCodeText => CurrentInstitutionCode;

    public string InstitutionNameText => CurrentInstitutionName;

    public (string Version, string By, string At)? LastAgreement { get; private set; }

    public IEnumerable<(string Name, string Label, bool Value)> InformationRows =>
    [
        (nameof(OfferMedicationInformation), "薬剤情報", OfferMedicationInformation),
        (nameof(OfferClinicalInformation), "診療情報", OfferClinicalInformation),
        (nameof(OfferCheckupInformation), "特定健診情報", OfferCheckupInformation),
        (nameof(OfferSurgeryInformation), "手術情報", OfferSurgeryInformation),
    ];

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        await LoadAsync(keepPosted: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var change = new SettingsChange(OutpatientFunction, HomeVisitFunction, OnlineCareFunction, OfferMedicationInformation,
            OfferClinicalInformation, OfferCheckupInformation, OfferSurgeryInformation, AgreeToTerms, Version, RequireTwoFactor,
            IssuesPrescriptions);
        var result = await updateSettings.ExecuteAsync(Actor, change, cancellationToken);
        if (!result.Succeeded)
        {
            ShowTerms = result.Refusals.Any(r => r.Field == "AgreeToTerms");
            await LoadAsync(keepPosted: true, cancellationToken);
            return Refuse(result.Refusals);
        }

        return RedirectToPage(new { saved = true });
    }

    private async Task LoadAsync(bool keepPosted, CancellationToken cancellationToken)
    {
        var settings = await db.InstitutionSettings.AsNoTracking().SingleAsync(cancellationToken);
        if (!keepPosted)
        {
            OutpatientFunction = settings.OutpatientFunction;
            HomeVisitFunction = settings.HomeVisitFunction;
            OnlineCareFunction = settings.OnlineCareFunction;
            OfferMedicationInformation = settings.OfferMedicationInformation;
            OfferClinicalInformation = settings.OfferClinicalInformation;
            OfferCheckupInformation = settings.OfferCheckupInformation;
            OfferSurgeryInformation = settings.OfferSurgeryInformation;
            RequireTwoFactor = settings.RequireTwoFactor;
            IssuesPrescriptions = settings.IssuesPrescriptions;
            Version = settings.Version;
        }

        var agreement = await db.TermsAgreements.AsNoTracking().OrderByDescending(t => t.AgreedAt)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { t.TermsVersion, t.AgreedAt, a.Name, a.UserId })
            .FirstOrDefaultAsync(cancellationToken);
        if (agreement is not null)
        {
            LastAgreement = (agreement.TermsVersion, $"{agreement.Name}({agreement.UserId})", JapanTime.Format(agreement.AgreedAt));
        }
    }
}
