using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Portal;

/// <summary>A portal fixture whose server listens on Kestrel at 127.0.0.1, so a real browser can reach it.</summary>
public interface IKestrelPortal
{
    Uri? BaseAddress { get; }
}

/// <summary>Starts the fixture's server on Kestrel at 127.0.0.1 (a free port) and returns its address.</summary>
internal static class KestrelStart
{
    public static Uri Listen(WebApplicationFactory<Program> factory)
    {
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}

/// <summary>The server on Kestrel over SQLite, real time, one code per page so paging shows with two codes.</summary>
public sealed class KestrelPortal : SqlitePortal, IKestrelPortal
{
    public override int PageSize => 1;

    protected override bool UsesFakeTime => false;

    public Uri? BaseAddress { get; private set; }

    protected override void Configure(WebApplicationFactory<Program> factory) => BaseAddress = KestrelStart.Listen(factory);
}

/// <summary>The same server over a fresh PostgreSQL database (ONSHI_TEST_POSTGRES); skipped like every PostgreSQL test without it.</summary>
public sealed class KestrelPostgresPortal : PostgresPortal, IKestrelPortal
{
    public override int PageSize => 1;

    protected override bool UsesFakeTime => false;

    public Uri? BaseAddress { get; private set; }

    protected override void Configure(WebApplicationFactory<Program> factory) => BaseAddress = KestrelStart.Listen(factory);
}

/// <summary>
/// The notice's three preparation steps in Debian's Chromium, driven by Playwright: log in, change the initial
/// password, switch 外来診療等 on with the terms, issue two activation codes, page, invalidate one, register a
/// 医療情報閲覧 and a 一般利用者 account. Screenshots go to ONSHI_TEST_ARTIFACTS.
/// </summary>
public abstract partial class BrowserWalkthroughTests(PortalFixture portal)
{
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    // One folder per store, so the second run does not overwrite the first's screenshots.
    private readonly string _artifacts = Path.Combine(
        Environment.GetEnvironmentVariable("ONSHI_TEST_ARTIFACTS") is { Length: > 0 } root ? root : Path.Combine(Path.GetTempPath(), "onshi-artifacts"),
        portal.Provider == Server.Data.DatabaseProvider.Sqlite ? "portal-walkthrough" : "portal-walkthrough-postgres");

    [Fact]
    public async Task AnAdministratorCompletesTheThreePreparationStepsInARealBrowser()
    {
        var chromium = ChromiumPath();

        Directory.CreateDirectory(_artifacts);
        var institution = await portal.CreateInstitutionAsync("東広島テスト薬局");
        var baseUrl = ((IKestrelPortal)portal).BaseAddress!.ToString().TrimEnd('/');

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArguments });
        await using var context = await browser.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15000);

        // ログイン → 初回パスワード変更
        await FirstLoginAsync(page, baseUrl, institution.Code, "admin", institution.AdministratorInitialPassword, PortalFixture.StrongPassword, ("01-login", "02-change-initial-password"));
        var menu = await page.TextContentAsync("main") ?? "";
        Assert.Contains("パスワードを変更しました", menu, StringComparison.Ordinal);
        foreach (var group in new[] { "アカウント情報管理", "環境設定情報管理", "マイナ資格確認アプリ管理" })
        {
            Assert.Contains(group, menu, StringComparison.Ordinal);
        }

        Assert.Contains(institution.Code, await page.TextContentAsync("header"), StringComparison.Ordinal);
        await ShotAsync(page, "03-menu");

        // ① 環境情報の設定: 外来診療等 を「利用する」— refused until the terms are agreed to.
        await page.ClickAsync("text=環境設定情報更新");
        await page.CheckAsync("input[name=OutpatientFunction][value=true]");
        await page.ClickAsync("button:has-text('更新')");
        Assert.Contains("利用規約に同意してください", await page.TextContentAsync(".errors"), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("details.terms pre"));
        await ShotAsync(page, "04-settings-terms-required");
        await page.CheckAsync("input[name=AgreeToTerms]");
        await page.ClickAsync("button:has-text('更新')");
        Assert.Contains("環境設定情報を更新しました", await page.TextContentAsync("main"), StringComparison.Ordinal);
        Assert.True(await page.IsCheckedAsync("input[name=OutpatientFunction][value=true]"));
        Assert.Contains("同意しました", await page.TextContentAsync("[data-testid=terms-agreement]"), StringComparison.Ordinal);
        await ShotAsync(page, "05-settings-saved");

        // ② アクティベーションコードの発行: two devices.
        await page.GotoAsync(baseUrl + "/");
        await page.ClickAsync("text=アクティベーションコード発行");
        await page.FillAsync("#Label", "Aのスマホ1");
        await page.ClickAsync("button:has-text('発行')");
        var firstCode = await page.TextContentAsync("[data-testid=activation-code]") ?? "";
        Assert.Matches(CodePattern(), firstCode);
        await ShotAsync(page, "06-code-issued");
        await page.ClickAsync("text=続けて発行する");
        await page.FillAsync("#Label", "Bのタブレット");
        await page.ClickAsync("button:has-text('発行')");
        var secondCode = await page.TextContentAsync("[data-testid=activation-code]") ?? "";
        Assert.Matches(CodePattern(), secondCode);
        Assert.NotEqual(firstCode, secondCode);

        // The list, one per page here: newest first, then 次へ>>.
        await page.ClickAsync("text=一覧へ");
        Assert.Equal("1-1件表示", await page.TextContentAsync("[data-testid=range]"));
        Assert.Contains("Bのタブレット", await page.TextContentAsync("table.list"), StringComparison.Ordinal);
        Assert.DoesNotContain(secondCode, await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "07-codes-page-1");
        await page.ClickAsync("nav.pager a:has-text('次へ')");
        Assert.Equal("2-2件表示", await page.TextContentAsync("[data-testid=range]"));
        Assert.Contains("Aのスマホ1", await page.TextContentAsync("table.list"), StringComparison.Ordinal);
        await ShotAsync(page, "08-codes-page-2");

        // 無効化する, with its confirmation step.
        await page.ClickAsync("table.list >> text=無効化する");
        Assert.Equal("Aのスマホ1", await page.TextContentAsync("[data-testid=label]"));
        await ShotAsync(page, "09-invalidate-confirm");
        await page.ClickAsync("button:has-text('無効化する')");
        Assert.Contains("「Aのスマホ1」のアクティベーションコードを無効化しました", await page.TextContentAsync("main"), StringComparison.Ordinal);
        await page.ClickAsync("nav.pager a:has-text('次へ')");
        Assert.Contains("無効", await page.TextContentAsync("table.list td.status-invalid"), StringComparison.Ordinal);
        await ShotAsync(page, "10-code-invalidated");

        // ③ アカウントの作成: 医療情報閲覧 and 一般利用者.
        await page.GotoAsync(baseUrl + "/");
        await page.ClickAsync("text=アカウント管理(登録)");
        Assert.Contains(institution.Code, await page.TextContentAsync(".institution-line"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#Role", "MedicalInformationViewer");
        await page.FillAsync("#UserId", "doctor1");
        await page.FillAsync("#Name", "広島 一郎");
        await page.FillAsync("#NameKana", "ヒロシマ イチロウ");
        await page.FillAsync("#StartDate", "2025-06-01");
        await ShotAsync(page, "11-account-form");
        await page.ClickAsync("button:has-text('登録')");
        var doctorPassword = await page.TextContentAsync("[data-testid=initial-password]") ?? "";
        Assert.False(string.IsNullOrWhiteSpace(doctorPassword));
        await ShotAsync(page, "12-account-created");
        await page.ClickAsync("text=続けて登録する");
        await page.SelectOptionAsync("#Role", "General");
        await page.FillAsync("#UserId", "staff1");
        await page.FillAsync("#Name", "東 花子");
        await page.FillAsync("#NameKana", "ヒガシ ハナコ");
        await page.ClickAsync("button:has-text('登録')");
        Assert.Equal("staff1", await page.TextContentAsync("[data-testid=created-user-id]"));
        await page.ClickAsync("text=アカウント一覧へ");
        var accounts = await page.TextContentAsync("table.list") ?? "";
        Assert.Contains("doctor1", accounts, StringComparison.Ordinal);
        Assert.Contains("医療情報閲覧", accounts, StringComparison.Ordinal);
        Assert.Contains("staff1", accounts, StringComparison.Ordinal);
        Assert.Contains("一般利用者", accounts, StringComparison.Ordinal);
        await ShotAsync(page, "13-accounts");

        // The new 医療情報閲覧 account completes its first login (what the app will require) and sees no admin menu.
        await using var doctorContext = await browser.NewContextAsync(new() { Locale = "ja-JP" });
        var doctor = await doctorContext.NewPageAsync();
        await FirstLoginAsync(doctor, baseUrl, institution.Code, "doctor1", doctorPassword.Trim(), "a quiet harbour at midnight");
        var doctorMenu = await doctor.TextContentAsync("main") ?? "";
        Assert.Contains("パスワード変更", doctorMenu, StringComparison.Ordinal);
        Assert.DoesNotContain("環境設定情報更新", doctorMenu, StringComparison.Ordinal);
        await ShotAsync(doctor, "14-viewer-menu");
    }

    [Fact]
    public async Task StaffConfirmAQualificationFromTheInsuranceCardTypedInFullWidth()
    {
        var chromium = ChromiumPath();

        Directory.CreateDirectory(_artifacts);
        var institution = await portal.CreateInstitutionAsync("保険証確認テスト診療所");
        var person = await Receipt.ReceiptScenario.PersonAsync(portal, name: "窓口 花子");
        var baseUrl = ((IKestrelPortal)portal).BaseAddress!.ToString().TrimEnd('/');

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArguments });
        await using var context = await browser.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        // Whichever browser test runs first in this fixture pays for the first Razor compilation and password hash; on a
        // loaded 2-core machine that alone has taken over 15 s.
        page.SetDefaultTimeout(60000);
        await FirstLoginAsync(page, baseUrl, institution.Code, "admin", institution.AdministratorInitialPassword, PortalFixture.StrongPassword);

        await page.ClickAsync("text=保険証・資格確認書で確認");
        await page.WaitForURLAsync("**/InsuranceCards/Check");
        await page.FillAsync("#insurer", StaffTyping.FullWidth(person.Insurer.Value));
        await page.FillAsync("#symbol", StaffTyping.FullWidth(person.Symbol));
        await page.FillAsync("#number", StaffTyping.FullWidth(person.Number));
        await page.FillAsync("#branch", "0");
        await page.FillAsync("#birthdate", person.Birthdate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await ShotAsync(page, "card-check-01-form");
        await page.ClickAsync("button:has-text('資格を確認する')");
        await page.WaitForSelectorAsync("[data-testid=card-result]");
        Assert.Equal("窓口 花子", (await page.TextContentAsync("[data-testid=name]"))?.Trim());
        Assert.Contains("3割", await page.TextContentAsync("[data-testid=ratio]"), StringComparison.Ordinal);
        Assert.StartsWith("昭和55年", (await page.TextContentAsync("[data-testid=birthdate]"))?.Trim(), StringComparison.Ordinal);
        await ShotAsync(page, "card-check-02-result");

        // A mistyped check digit: the field is named and marked, nothing is looked up.
        var insurer = person.Insurer.Value;
        await page.FillAsync("#insurer", insurer[..7] + (char)('0' + ((insurer[7] - '0' + 1) % 10)));
        await page.ClickAsync("button:has-text('資格を確認する')");
        await page.WaitForSelectorAsync("[data-code='card.insurer_invalid']");
        Assert.Contains("保険者番号: ", await page.TextContentAsync(".errors"), StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#insurer", "aria-invalid"));
        Assert.Equal(0, await page.Locator("[data-testid=card-result]").CountAsync());
        await ShotAsync(page, "card-check-03-error");
    }

    [Fact]
    public async Task StaffUploadAShiftJisCsvWaitForTheBulkInquiryAndDownloadItsResults()
    {
        var chromium = ChromiumPath();

        Directory.CreateDirectory(_artifacts);
        var institution = await portal.CreateInstitutionAsync("一括照会テスト訪問診療所");
        var first = await Receipt.ReceiptScenario.PersonAsync(portal, name: "訪問 一子");
        var second = await Receipt.ReceiptScenario.PersonAsync(portal, name: "訪問 二郎");
        var baseUrl = ((IKestrelPortal)portal).BaseAddress!.ToString().TrimEnd('/');
        var shiftJis = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(932)!;
        string Line(Receipt.SeededPerson p, string id) => $"{p.Insurer.Value},{p.Symbol},{p.Number},{p.Branch},{p.Birthdate:yyyy-MM-dd},{id}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArguments });
        await using var context = await browser.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1200, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60000);
        await FirstLoginAsync(page, baseUrl, institution.Code, "admin", institution.AdministratorInitialPassword, PortalFixture.StrongPassword);

        await page.ClickAsync("a[href='/BulkInquiries']");
        await page.WaitForSelectorAsync("[data-testid=bulk-upload]");
        await ShotAsync(page, "bulk-01-upload");

        // One wrong line: the whole file is refused, naming the line and the field.
        var bad = string.Join("\r\n", "保険者番号,記号,番号,枝番,生年月日,患者ID", Line(first, "A-1"), $"{first.Insurer.Value},{first.Symbol},,00,1980-02-17,A-2");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "houmon.csv", MimeType = "text/csv", Buffer = shiftJis.GetBytes(bad) });
        await page.ClickAsync("button:has-text('アップロードして照会する')");
        await page.WaitForSelectorAsync("[data-code='bulk.csv_invalid']");
        Assert.Contains("3行目 番号: ", await page.TextContentAsync(".errors"), StringComparison.Ordinal);
        await ShotAsync(page, "bulk-02-error");

        var good = string.Join("\r\n", "保険者番号,記号,番号,枝番,生年月日,患者ID", Line(first, "A-1"), Line(second, "A-2 午後"));
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "houmon.csv", MimeType = "text/csv", Buffer = shiftJis.GetBytes(good) });
        await page.ClickAsync("button:has-text('アップロードして照会する')");
        await page.WaitForURLAsync("**/BulkInquiries/Status?id=*");
        // The page refreshes itself until the worker is done.
        await page.WaitForSelectorAsync("[data-testid=job-status]:has-text('完了')");
        Assert.Equal(2, await page.Locator("[data-testid=bulk-line]").CountAsync());
        Assert.Contains("訪問 二郎", await page.TextContentAsync("[data-testid=bulk-results]"), StringComparison.Ordinal);
        await ShotAsync(page, "bulk-03-result");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=csv-utf8]"));
        var file = Path.Combine(_artifacts, "bulk-results.csv");
        await download.SaveAsAsync(file);
        var csv = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(System.Text.Encoding.UTF8.GetPreamble(), csv[..3]);
        var text = System.Text.Encoding.UTF8.GetString(csv, 3, csv.Length - 3);
        Assert.Contains("\"1\",\"A-1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"訪問 二郎\"", text, StringComparison.Ordinal);
        Assert.Contains("\"A-2 午後\"", text, StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=print]");
        await page.WaitForSelectorAsync("[data-testid=bulk-results]");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await ShotAsync(page, "bulk-04-print");
    }

    [Fact]
    public async Task AnAdministratorSwitchesOnTheEmergencyModeAndADoctorFindsAPatientWithoutACardRecordsConsentAndSeesTheMedication()
    {
        var chromium = ChromiumPath();
        Directory.CreateDirectory(_artifacts);
        var institution = await portal.CreateInstitutionAsync("緊急時テスト病院");
        var doctor = await portal.WithServiceAsync<Server.Accounts.CreateAccount, Server.Common.OperationResult<Server.Accounts.CreatedAccount>>(create => create.ExecuteAsync(
            new Server.Common.Actor(null, institution.Id, Server.Accounts.AccountRole.Administrator, "admin"),
            new Server.Accounts.AccountFieldsInput("dr01", "西条 一郎", "サイジョウ イチロウ", Server.Accounts.AccountRole.MedicalInformationViewer, "2025-06-01", null),
            TestContext.Current.CancellationToken));
        Assert.True(doctor.Succeeded, doctor.Refusal?.Message);
        var kana = "ヒナン " + (portal.Provider == Server.Data.DatabaseProvider.Sqlite ? "ハナコ" : "ユキコ");
        await portal.QueryAsync(async db =>
        {
            await Insurance.InsuranceSeed.EnsureInsurersAsync(db);
            var id = Insurance.InsuranceSeed.NextPersonId();
            var person = Insurance.InsuranceSeed.Person(id, new DateOnly(1948, 11, 3), "避難 花子", kana);
            person.Sex = Core.Codes.Sex.Female;
            person.Address = "広島県東広島市西条町寺家1-2";
            db.InsuredPersons.Add(person);
            db.Qualifications.Add(Insurance.InsuranceSeed.Qualification(id, Insurance.InsuranceSeed.Kyokai, Insurance.InsuranceSeed.NextNumber(), new DateOnly(2013, 4, 1)));
            db.MedicationDispensings.Add(new Server.MedicalInformation.MedicationDispensing { PersonId = id, OccurredOn = new DateOnly(2025, 5, 20), InstitutionName = "西条薬局", DrugCode = "2149039F1020", DrugName = "アムロジピン錠5mg", Dose = "1錠", Days = 28 });
            return await db.SaveChangesAsync();
        });
        var baseUrl = ((IKestrelPortal)portal).BaseAddress!.ToString().TrimEnd('/');

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArguments });
        await using var context = await browser.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60000);
        await FirstLoginAsync(page, baseUrl, institution.Code, "admin", institution.AdministratorInitialPassword, PortalFixture.StrongPassword);

        // 管理者: 開始 with an end 7 days on (typed in 全角) and a reason.
        await page.ClickAsync("a[href='/Emergency/Activate']");
        await page.WaitForSelectorAsync("[data-testid=emergency-activate]");
        var end = Server.Common.JapanTime.Today(TimeProvider.System).AddDays(6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#EndDate", StaffTyping.FullWidth(end));
        await page.FillAsync("#Reason", "令和7年豪雨（災害救助法適用）");
        await ShotAsync(page, "emergency-01-activate");
        await page.ClickAsync("button:has-text('開始する')");
        await page.WaitForSelectorAsync("[data-testid=emergency-status]");
        Assert.Contains("利用中", await page.TextContentAsync("[data-testid=emergency-banner]"), StringComparison.Ordinal);
        await ShotAsync(page, "emergency-02-active");

        // 医療情報閲覧: search in ひらがな and 全角 digits, choose, confirm, record the oral consent, view.
        await using var doctorContext = await browser.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1200, Height = 900 } });
        var doctorPage = await doctorContext.NewPageAsync();
        doctorPage.SetDefaultTimeout(60000);
        await FirstLoginAsync(doctorPage, baseUrl, institution.Code, "dr01", doctor.Value!.InitialPassword, "a quiet harbour at midnight");
        Assert.Contains("利用中", await doctorPage.TextContentAsync("[data-testid=emergency-banner]"), StringComparison.Ordinal);
        await doctorPage.ClickAsync("a[href='/Emergency/Search']");
        await doctorPage.WaitForSelectorAsync("[data-testid=emergency-form]");
        var hiragana = new string([.. kana.Select(c => c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) : c)]);
        await doctorPage.FillAsync("#kana", hiragana);
        await doctorPage.FillAsync("#birthdate", "１９４８－１１－０３");
        await doctorPage.CheckAsync("input[name='Input.Sex'][value='2']");
        await ShotAsync(doctorPage, "emergency-03-search");
        await doctorPage.ClickAsync("button:has-text('検索する')");
        await doctorPage.WaitForSelectorAsync("[data-testid=emergency-candidates]");
        Assert.Equal(1, await doctorPage.Locator("[data-testid=emergency-person]").CountAsync());
        await ShotAsync(doctorPage, "emergency-04-candidates");
        await doctorPage.ClickAsync("button:has-text('この方の資格を確認する')");
        await doctorPage.WaitForSelectorAsync("[data-testid=emergency-result]");
        Assert.Equal("避難 花子", (await doctorPage.TextContentAsync("[data-testid=name]"))?.Trim());
        Assert.Contains("カードによる本人確認なし", await doctorPage.TextContentAsync("[data-testid=emergency-result]"), StringComparison.Ordinal);
        await ShotAsync(doctorPage, "emergency-05-result");
        await doctorPage.CheckAsync("input[name=GivenBy][value='1']");
        await doctorPage.CheckAsync("input[name=Types][value=Pharmacy]");
        await doctorPage.ClickAsync("button:has-text('同意を記録して閲覧する')");
        await doctorPage.WaitForSelectorAsync("[data-testid=medical-information]");
        Assert.Contains("アムロジピン錠5mg", await doctorPage.TextContentAsync("[data-testid=medical-information]"), StringComparison.Ordinal);
        Assert.Equal("本人（口頭）", await doctorPage.TextContentAsync("[data-testid=consent-given-by]"));
        Assert.Contains("利用中", await doctorPage.TextContentAsync("[data-testid=emergency-banner]"), StringComparison.Ordinal);
        await ShotAsync(doctorPage, "emergency-06-medical");
        await doctorPage.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.True(await doctorPage.IsVisibleAsync("[data-testid=emergency-banner]"));
        await ShotAsync(doctorPage, "emergency-07-print");
    }

    /// <summary>
    /// 初回ログイン: 機関コード・ユーザID・the one-time password, then the forced password change, ending on the menu.
    /// <paramref name="shots"/> names the screenshots of the two filled-in forms (the first walkthrough's, in the guide).
    /// </summary>
    private async Task FirstLoginAsync(IPage page, string baseUrl, string institutionCode, string userId, string initialPassword, string newPassword, (string Login, string Change)? shots = null)
    {
        await page.GotoAsync(baseUrl + "/Login");
        await page.FillAsync("#InstitutionCode", institutionCode);
        await page.FillAsync("#UserId", userId);
        await page.FillAsync("#Password", initialPassword);
        if (shots is { } login)
        {
            await ShotAsync(page, login.Login);
        }

        await page.ClickAsync("button:has-text('ログイン')");
        await page.WaitForURLAsync("**/ChangeInitialPassword");
        Assert.Contains("初回ログインのため", await page.TextContentAsync("main"), StringComparison.Ordinal);
        await page.FillAsync("#NewPassword", newPassword);
        await page.FillAsync("#ConfirmPassword", newPassword);
        if (shots is { } change)
        {
            await ShotAsync(page, change.Change);
        }

        await page.ClickAsync("button:has-text('変更')");
        await page.WaitForURLAsync(baseUrl + "/");
    }

    private static string ChromiumPath()
    {
        var chromium = Environment.GetEnvironmentVariable("ONSHI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Onshi.Tests.MissingService.Skip($"Chromium not found at {chromium} (set ONSHI_CHROMIUM; scripts/test installs it).");
        }

        return chromium;
    }

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, name + ".png"), FullPage = true });

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")]
    private static partial Regex CodePattern();
}

public sealed class BrowserWalkthroughTestsOnSqlite(KestrelPortal portal) : BrowserWalkthroughTests(portal), IClassFixture<KestrelPortal>;

public sealed class BrowserWalkthroughTestsOnPostgres(KestrelPostgresPortal portal) : BrowserWalkthroughTests(portal), IClassFixture<KestrelPostgresPortal>;
