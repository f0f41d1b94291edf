using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.MedicalInformation;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Portal;

/// <summary>
/// The institution side of app confirmations: the list and detail for every role, 医療情報閲覧 only for 医療情報閲覧
/// accounts and only inside the consent window, the viewing log, 同意取消, and no cross-institution access.
/// </summary>
public abstract class AppConfirmationPortalTests(PortalFixture portal)
{
    private async Task<PortalClient> PortalLoginAsync(Clinic clinic, string userId)
    {
        var client = portal.NewClient();
        var login = await client.LogInAsync(clinic.Code, userId, PortalFixture.StrongPassword);
        Assert.Equal("/", login.RedirectPath);
        return client;
    }

    private async Task<(Clinic Clinic, Guid ConfirmationId)> ConfirmedAsync(string purpose = "outpatient", string drug = "アムロジピン錠5mg")
    {
        var clinic = await portal.ClinicAsync(outpatient: true, homeVisit: true);
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();
        await portal.QueryAsync(async db =>
        {
            db.MedicationDispensings.Add(new MedicationDispensing { PersonId = patient.PersonId, OccurredOn = new DateOnly(2025, 5, 20), InstitutionName = "みどり薬局", DrugCode = "2171022F1024", DrugName = drug, Dose = "1錠", Days = 28 });
            return await db.SaveChangesAsync();
        });
        var response = await app.ConfirmWithPinAsync(clinic, patient.Card, purpose, new { pharmacy = true, diagnosis = false, checkup = true });
        Assert.Equal(HttpStatusCode.Created, response.Status);
        return (clinic, Guid.Parse(response.Str("confirmationId")));
    }

    [Fact]
    public async Task GeneralStaffSeeTheListAndQualificationButNeverMedicalInformation()
    {
        var (clinic, id) = await ConfirmedAsync();
        using var _ = clinic;
        var (general, _) = await portal.StaffAsync(clinic.Institution, clinic.Admin, "uke01", AccountRole.General);
        using var staff = await PortalLoginAsync(clinic, general);

        var menu = await staff.GetAsync("/");
        Assert.Contains("アプリ資格確認結果一覧", menu.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("医療情報閲覧履歴照会", menu.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("アクティベーションコード発行", menu.Text, StringComparison.Ordinal);

        var list = await staff.GetAsync("/AppConfirmations");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains("黒桐 幹也", list.Text, StringComparison.Ordinal);
        var detail = await staff.GetAsync($"/AppConfirmations/Detail?id={id}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal("黒桐 幹也", detail.TestId("name"));
        Assert.DoesNotContain("閲覧する", detail.Text, StringComparison.Ordinal);

        foreach (var url in new[] { $"/MedicalViewing/View?confirmationId={id}&type=Pharmacy", "/MedicalViewing/History" })
        {
            var refused = await staff.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, refused.Status);
            Assert.StartsWith("/AccessDenied", refused.RedirectPath, StringComparison.Ordinal);
        }

        foreach (var url in new[] { "/Accounts", "/Settings/Edit", "/ActivationCodes" })
        {
            Assert.StartsWith("/AccessDenied", (await staff.GetAsync(url)).RedirectPath, StringComparison.Ordinal);
        }

        Assert.Equal(0, await portal.QueryAsync(db => db.MedicalInformationViews.IgnoreQueryFilters().CountAsync(v => v.InstitutionId == clinic.Institution.Id)));
    }

    [Fact]
    public async Task OutpatientConsentOpensATwentyFourHourWindowAndEveryViewIsLogged()
    {
        var (clinic, id) = await ConfirmedAsync();
        using var _ = clinic;
        using var doctor = await PortalLoginAsync(clinic, clinic.StaffUserId);

        var detail = await doctor.GetAsync($"/AppConfirmations/Detail?id={id}");
        Assert.Contains("閲覧する", detail.Text, StringComparison.Ordinal);
        var view = await doctor.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Pharmacy");
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Contains("アムロジピン錠5mg", view.Text, StringComparison.Ordinal);

        // The patient said no to 診療情報: refused even inside the window.
        var refusedType = await doctor.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Diagnosis");
        Assert.Equal(HttpStatusCode.Forbidden, refusedType.Status);
        Assert.Contains("medical_information.no_consent", refusedType.Codes);

        // Portal sessions last 8 hours at most: log in again the next morning, just inside the window.
        portal.Time.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(59));
        using var doctorAgain = await PortalLoginAsync(clinic, clinic.StaffUserId);
        Assert.Equal(HttpStatusCode.OK, (await doctorAgain.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Pharmacy")).Status);
        portal.Time.Advance(TimeSpan.FromMinutes(1));
        var closed = await doctorAgain.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Pharmacy");
        Assert.Equal(HttpStatusCode.Forbidden, closed.Status);
        Assert.Contains("medical_information.no_consent", closed.Codes);
        Assert.DoesNotContain("アムロジピン", closed.Text, StringComparison.Ordinal);

        var history = await doctorAgain.GetAsync("/MedicalViewing/History");
        Assert.Equal("1-2件表示 (全2件)", history.TestId("range"));
        Assert.Equal(2, await portal.QueryAsync(db => db.MedicalInformationViews.IgnoreQueryFilters().CountAsync(v => v.ConfirmationId == id)));
        Assert.Contains("薬剤情報", history.Text, StringComparison.Ordinal);
        Assert.Contains(clinic.StaffUserId, history.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomeVisitConsentLastsUntilWithdrawnInThePortal()
    {
        var (clinic, id) = await ConfirmedAsync("homeVisit");
        using var _ = clinic;
        using var doctor = await PortalLoginAsync(clinic, clinic.StaffUserId);
        portal.Time.Advance(TimeSpan.FromDays(3));
        using var doctorLater = await PortalLoginAsync(clinic, clinic.StaffUserId);
        Assert.Equal(HttpStatusCode.OK, (await doctorLater.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Pharmacy")).Status);

        var detail = await doctorLater.GetAsync($"/AppConfirmations/Detail?id={id}");
        var withdrawn = await doctorLater.PostAsync($"/AppConfirmations/Detail?handler=Withdraw&id={id}", Form(("id", id.ToString()), ("type", "Pharmacy"), ("purpose", "HomeVisit"), ("__RequestVerificationToken", detail.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.Status);
        Assert.Contains("consent.withdrawn", (await doctorLater.GetAsync(withdrawn.RedirectPath!)).Codes);
        Assert.Equal(HttpStatusCode.Forbidden, (await doctorLater.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Pharmacy")).Status);
        Assert.Equal(HttpStatusCode.OK, (await doctorLater.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Checkup")).Status);
        var record = await portal.QueryAsync(db => db.ConsentRecords.IgnoreQueryFilters().SingleAsync(c => c.ConfirmationId == id && c.InformationType == Server.Consent.InformationType.Pharmacy));
        Assert.NotNull(record.WithdrawnAt);
        Assert.NotNull(record.WithdrawnByAccountId);
    }

    [Fact]
    public async Task TheDetailSavesAsAPdfWithTheFieldsOfTheScreenAndEachDownloadIsAudited()
    {
        var (clinic, id) = await ConfirmedAsync();
        using var _ = clinic;
        using var admin = await PortalLoginAsync(clinic, clinic.Institution.AdministratorUserId);
        var detail = await admin.GetAsync($"/AppConfirmations/Detail?id={id}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.NotNull(detail.TestId("pdf"));

        using var response = await admin.Http.GetAsync(new Uri($"/AppConfirmations/Detail?id={id}&handler=Pdf", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        // Text extraction maps some shared CJK glyphs to compatibility code points: NFKC folds them back.
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Normalize(System.Text.NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal);
        var name = detail.TestId("name")!.Normalize(System.Text.NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal);
        Assert.Contains(name, text.Replace("\u3000", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("資格有効性:有効", text, StringComparison.Ordinal);
        Assert.Contains(clinic.Institution.Code, text, StringComparison.Ordinal);
        Assert.Equal(1, await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .CountAsync(e => e.Action == Server.Portal.AppConfirmations.DetailModel.PdfAction && e.Target == $"confirmation:{id}")));

        // Another institution's staff cannot print it: the same 404 as the detail.
        using var other = await portal.ClinicAsync("別の薬局");
        using var stranger = await PortalLoginAsync(other, other.StaffUserId);
        using var refused = await stranger.Http.GetAsync(new Uri($"/AppConfirmations/Detail?id={id}&handler=Pdf", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task AnotherInstitutionSeesNothing()
    {
        var (clinic, id) = await ConfirmedAsync();
        using var _ = clinic;
        using var other = await portal.ClinicAsync("別の病院");
        using var stranger = await PortalLoginAsync(other, other.StaffUserId);
        Assert.DoesNotContain("黒桐", (await stranger.GetAsync("/AppConfirmations")).Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/AppConfirmations/Detail?id={id}")).Status);
        var view = await stranger.GetAsync($"/MedicalViewing/View?confirmationId={id}&type=Pharmacy");
        Assert.Equal(HttpStatusCode.NotFound, view.Status);
        Assert.DoesNotContain("アムロジピン", view.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheListFiltersByMethodPurposeValidityAndDate()
    {
        var (clinic, _) = await ConfirmedAsync();
        using var __ = clinic;
        using var admin = await PortalLoginAsync(clinic, clinic.Institution.AdministratorUserId);
        var filtered = await admin.GetAsync("/AppConfirmations?method=pin&purpose=outpatient&validity=1");
        Assert.True(filtered.Status == HttpStatusCode.OK, $"{(int)filtered.Status} {filtered.RedirectPath} {filtered.Text[..Math.Min(400, filtered.Text.Length)]}");
        Assert.Contains("1-1件表示", filtered.TestId("range"), StringComparison.Ordinal);
        Assert.Equal("0件表示", (await admin.GetAsync("/AppConfirmations?method=visual")).TestId("range"));
        Assert.Equal("0件表示", (await admin.GetAsync("/AppConfirmations?purpose=online")).TestId("range"));
        Assert.Equal("0件表示", (await admin.GetAsync("/AppConfirmations?validity=2")).TestId("range"));
        var today = Common.JapanTime.Today(portal.Time).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("1-1件表示", (await admin.GetAsync($"/AppConfirmations?from={today}&to={today}")).TestId("range"), StringComparison.Ordinal);
        Assert.Equal("0件表示", (await admin.GetAsync("/AppConfirmations?to=2020-01-01")).TestId("range"));
    }
}

public sealed class AppConfirmationPortalTestsOnSqlite(SqlitePortal portal) : AppConfirmationPortalTests(portal), IClassFixture<SqlitePortal>;

public sealed class AppConfirmationPortalTestsOnPostgres(PostgresPortal portal) : AppConfirmationPortalTests(portal), IClassFixture<PostgresPortal>;
