using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Accounts;

/// <summary>アカウント管理(登録)/(更新) and パスワード変更 through the real forms.</summary>
public abstract class AccountManagementTests(PortalFixture portal)
{
    /// <summary>Registers an account through the form and returns its ユーザID and the one-time password shown.</summary>
    public static async Task<(string UserId, string InitialPassword)> CreateStaffAsync(
        PortalClient admin, string userId, AccountRole role = AccountRole.MedicalInformationViewer, DateOnly? start = null, DateOnly? end = null)
    {
        var page = await admin.SubmitAsync("/Accounts/Create", Form(
            ("Role", role.ToString()), ("UserId", userId), ("Name", "山田 花子"), ("NameKana", "ヤマダ ハナコ"),
            ("StartDate", (start ?? new DateOnly(2025, 6, 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("EndDate", end?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "")));
        Assert.True(page.Status == HttpStatusCode.OK, string.Join(",", page.Codes));
        var password = page.TestId("initial-password");
        Assert.False(string.IsNullOrEmpty(password));
        return (userId, password!);
    }

    private static IEnumerable<KeyValuePair<string, string>> Registration(
        string userId = "staff01", string name = "山田 太郎", string kana = "ヤマダ タロウ", string role = "General", string start = "2025-06-01", string end = "") =>
        Form(("Role", role), ("UserId", userId), ("Name", name), ("NameKana", kana), ("StartDate", start), ("EndDate", end));

    [Fact]
    public async Task RegistrationShowsTheInstitutionAndTheOneTimePasswordOnce()
    {
        var institution = await portal.CreateInstitutionAsync("サンプル医療機関");
        using var admin = await portal.AdministratorAsync(institution);

        var form = await admin.GetAsync("/Accounts/Create");
        Assert.Contains(institution.Code, form.Text, StringComparison.Ordinal);
        Assert.Contains("サンプル医療機関", form.Text, StringComparison.Ordinal);
        Assert.Contains("一般利用者", form.Text, StringComparison.Ordinal);
        Assert.Contains("医療情報閲覧", form.Text, StringComparison.Ordinal);

        var (userId, password) = await CreateStaffAsync(admin, "dr01");
        var list = await admin.GetAsync("/Accounts");
        Assert.Contains("dr01", list.Text, StringComparison.Ordinal);
        Assert.Contains("初回ログイン未完了", list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list.Html, StringComparison.Ordinal);

        var stored = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == institution.Id && a.UserId == userId));
        Assert.Equal(AccountRole.MedicalInformationViewer, stored.Role);
        Assert.Equal("ヤマダ ハナコ", stored.NameKana);
        Assert.True(stored.MustChangePassword);
        Assert.Null(stored.FirstLoginCompletedAt);
        Assert.DoesNotContain(password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.StartsWith("AQAAAA", stored.PasswordHash, StringComparison.Ordinal);

        using var staff = portal.NewClient();
        await staff.LogInAndChangeInitialPasswordAsync(institution.Code, userId, password, PortalFixture.StrongPassword);
        Assert.NotNull(await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.Id == stored.Id).Select(a => a.FirstLoginCompletedAt).SingleAsync()));
    }

    [Theory]
    [InlineData("a", "account.user_id_length")]
    [InlineData("abcdefghi", "account.user_id_length")]
    [InlineData("", "account.user_id_required")]
    [InlineData("staff_1", "account.user_id_characters")]
    [InlineData("ｓｔａｆｆ", "account.user_id_characters")]
    public async Task RegistrationRefusesBadUserIds(string userId, string code)
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var page = await admin.SubmitAsync("/Accounts/Create", Registration(userId: userId));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.Contains(code, page.Codes);
        Assert.Equal(1, await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().CountAsync(a => a.InstitutionId == institution.Id)));
    }

    [Fact]
    public async Task RegistrationAcceptsUserIdsOfTwoAndEightCharacters()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        Assert.Equal(HttpStatusCode.OK, (await admin.SubmitAsync("/Accounts/Create", Registration(userId: "ab"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.SubmitAsync("/Accounts/Create", Registration(userId: "Abcd1234"))).Status);
    }

    [Fact]
    public async Task RegistrationRefusesADuplicateUserIdInTheSameInstitutionOnly()
    {
        var first = await portal.CreateInstitutionAsync();
        var second = await portal.CreateInstitutionAsync();
        using var firstAdmin = await portal.AdministratorAsync(first);
        using var secondAdmin = await portal.AdministratorAsync(second);

        Assert.Equal(HttpStatusCode.OK, (await firstAdmin.SubmitAsync("/Accounts/Create", Registration(userId: "nurse1"))).Status);
        var duplicate = await firstAdmin.SubmitAsync("/Accounts/Create", Registration(userId: "NURSE1"));
        Assert.Contains("account.user_id_taken", duplicate.Codes);
        Assert.Equal(HttpStatusCode.OK, (await secondAdmin.SubmitAsync("/Accounts/Create", Registration(userId: "nurse1"))).Status);
    }

    [Theory]
    [InlineData("やまだ たろう")]
    [InlineData("Yamada Taro")]
    [InlineData("ﾔﾏﾀﾞ ﾀﾛｳ")]
    [InlineData("山田 太郎")]
    public async Task RegistrationRefusesKanaThatIsNotFullWidthKatakana(string kana)
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var page = await admin.SubmitAsync("/Accounts/Create", Registration(kana: kana));
        Assert.Equal(["account.kana_not_katakana"], page.Codes);
    }

    [Fact]
    public async Task RegistrationAcceptsKatakanaWithLongVowelMarksMiddleDotsAndSpaces()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var page = await admin.SubmitAsync("/Accounts/Create", Registration(kana: "スミス・ジョーン　ヴァイオレット"));
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task RegistrationRefusesAnEndDateBeforeTheStartAndAMissingStart()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var endBefore = await admin.SubmitAsync("/Accounts/Create", Registration(start: "2025-06-10", end: "2025-06-09"));
        Assert.Equal(["account.end_before_start"], endBefore.Codes);
        var noStart = await admin.SubmitAsync("/Accounts/Create", Registration(start: ""));
        Assert.Equal(["account.start_date_required"], noStart.Codes);
        var sameDay = await admin.SubmitAsync("/Accounts/Create", Registration(start: "2025-06-10", end: "2025-06-10"));
        Assert.Equal(HttpStatusCode.OK, sameDay.Status);
    }

    [Fact]
    public async Task RegistrationRefusesTheAdministratorRoleAndMissingNames()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var page = await admin.SubmitAsync("/Accounts/Create", Registration(role: "Administrator", name: "", kana: ""));
        Assert.Contains("account.role_not_assignable", page.Codes);
        Assert.Contains("account.name_required", page.Codes);
        Assert.Contains("account.kana_required", page.Codes);
    }

    [Fact]
    public async Task TheUpdateScreenChangesNameKanaRoleAndPeriod()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (userId, _) = await CreateStaffAsync(admin, "upd01", AccountRole.General);
        var id = await IdOfAsync(institution, userId);

        var page = await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(
            ("Role", "MedicalInformationViewer"), ("Name", "佐藤 次郎"), ("NameKana", "サトウ ジロウ"), ("StartDate", "2025-06-01"), ("EndDate", "2026-03-31"),
            ("Version", await VersionOfAsync(id))), $"/Accounts/Edit?id={id}&handler=Update");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("アカウント情報を更新しました", page.Text, StringComparison.Ordinal);

        var stored = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == id));
        Assert.Equal(("佐藤 次郎", "サトウ ジロウ", AccountRole.MedicalInformationViewer, new DateOnly(2026, 3, 31)), (stored.Name, stored.NameKana, stored.Role, stored.EndDate!.Value));

        var refused = await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(
            ("Role", "General"), ("Name", "佐藤 次郎"), ("NameKana", "さとう"), ("StartDate", "2025-06-10"), ("EndDate", "2025-06-01"),
            ("Version", await VersionOfAsync(id))), $"/Accounts/Edit?id={id}&handler=Update");
        Assert.Contains("account.kana_not_katakana", refused.Codes);
        Assert.Contains("account.end_before_start", refused.Codes);
    }

    [Fact]
    public async Task AStaleUpdateFormIsRefusedInsteadOfOverwritingAnotherAdministratorsChange()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (userId, _) = await CreateStaffAsync(admin, "race1", AccountRole.General);
        var id = await IdOfAsync(institution, userId);
        var staleVersion = await VersionOfAsync(id);

        await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(("Role", "General"), ("Name", "一人目"), ("NameKana", "ヒトリメ"), ("StartDate", "2025-06-01"), ("EndDate", ""), ("Version", staleVersion)), $"/Accounts/Edit?id={id}&handler=Update");
        var second = await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(("Role", "General"), ("Name", "二人目"), ("NameKana", "フタリメ"), ("StartDate", "2025-06-01"), ("EndDate", ""), ("Version", staleVersion)), $"/Accounts/Edit?id={id}&handler=Update");
        Assert.Contains("account.changed_concurrently", second.Codes);
        Assert.Equal("一人目", await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.Id == id).Select(a => a.Name).SingleAsync()));
    }

    [Fact]
    public async Task ResettingAPasswordIssuesANewOneTimePasswordAndEndsTheOldSession()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (userId, initial) = await CreateStaffAsync(admin, "reset1");
        using var staff = portal.NewClient();
        await staff.LogInAndChangeInitialPasswordAsync(institution.Code, userId, initial, PortalFixture.StrongPassword);
        var id = await IdOfAsync(institution, userId);

        var page = await admin.SubmitAsync($"/Accounts/Edit?id={id}", [], $"/Accounts/Edit?id={id}&handler=ResetPassword");
        var newPassword = page.TestId("initial-password");
        Assert.False(string.IsNullOrEmpty(newPassword));

        Assert.Equal(HttpStatusCode.Redirect, (await staff.GetAsync("/")).Status);
        using var again = portal.NewClient();
        Assert.Equal(["login.failed"], (await again.LogInAsync(institution.Code, userId, PortalFixture.StrongPassword)).Codes);
        Assert.Equal("/ChangeInitialPassword", (await again.LogInAsync(institution.Code, userId, newPassword!)).RedirectPath);
    }

    [Fact]
    public async Task AStoppedAccountLosesItsSessionAndCannotLogInAgain()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (userId, initial) = await CreateStaffAsync(admin, "stop1");
        using var staff = portal.NewClient();
        await staff.LogInAndChangeInitialPasswordAsync(institution.Code, userId, initial, PortalFixture.StrongPassword);
        var id = await IdOfAsync(institution, userId);

        var unconfirmed = await admin.SubmitAsync($"/Accounts/Edit?id={id}", [], $"/Accounts/Edit?id={id}&handler=Stop");
        Assert.Equal(["account.stop_not_confirmed"], unconfirmed.Codes);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/")).Status);

        var stopped = await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(("ConfirmStop", "true")), $"/Accounts/Edit?id={id}&handler=Stop");
        Assert.Contains("利用停止", stopped.TestId("state"), StringComparison.Ordinal);

        var session = await staff.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, session.Status);
        Assert.StartsWith("/Login", session.RedirectPath, StringComparison.Ordinal);
        using var again = portal.NewClient();
        Assert.Equal(["login.failed"], (await again.LogInAsync(institution.Code, userId, PortalFixture.StrongPassword)).Codes);
        var reasons = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.Target == $"account:{id}").Select(e => e.Action + ":" + e.Detail).ToListAsync());
        Assert.Contains("account.stopped:", reasons);
        Assert.Contains("login.failed:stopped", reasons);
    }

    [Fact]
    public async Task AnAdministratorCannotStopOrResetTheirOwnAccountNorChangeItsRole()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var id = await IdOfAsync(institution, "admin");

        Assert.Contains("account.cannot_change_self", (await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(("ConfirmStop", "true")), $"/Accounts/Edit?id={id}&handler=Stop")).Codes);
        Assert.Contains("account.cannot_change_self", (await admin.SubmitAsync($"/Accounts/Edit?id={id}", [], $"/Accounts/Edit?id={id}&handler=ResetPassword")).Codes);
        var demote = await admin.SubmitAsync($"/Accounts/Edit?id={id}", Form(
            ("Role", "General"), ("Name", "管理者"), ("NameKana", "カンリシャ"), ("StartDate", "2025-06-02"), ("EndDate", ""), ("Version", await VersionOfAsync(id))), $"/Accounts/Edit?id={id}&handler=Update");
        Assert.Contains("account.administrator_not_editable", demote.Codes);
    }

    [Fact]
    public async Task PeopleChangeTheirOwnPasswordWithTheCurrentOne()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (userId, initial) = await CreateStaffAsync(admin, "self1", AccountRole.General);
        using var staff = portal.NewClient();
        await staff.LogInAndChangeInitialPasswordAsync(institution.Code, userId, initial, PortalFixture.StrongPassword);

        const string next = "the river flows under seven bridges";
        var wrongCurrent = await staff.SubmitAsync("/ChangePassword", Form(("CurrentPassword", "not my password at all"), ("NewPassword", next), ("ConfirmPassword", next)));
        Assert.Equal(["password.current_wrong"], wrongCurrent.Codes);
        var weak = await staff.SubmitAsync("/ChangePassword", Form(("CurrentPassword", PortalFixture.StrongPassword), ("NewPassword", "self1self1self1self1"), ("ConfirmPassword", "self1self1self1self1")));
        Assert.Contains("password.contains_user_id", weak.Codes);
        var ok = await staff.SubmitAsync("/ChangePassword", Form(("CurrentPassword", PortalFixture.StrongPassword), ("NewPassword", next), ("ConfirmPassword", next)));
        Assert.Equal("/", ok.RedirectPath);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/")).Status);

        using var again = portal.NewClient();
        Assert.Equal("/", (await again.LogInAsync(institution.Code, userId, next)).RedirectPath);
    }

    [Fact]
    public async Task NonAdministratorsReachNoAdministrationPage()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        foreach (var role in new[] { AccountRole.General, AccountRole.MedicalInformationViewer })
        {
            var (userId, initial) = await CreateStaffAsync(admin, role == AccountRole.General ? "gen1" : "med1", role);
            using var staff = portal.NewClient();
            await staff.LogInAndChangeInitialPasswordAsync(institution.Code, userId, initial, PortalFixture.StrongPassword);

            var menu = await staff.GetAsync("/");
            Assert.Contains("パスワード変更", menu.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("アカウント管理(登録)", menu.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("環境設定情報更新", menu.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("アクティベーションコード", menu.Text, StringComparison.Ordinal);

            foreach (var url in new[] { "/Accounts", "/Accounts/Create", "/Accounts/Edit?id=1", "/Settings/Edit", "/ActivationCodes", "/ActivationCodes/Issue", "/ActivationCodes/Invalidate?id=1" })
            {
                var page = await staff.GetAsync(url);
                Assert.Equal(HttpStatusCode.Redirect, page.Status);
                Assert.StartsWith("/AccessDenied", page.RedirectPath, StringComparison.Ordinal);
            }

            // Posting directly with a valid antiforgery token is refused too, and creates nothing.
            var token = (await staff.GetAsync("/ChangePassword")).AntiforgeryToken!;
            var post = await staff.PostAsync("/Accounts/Create", Registration(userId: "sneak").Append(new("__RequestVerificationToken", token)));
            Assert.Equal(HttpStatusCode.Redirect, post.Status);
            Assert.StartsWith("/AccessDenied", post.RedirectPath, StringComparison.Ordinal);
            var denied = await staff.GetAsync(post.RedirectPath!);
            Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        }

        Assert.Equal(0, await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().CountAsync(a => a.UserId == "sneak")));
    }

    [Fact]
    public async Task AnAdministratorNeverSeesOrChangesAnotherInstitutionsAccounts()
    {
        var mine = await portal.CreateInstitutionAsync("A薬局");
        var theirs = await portal.CreateInstitutionAsync("B病院");
        using var myAdmin = await portal.AdministratorAsync(mine);
        using var theirAdmin = await portal.AdministratorAsync(theirs);
        var (theirUser, _) = await CreateStaffAsync(theirAdmin, "bstaff");
        var theirId = await IdOfAsync(theirs, theirUser);
        var theirVersion = await VersionOfAsync(theirId);

        var list = await myAdmin.GetAsync("/Accounts");
        Assert.DoesNotContain("bstaff", list.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await myAdmin.GetAsync($"/Accounts/Edit?id={theirId}")).Status);

        var token = (await myAdmin.GetAsync("/Accounts/Create")).AntiforgeryToken!;
        foreach (var handler in new[] { "Update", "ResetPassword", "Unlock", "Stop" })
        {
            var post = await myAdmin.PostAsync($"/Accounts/Edit?id={theirId}&handler={handler}", Form(
                ("Role", "General"), ("Name", "乗っ取り"), ("NameKana", "ノットリ"), ("StartDate", "2025-06-01"), ("EndDate", ""),
                ("Version", theirVersion), ("ConfirmStop", "true"), ("__RequestVerificationToken", token)));
            Assert.Equal(HttpStatusCode.NotFound, post.Status);
        }

        var untouched = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == theirId));
        Assert.Equal("山田 花子", untouched.Name);
        Assert.Null(untouched.StoppedAt);
        Assert.Equal(theirVersion, untouched.Version.ToString());
    }

    private Task<int> IdOfAsync(TestInstitution institution, string userId) =>
        portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id && a.UserId == userId).Select(a => a.Id).SingleAsync());

    private Task<string> VersionOfAsync(int id) =>
        portal.QueryAsync(async db => (await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == id).Select(a => a.Version).SingleAsync()).ToString());
}

public sealed class AccountManagementTestsOnSqlite(SqlitePortal portal) : AccountManagementTests(portal), IClassFixture<SqlitePortal>;

public sealed class AccountManagementTestsOnPostgres(PostgresPortal portal) : AccountManagementTests(portal), IClassFixture<PostgresPortal>;
