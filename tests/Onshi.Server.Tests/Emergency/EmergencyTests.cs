using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.Server.Accounts;
using Onshi.Server.Common;
using Onshi.Server.Emergency;
using Onshi.Server.MedicalInformation;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Insurance;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Emergency;

/// <summary>
/// 緊急時医療情報・資格確認機能: the 管理者's switch (reason, end within the maximum), the search by カナ氏名・生年月日・性別
/// (refused while off or expired, or with too many matches), the oral consent before any medical information, the
/// banner, and the audit entries of every step.
/// </summary>
public abstract class EmergencyTests(PortalFixture portal)
{
    private static int _kanaCounter;

    private string Date(int daysFromToday) => JapanTime.Today(portal.Time).AddDays(daysFromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A name no other test uses: persons accumulate in the fixture's database.</summary>
    private static (string Name, string Kana) UniqueName()
    {
        var n = Interlocked.Increment(ref _kanaCounter);
        var letters = "アイウエオカキクケコサシスセソタチツテト";
        var given = string.Concat(letters[n % 20], letters[(n / 20) % 20], "コ");
        return ($"緊急 {given}", $"キンキュウ {given}");
    }

    private Task<long> PersonAsync(string name, string kana, Sex sex = Sex.Female, string address = "広島県東広島市西条町1-1", bool drugs = false) =>
        portal.QueryAsync(async db =>
        {
            await InsuranceSeed.EnsureInsurersAsync(db);
            var id = InsuranceSeed.NextPersonId();
            var person = InsuranceSeed.Person(id, new DateOnly(1962, 3, 4), name, kana);
            person.Sex = sex;
            person.Address = address;
            db.InsuredPersons.Add(person);
            db.Qualifications.Add(InsuranceSeed.Qualification(id, InsuranceSeed.Kyokai, InsuranceSeed.NextNumber(), new DateOnly(2020, 4, 1)));
            if (drugs)
            {
                db.MedicationDispensings.Add(new MedicationDispensing { PersonId = id, OccurredOn = new DateOnly(2025, 5, 20), InstitutionName = "西条薬局", DrugCode = "2149039F1020", DrugName = "アムロジピン錠5mg", Dose = "1錠", Days = 28 });
            }

            await db.SaveChangesAsync();
            return id;
        });

    private async Task<(TestInstitution Institution, PortalClient Admin)> InstitutionAsync()
    {
        var institution = await portal.CreateInstitutionAsync("緊急時テスト病院");
        return (institution, await portal.AdministratorAsync(institution));
    }

    private async Task<PortalClient> StaffAsync(TestInstitution institution, PortalClient admin, string userId, AccountRole role)
    {
        await portal.StaffAsync(institution, admin, userId, role);
        var staff = portal.NewClient();
        Assert.Equal("/", (await staff.LogInAsync(institution.Code, userId, PortalFixture.StrongPassword)).RedirectPath);
        return staff;
    }

    private async Task ActivateAsync(PortalClient admin, int days = 3)
    {
        var page = await admin.SubmitAsync("/Emergency/Activate", Form(("EndDate", Date(days)), ("Reason", "令和7年豪雨（災害救助法適用）")));
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
    }

    private static IEnumerable<KeyValuePair<string, string>> Search(string kana, string birthdate = "1962-03-04", string sex = "2", string address = "", string insurer = "", params (string Name, string Value)[] more) =>
        Form([("Input.NameKana", kana), ("Input.Birthdate", birthdate), ("Input.Sex", sex), ("Input.Address", address), ("Input.InsurerNumber", insurer), .. more]);

    private Task<List<Server.Audit.AuditEntry>> AuditAsync(int institutionId, string action) =>
        portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institutionId && e.Action == action).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task AnAdministratorSwitchesTheModeOnWithAReasonAndAnEndTypedInFullWidthAndEveryPageCarriesTheBanner()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        using var staff = await StaffAsync(institution, admin, "uke01", AccountRole.General);
        Assert.Null((await staff.GetAsync("/")).TestId("emergency-banner"));

        var page = await admin.SubmitAsync("/Emergency/Activate", Form(("EndDate", StaffTyping.FullWidth(Date(13))), ("Reason", "令和7年豪雨")));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        foreach (var url in new[] { "/", "/InsuranceCards/Check", "/Emergency/Search", "/ChangePassword" })
        {
            Assert.Contains("緊急時医療情報・資格確認機能 利用中", (await staff.GetAsync(url)).Text, StringComparison.Ordinal);
        }

        var activation = await portal.QueryAsync(db => db.EmergencyActivations.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == institution.Id));
        Assert.Equal(new DateTimeOffset(JapanTime.Today(portal.Time).AddDays(14).ToDateTime(TimeOnly.MinValue), JapanTime.Offset), activation.EndsAt);
        Assert.Equal("令和7年豪雨", activation.Reason);
        Assert.Single(await AuditAsync(institution.Id, "emergency.activated"));

        // 今すぐ終了する: the banner goes at once.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/Emergency/Activate", [], "/Emergency/Activate?handler=End")).Status);
        Assert.Null((await staff.GetAsync("/")).TestId("emergency-banner"));
        Assert.Single(await AuditAsync(institution.Id, "emergency.ended"));
    }

    [Fact]
    public async Task ActivationRefusesAMissingReasonAnImpossibleDateAndAnEndBeyondTheMaximumNamingEachFieldAndStoresNothing()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;

        var empty = await admin.SubmitAsync("/Emergency/Activate", Form(("EndDate", ""), ("Reason", " ")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.Status);
        Assert.Equal(["emergency.end_required", "emergency.reason_invalid"], empty.Codes);
        Assert.Contains("終了日: 入力してください", empty.Text, StringComparison.Ordinal);
        Assert.Contains("理由: ", empty.Text, StringComparison.Ordinal);

        var impossible = await admin.SubmitAsync("/Emergency/Activate", Form(("EndDate", "2025-02-30"), ("Reason", "地震")));
        Assert.Equal(["emergency.end_invalid"], impossible.Codes);
        Assert.Contains("終了日: 西暦の年月日", impossible.Text, StringComparison.Ordinal);

        var tooLate = await admin.SubmitAsync("/Emergency/Activate", Form(("EndDate", Date(14)), ("Reason", "地震")));
        Assert.Equal(["emergency.end_too_late"], tooLate.Codes);
        Assert.Contains("最長14日以内", tooLate.Text, StringComparison.Ordinal);

        var past = await admin.SubmitAsync("/Emergency/Activate", Form(("EndDate", Date(-1)), ("Reason", "地震")));
        Assert.Equal(["emergency.end_past"], past.Codes);

        Assert.Equal(0, await portal.QueryAsync(db => db.EmergencyActivations.IgnoreQueryFilters().CountAsync(a => a.InstitutionId == institution.Id)));
        Assert.Empty(await AuditAsync(institution.Id, "emergency.activated"));
    }

    [Fact]
    public async Task OnlyTheAdministratorMaySwitchTheModeOnAndOnlyAMedicalViewerMayRecordConsent()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        using var staff = await StaffAsync(institution, admin, "uke02", AccountRole.General);
        await ActivateAsync(admin);
        var (name, kana) = UniqueName();
        var personId = await PersonAsync(name, kana, drugs: true);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.GetAsync("/Emergency/Activate")).Status);
        var refused = await portal.WithServiceAsync<EmergencyMode, OperationResult<EmergencyActivation>>(mode =>
            mode.ActivateAsync(new Actor(null, institution.Id, AccountRole.General, "uke02"), Date(1), "地震", TestContext.Current.CancellationToken));
        Assert.Equal(EmergencyMode.NotAdministrator, refused.Refusal);

        // 一般利用者 confirm the qualification, but recording consent (the key to medical information) is refused.
        var confirmed = await staff.SubmitAsync("/Emergency/Search", Search(kana, more: ("PersonId", personId.ToString(CultureInfo.InvariantCulture))), "/Emergency/Search?handler=Confirm");
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Null(confirmed.TestId("emergency-consent"));
        var consent = await staff.SubmitAsync("/Emergency/Search", Search(kana, more: [("PersonId", personId.ToString(CultureInfo.InvariantCulture)), ("GivenBy", "1"), ("Types", "Pharmacy")]), "/Emergency/Search?handler=Consent");
        Assert.Equal(HttpStatusCode.Forbidden, consent.Status);
        Assert.Equal(["emergency.role_not_allowed"], consent.Codes);
        Assert.Equal(0, await portal.QueryAsync(db => db.EmergencyConsents.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == institution.Id)));
    }

    [Fact]
    public async Task ASearchIsRefusedWhileTheModeIsOffAndAgainOnceItsEndHasPassed()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        var (name, kana) = UniqueName();
        await PersonAsync(name, kana);

        var off = await admin.SubmitAsync("/Emergency/Search", Search(kana));
        Assert.Equal(HttpStatusCode.Forbidden, off.Status);
        Assert.Equal(["emergency.inactive"], off.Codes);
        Assert.Null(off.TestId("emergency-candidates"));

        await ActivateAsync(admin, days: 0);
        var on = await admin.SubmitAsync("/Emergency/Search", Search(kana));
        Assert.Equal(HttpStatusCode.OK, on.Status);
        Assert.Contains(name, on.Text, StringComparison.Ordinal);

        // Past 24:00 JST of the end date; the session has idled out too, so log in again.
        portal.Time.Advance(TimeSpan.FromDays(1));
        using var again = portal.NewClient();
        Assert.Equal("/", (await again.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword)).RedirectPath);
        var expired = await again.SubmitAsync("/Emergency/Search", Search(kana));
        Assert.Equal(HttpStatusCode.Forbidden, expired.Status);
        Assert.Equal(["emergency.inactive"], expired.Codes);
        Assert.Null(expired.TestId("emergency-banner"));

        var searches = await AuditAsync(institution.Id, "emergency.search");
        Assert.Equal([false, true, false], searches.Select(e => e.Succeeded));
        Assert.All(searches, e => Assert.DoesNotContain(kana, e.Detail ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffFindAPatientByKanaTypedInHiraganaAndFullWidthDigitsAndSeeTheQualificationMarkedAsAnEmergencyResult()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        using var staff = await StaffAsync(institution, admin, "uke03", AccountRole.General);
        await ActivateAsync(admin);
        var (name, kana) = UniqueName();
        var personId = await PersonAsync(name, kana);
        await PersonAsync("別人 男", kana, sex: Sex.Male);
        var hiragana = new string([.. kana.Replace(" ", "　", StringComparison.Ordinal).Select(c => c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) : c)]);

        var found = await staff.SubmitAsync("/Emergency/Search", Search(hiragana, birthdate: "１９６２０３０４"));

        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.Contains(name, found.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("別人", found.Html, StringComparison.Ordinal);
        Assert.Contains("緊急時検索結果", found.Text, StringComparison.Ordinal);

        var result = await staff.SubmitAsync("/Emergency/Search", Search(hiragana, birthdate: "１９６２０３０４", more: ("PersonId", personId.ToString(CultureInfo.InvariantCulture))), "/Emergency/Search?handler=Confirm");
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("カードによる本人確認なし", result.Text, StringComparison.Ordinal);
        Assert.Equal(name, result.TestId("name"));
        Assert.Contains("緊急時医療情報・資格確認機能 利用中", result.Text, StringComparison.Ordinal);

        var confirmedEntry = Assert.Single(await AuditAsync(institution.Id, "emergency.qualification_confirmed"));
        Assert.Equal("uke03", confirmedEntry.Actor);
        Assert.Equal($"person:{personId}", confirmedEntry.Target);
        Assert.Contains($"persons={personId}", (await AuditAsync(institution.Id, "emergency.search"))[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanFiveMatchesAreRefusedUntilNarrowedByAPartOfTheAddress()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        await ActivateAsync(admin);
        var (name, kana) = UniqueName();
        for (var i = 0; i < 5; i++)
        {
            await PersonAsync(name, kana, address: "岡山県倉敷市" + i);
        }

        await PersonAsync(name, kana, address: "広島県呉市中央1-1");

        var tooMany = await admin.SubmitAsync("/Emergency/Search", Search(kana));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.Status);
        Assert.Equal(["emergency.too_many_matches"], tooMany.Codes);
        Assert.Contains("絞り込んでください", tooMany.Text, StringComparison.Ordinal);
        Assert.Null(tooMany.TestId("emergency-candidates"));

        var narrowed = await admin.SubmitAsync("/Emergency/Search", Search(kana, address: "呉市"));
        Assert.Equal(HttpStatusCode.OK, narrowed.Status);
        Assert.Contains("広島県呉市中央1-1", narrowed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("倉敷市", narrowed.Html, StringComparison.Ordinal);
        Assert.Equal([false, true], (await AuditAsync(institution.Id, "emergency.search")).Select(e => e.Succeeded));
    }

    [Fact]
    public async Task BadSearchInputIsRefusedFieldByFieldAndNothingIsSearched()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        await ActivateAsync(admin);
        var insurer = InsuranceSeed.Kyokai.Value;
        var wrongDigit = insurer[..7] + (char)('0' + ((insurer[7] - '0' + 1) % 10));

        var page = await admin.SubmitAsync("/Emergency/Search", Search("山田", birthdate: "1962-02-30", sex: "", address: new string('あ', 101), insurer: wrongDigit));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.Equal(["emergency.kana_invalid", "emergency.birthdate_invalid", "emergency.sex_invalid", "emergency.address_invalid", "emergency.insurer_invalid"], page.Codes);
        foreach (var field in new[] { "氏名（カナ）: ", "生年月日: ", "性別: ", "住所: ", "保険者番号: " })
        {
            Assert.Contains(field, page.Text, StringComparison.Ordinal);
        }

        Assert.Empty(await AuditAsync(institution.Id, "emergency.search"));
    }

    [Fact]
    public async Task AMedicalViewerSeesMedicalInformationOnlyAfterRecordingOralConsentAndEveryViewIsLogged()
    {
        var (institution, admin) = await InstitutionAsync();
        using var _ = admin;
        using var doctor = await StaffAsync(institution, admin, "dr01", AccountRole.MedicalInformationViewer);
        await ActivateAsync(admin);
        var (name, kana) = UniqueName();
        var personId = await PersonAsync(name, kana, drugs: true);
        var id = personId.ToString(CultureInfo.InvariantCulture);

        var confirmed = await doctor.SubmitAsync("/Emergency/Search", Search(kana, more: ("PersonId", id)), "/Emergency/Search?handler=Confirm");
        Assert.NotNull(confirmed.TestId("emergency-consent"));

        // No consent given: refused field by field, nothing stored.
        var missing = await doctor.SubmitAsync("/Emergency/Search", Search(kana, more: ("PersonId", id)), "/Emergency/Search?handler=Consent");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Status);
        Assert.Equal(["emergency.consent_giver_required", "emergency.consent_types_required"], missing.Codes);
        var unconscious = await doctor.SubmitAsync("/Emergency/Search", Search(kana, more: [("PersonId", id), ("GivenBy", "3"), ("Types", "Pharmacy")]), "/Emergency/Search?handler=Consent");
        Assert.Equal(["emergency.consent_note_required"], unconscious.Codes);
        // A person id that the search did not return is never accepted.
        var other = await doctor.SubmitAsync("/Emergency/Search", Search(kana, more: [("PersonId", (personId + 1000).ToString(CultureInfo.InvariantCulture)), ("GivenBy", "1"), ("Types", "Pharmacy")]), "/Emergency/Search?handler=Consent");
        Assert.Equal(["emergency.person_not_found"], other.Codes);
        Assert.Equal(0, await portal.QueryAsync(db => db.EmergencyConsents.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == institution.Id)));

        var recorded = await doctor.SubmitAsync("/Emergency/Search", Search(kana, more: [("PersonId", id), ("GivenBy", "2"), ("Types", "Pharmacy")]), "/Emergency/Search?handler=Consent");
        Assert.Equal(HttpStatusCode.Redirect, recorded.Status);
        var view = await doctor.GetAsync(recorded.RedirectPath!);
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Contains("アムロジピン錠5mg", view.Text, StringComparison.Ordinal);
        Assert.Contains("口頭同意", view.Text, StringComparison.Ordinal);
        Assert.Equal("家族等（口頭）", view.TestId("consent-given-by"));

        var consent = await portal.QueryAsync(db => db.EmergencyConsents.IgnoreQueryFilters().SingleAsync(c => c.InstitutionId == institution.Id));
        Assert.Equal((personId, "dr01", EmergencyConsentGiver.Family, "1"), (consent.PersonId, consent.AccountUserId, consent.GivenBy, consent.InformationTypes));
        var logged = await portal.QueryAsync(db => db.MedicalInformationViews.IgnoreQueryFilters().SingleAsync(v => v.InstitutionId == institution.Id));
        Assert.Equal((consent.Id, (Guid?)null, 1), (logged.EmergencyConsentId!.Value, logged.ConfirmationId, logged.RecordCount));
        Assert.Single(await AuditAsync(institution.Id, "emergency.consent_recorded"));
        Assert.Contains($"emergency_consent={consent.Id}", Assert.Single(await AuditAsync(institution.Id, "medical_information.viewed")).Detail, StringComparison.Ordinal);

        // A kind not consented to is refused (and the refusal audited).
        var checkup = await doctor.GetAsync($"/Emergency/View?consentId={consent.Id}&type=Checkup");
        Assert.Equal(HttpStatusCode.NotFound, checkup.Status);
        Assert.Equal(["emergency.consent_not_found"], checkup.Codes);
        Assert.Equal([true, false], (await AuditAsync(institution.Id, "medical_information.viewed")).Select(e => e.Succeeded));
    }
}

public sealed class EmergencyTestsOnSqlite(SqlitePortal portal) : EmergencyTests(portal), IClassFixture<SqlitePortal>;

public sealed class EmergencyTestsOnPostgres(PostgresPortal portal) : EmergencyTests(portal), IClassFixture<PostgresPortal>;
