using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Settings;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Settings;

/// <summary>環境設定情報更新 and the 利用規約 agreement for 外来診療等(通常とは異なる動線)機能.</summary>
public abstract partial class SettingsTests(PortalFixture portal)
{
    private static List<KeyValuePair<string, string>> Settings(string version, bool outpatient, string? agree = null, bool medication = true, bool clinical = false, bool checkup = true, bool surgery = false)
    {
        var fields = Form(
            ("Version", version), ("OutpatientFunction", outpatient ? "true" : "false"), ("HomeVisitFunction", "false"), ("OnlineCareFunction", "false"),
            ("OfferMedicationInformation", medication ? "true" : "false"), ("OfferClinicalInformation", clinical ? "true" : "false"),
            ("OfferCheckupInformation", checkup ? "true" : "false"), ("OfferSurgeryInformation", surgery ? "true" : "false")).ToList();
        if (agree is not null)
        {
            fields.Add(new("AgreeToTerms", agree));
        }

        return fields;
    }

    private static string VersionOn(PortalPage page) => VersionField().Match(page.Html).Groups[1].Value;

    private static bool IsChecked(PortalPage page, string name, string value) =>
        Regex.IsMatch(page.Html, $"name=\"{name}\" value=\"{value}\" checked");

    [Fact]
    public async Task ANewInstitutionStartsWithTheDocumentedDefaults()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var page = await admin.GetAsync("/Settings/Edit");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(IsChecked(page, "OutpatientFunction", "false"));
        Assert.True(IsChecked(page, "HomeVisitFunction", "false"));
        Assert.True(IsChecked(page, "OnlineCareFunction", "false"));
        Assert.True(IsChecked(page, "OfferMedicationInformation", "true"));
        Assert.True(IsChecked(page, "OfferClinicalInformation", "false"));
        Assert.True(IsChecked(page, "OfferCheckupInformation", "true"));
        Assert.True(IsChecked(page, "OfferSurgeryInformation", "false"));
        Assert.Contains("オンライン資格確認等システム利用規約", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurningTheOutpatientFunctionOnWithoutAgreeingIsRefusedAndShowsTheTerms()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var form = await admin.GetAsync("/Settings/Edit");

        var refused = await admin.SubmitAsync("/Settings/Edit", Settings(VersionOn(form), outpatient: true));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(["settings.terms_not_agreed"], refused.Codes);
        Assert.Contains("<details class=\"terms terms-required\" open", refused.Html, StringComparison.Ordinal);
        Assert.Contains("第1条(目的)", refused.Text, StringComparison.Ordinal);

        var outdated = await admin.SubmitAsync("/Settings/Edit", Settings(VersionOn(form), outpatient: true, agree: "onshi-oqs-terms-2000-01"));
        Assert.Equal(["settings.terms_version_outdated"], outdated.Codes);

        var settings = await portal.QueryAsync(db => db.InstitutionSettings.IgnoreQueryFilters().SingleAsync(s => s.InstitutionId == institution.Id));
        Assert.False(settings.OutpatientFunction);
        Assert.Equal(0, await portal.QueryAsync(db => db.TermsAgreements.IgnoreQueryFilters().CountAsync(t => t.InstitutionId == institution.Id)));
    }

    [Fact]
    public async Task AgreeingRecordsWhoWhenAndWhichVersionAndTurningOffNeedsNoAgreement()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var form = await admin.GetAsync("/Settings/Edit");

        var on = await admin.SubmitAsync("/Settings/Edit", Settings(VersionOn(form), outpatient: true, agree: TermsOfUse.Current.Version, clinical: true));
        Assert.Equal(HttpStatusCode.Redirect, on.Status);
        var after = await admin.GetAsync(on.RedirectPath!);
        Assert.Contains("settings.updated", after.Codes);
        Assert.True(IsChecked(after, "OutpatientFunction", "true"));
        Assert.True(IsChecked(after, "OfferClinicalInformation", "true"));
        // People read the version as 2025年6月版; the id (onshi-oqs-terms-2025-06) is for the records, not the page.
        Assert.Contains(TermsOfUse.Current.Label, after.TestId("terms-agreement"), StringComparison.Ordinal);
        Assert.DoesNotContain(TermsOfUse.Current.Version, after.TestId("terms-agreement"), StringComparison.Ordinal);

        var agreement = await portal.QueryAsync(db => db.TermsAgreements.IgnoreQueryFilters().SingleAsync(t => t.InstitutionId == institution.Id));
        var adminId = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id).Select(a => a.Id).SingleAsync());
        Assert.Equal(TermsOfUse.Current.Version, agreement.TermsVersion);
        Assert.Equal(adminId, agreement.AccountId);
        Assert.Equal(portal.Time.GetUtcNow(), agreement.AgreedAt);

        var off = await admin.SubmitAsync("/Settings/Edit", Settings(VersionOn(after), outpatient: false));
        Assert.Equal(HttpStatusCode.Redirect, off.Status);
        Assert.False(await portal.QueryAsync(db => db.InstitutionSettings.IgnoreQueryFilters().Where(s => s.InstitutionId == institution.Id).Select(s => s.OutpatientFunction).SingleAsync()));

        var audit = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id && e.Action.StartsWith("settings") || e.Action == "terms.agreed" && e.InstitutionId == institution.Id).Select(e => e.Action + ":" + e.Detail).ToListAsync());
        Assert.Contains("terms.agreed:" + TermsOfUse.Current.Version, audit);
        Assert.Contains("settings.updated:outpatient=on clinical=on", audit);
        Assert.Contains("settings.updated:outpatient=off clinical=off", audit);
    }

    [Fact]
    public async Task TwoAdministratorsSavingTheSameFormCannotOverwriteEachOther()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var version = VersionOn(await admin.GetAsync("/Settings/Edit"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/Settings/Edit", Settings(version, outpatient: false, surgery: true))).Status);
        var stale = await admin.SubmitAsync("/Settings/Edit", Settings(version, outpatient: false, checkup: false));
        Assert.Equal(["settings.changed_concurrently"], stale.Codes);
    }

    [Fact]
    public async Task EachInstitutionSeesOnlyItsOwnSettings()
    {
        var mine = await portal.CreateInstitutionAsync();
        var theirs = await portal.CreateInstitutionAsync();
        using var myAdmin = await portal.AdministratorAsync(mine);
        using var theirAdmin = await portal.AdministratorAsync(theirs);
        var version = VersionOn(await theirAdmin.GetAsync("/Settings/Edit"));
        await theirAdmin.SubmitAsync("/Settings/Edit", Settings(version, outpatient: true, agree: TermsOfUse.Current.Version));

        var mineAfter = await myAdmin.GetAsync("/Settings/Edit");
        Assert.True(IsChecked(mineAfter, "OutpatientFunction", "false"));
        Assert.Null(mineAfter.TestId("terms-agreement"));

        // Posting the other institution's version token changes only one's own row (and fails its concurrency check).
        var cross = await myAdmin.SubmitAsync("/Settings/Edit", Settings(version, outpatient: false, surgery: true));
        Assert.Equal(["settings.changed_concurrently"], cross.Codes);
        Assert.True(await portal.QueryAsync(db => db.InstitutionSettings.IgnoreQueryFilters().Where(s => s.InstitutionId == theirs.Id).Select(s => s.OutpatientFunction && !s.OfferSurgeryInformation).SingleAsync()));
    }

    [GeneratedRegex("name=\"Version\" value=\"([0-9a-f-]+)\"")]
    private static partial Regex VersionField();
}

public sealed class SettingsTestsOnSqlite(SqlitePortal portal) : SettingsTests(portal), IClassFixture<SqlitePortal>;

public sealed class SettingsTestsOnPostgres(PostgresPortal portal) : SettingsTests(portal), IClassFixture<PostgresPortal>;
