using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.Server.Accounts;
using Onshi.Server.Portal.InsuranceCards;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Insurance;
using Onshi.Server.Tests.Receipt;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Portal;

/// <summary>
/// 保険証・資格確認書で確認 in the portal: the same lookup as the レセコン's OQSsiquc01, input as staff type it (全角,
/// spaces, one-digit 枝番), a Japanese error naming each wrong field, and an audit line for every lookup that ran.
/// </summary>
public abstract class InsuranceCardCheckTests(PortalFixture portal)
{
    private static readonly string Today = "2025-06-02";


    private async Task<(Clinic Clinic, PortalClient Staff)> StaffAsync()
    {
        var clinic = await portal.ClinicAsync();
        var (userId, _) = await portal.StaffAsync(clinic.Institution, clinic.Admin, "uke01", AccountRole.General);
        var staff = portal.NewClient();
        Assert.Equal("/", (await staff.LogInAsync(clinic.Code, userId, PortalFixture.StrongPassword)).RedirectPath);
        return (clinic, staff);
    }

    private Task<int> LookupsAsync(int institutionId) =>
        portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(e => e.InstitutionId == institutionId && e.Action == CheckModel.LookupAction));

    [Fact]
    public async Task GeneralStaffFindAPersonFromFieldsTypedInFullWidthAndTheLookupIsAudited()
    {
        var person = await portal.PersonAsync(name: "保険 証子");
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        Assert.Contains("保険証・資格確認書で確認", (await staff.GetAsync("/")).Text, StringComparison.Ordinal);

        var page = await staff.SubmitAsync("/InsuranceCards/Check", Form(
            ("Query.InsurerNumber", StaffTyping.FullWidth(person.Insurer.Value[..4] + " " + person.Insurer.Value[4..])),
            ("Query.Symbol", StaffTyping.FullWidth(person.Symbol)),
            ("Query.Number", StaffTyping.FullWidth(person.Number)),
            ("Query.Branch", "０"),
            ("Query.Birthdate", person.Birthdate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("保険 証子", page.TestId("name"));
        Assert.Equal(OqsCodes.PartialContributionRatio.Display("030"), page.TestId("ratio"));
        Assert.Equal(OqsCodes.LimitApplicationBracket.Display("A03"), page.TestId("limit"));
        Assert.StartsWith("昭和55年", page.TestId("birthdate"), StringComparison.Ordinal);
        Assert.Contains(OqsCodes.QualificationValidity.Display("1"), page.TestId("validity"), StringComparison.Ordinal);
        var entry = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .SingleAsync(e => e.InstitutionId == clinic.Institution.Id && e.Action == CheckModel.LookupAction));
        Assert.Equal("uke01", entry.Actor);
        Assert.Contains($"persons={person.PersonId}", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Number, entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongCheckDigitAndEmptyFieldsAreRefusedFieldByFieldAndNothingIsLookedUp()
    {
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var valid = InsuranceSeed.Kyokai.Value;
        var wrongDigit = valid[..7] + (char)('0' + ((valid[7] - '0' + 1) % 10));

        var page = await staff.SubmitAsync("/InsuranceCards/Check", Form(
            ("Query.InsurerNumber", wrongDigit), ("Query.Symbol", ""), ("Query.Number", ""), ("Query.Branch", "123"), ("Query.Birthdate", "")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.Equal(["card.insurer_invalid", "card.number_invalid", "card.branch_invalid", "card.birthdate_invalid"], page.Codes);
        Assert.Contains("保険者番号: ", page.Text, StringComparison.Ordinal);
        Assert.Contains("検証番号", page.Text, StringComparison.Ordinal);
        Assert.Contains("番号: 入力してください。", page.Text, StringComparison.Ordinal);
        Assert.Contains("枝番: ", page.Text, StringComparison.Ordinal);
        Assert.Contains("生年月日: ", page.Text, StringComparison.Ordinal);
        Assert.Contains($"value=\"{wrongDigit}\"", page.Html, StringComparison.Ordinal);
        Assert.Null(page.TestId("card-result"));
        Assert.Equal(0, await LookupsAsync(clinic.Institution.Id));
    }

    [Fact]
    public async Task AnUnknownCardAnswersNoQualificationAndIsStillAudited()
    {
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;

        var page = await staff.SubmitAsync("/InsuranceCards/Check", Form(
            ("Query.InsurerNumber", InsuranceSeed.Kyokai.Value), ("Query.Symbol", "該当なし"), ("Query.Number", "99999999"), ("Query.Branch", ""), ("Query.Birthdate", Today)));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(OqsCodes.QualificationValidity.Display("4"), page.TestId("validity"), StringComparison.Ordinal);
        Assert.Null(page.TestId("name"));
        Assert.Equal(1, await LookupsAsync(clinic.Institution.Id));
    }

    [Fact]
    public async Task ThePdfCarriesTheSameFieldsAsTheScreenInAnEmbeddedJapaneseFont()
    {
        var person = await portal.PersonAsync(name: "印刷 確子");
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var fields = Form(
            ("Query.InsurerNumber", person.Insurer.Value), ("Query.Symbol", person.Symbol), ("Query.Number", person.Number),
            ("Query.Branch", person.Branch), ("Query.Birthdate", person.Birthdate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        var screen = await staff.SubmitAsync("/InsuranceCards/Check", fields);
        Assert.Equal(HttpStatusCode.OK, screen.Status);

        var token = screen.AntiforgeryToken!;
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        using var response = await staff.Http.PostAsync(new Uri("/InsuranceCards/Check?handler=Pdf", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        // Text extraction maps some shared CJK glyphs to their compatibility code points (力 → ⼒ U+2F12): NFKC folds them back.
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Normalize(System.Text.NormalizationForm.FormKC);
        foreach (var field in new[] { "name", "ratio", "limit", "birthdate" })
        {
            var value = screen.TestId(field)!;
            Assert.False(string.IsNullOrEmpty(value), field);
            Assert.Contains(value.Normalize(System.Text.NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal), text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Contains(clinic.Institution.Code, text, StringComparison.Ordinal);
        var fonts = pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName).Distinct().ToList();
        Assert.Contains(fonts, f => f != null && f.Contains("IPAGothic", StringComparison.Ordinal));
        Assert.DoesNotContain("Type3", fonts);
        Assert.Equal(2, await LookupsAsync(clinic.Institution.Id));
    }

    [Fact]
    public async Task SomeoneNotSignedInIsSentToTheLoginPage()
    {
        using var anonymous = portal.NewClient();

        var page = await anonymous.GetAsync("/InsuranceCards/Check");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/Login", page.RedirectPath, StringComparison.Ordinal);
    }
}

public sealed class InsuranceCardCheckTestsOnSqlite(SqlitePortal portal) : InsuranceCardCheckTests(portal), IClassFixture<SqlitePortal>;

public sealed class InsuranceCardCheckTestsOnPostgres(PostgresPortal portal) : InsuranceCardCheckTests(portal), IClassFixture<PostgresPortal>;
