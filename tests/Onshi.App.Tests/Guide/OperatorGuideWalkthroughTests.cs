using Microsoft.Extensions.DependencyInjection;
using Onshi.App.Tests.Infrastructure;
using Onshi.Server.Institutions;

namespace Onshi.App.Tests.Guide;

/// <summary>
/// The operator guide (docs/operator-guide.md) as a test: an administrator prepares the institution on the real
/// portal in Chromium (初回ログイン, 環境設定情報更新 with the 利用規約, アクティベーションコード発行, アカウント登録), the new
/// account logs in once, and the app is set up with what the portal handed out. The screenshots of the guide come
/// from here (ONSHI_TEST_ARTIFACTS/app/guide/).
/// </summary>
[Collection(SequentialBrowserTests.Name)]
public sealed class OperatorGuideWalkthroughTests
{
    private const string AdminPassword = "cherry trees by the river 2025";
    private const string StaffPassword = "a quiet harbour at midnight 7";

    [Fact]
    public async Task AnAdministratorPreparesThePortalAndStaffSetUpTheAppWithWhatItIssued()
    {
        await using var browser = await Browser.OpenAsync("guide");
        await using var server = new ServerHost();
        await server.StartAsync();
        var code = Onshi.Core.Identifiers.MedicalInstitutionCode.FromBody("131" + (Environment.ProcessId % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture)).Value;
        var initial = await server.WithScopeAsync(async sp =>
        {
            var created = await sp.GetRequiredService<CreateInstitution>().ExecuteAsync(code, "オンシ内科クリニック", "admin", null, CancellationToken.None);
            Assert.True(created.Succeeded, created.Refusal?.Message);
            return created.Value!.InitialPassword;
        });
        var portal = server.Url.ToString().TrimEnd('/');
        var page = browser.Page;

        // ログイン (管理者) → 初回パスワード変更
        await page.GotoAsync(portal + "/Login");
        await page.FillAsync("#InstitutionCode", code);
        await page.FillAsync("#UserId", "admin");
        await page.FillAsync("#Password", initial);
        await browser.ShotAsync("portal-01-login");
        await page.ClickAsync("button:has-text('ログイン')");
        await page.WaitForUrlOrExplainAsync("**/ChangeInitialPassword");
        await page.FillAsync("#NewPassword", AdminPassword);
        await page.FillAsync("#ConfirmPassword", AdminPassword);
        await page.ClickAsync("button:has-text('変更')");
        await page.WaitForURLAsync(portal + "/");
        await browser.ShotAsync("portal-02-menu");

        // ① 環境設定情報更新: 外来診療等(通常とは異なる動線)機能 = 利用する, with the 利用規約.
        await page.ClickAsync("text=環境設定情報更新");
        await page.CheckAsync("input[name=OutpatientFunction][value=true]");
        await page.ClickAsync("details.terms summary");
        await page.CheckAsync("input[name=AgreeToTerms]");
        await browser.ShotAsync("portal-03-settings");
        await page.ClickAsync("button:has-text('更新')");
        Assert.Contains("環境設定情報を更新しました", await page.TextContentAsync("main"), StringComparison.Ordinal);

        // ② アクティベーションコード発行
        await page.GotoAsync(portal + "/");
        await page.ClickAsync("text=アクティベーションコード発行");
        await page.FillAsync("#Label", "受付タブレット1");
        await page.ClickAsync("button:has-text('発行')");
        var activationCode = (await page.TextContentAsync("[data-testid=activation-code]") ?? "").Trim();
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", activationCode);
        await browser.ShotAsync("portal-04-activation-code");

        // ③ アカウント管理(登録): 医療情報閲覧
        await page.GotoAsync(portal + "/");
        await page.ClickAsync("text=アカウント管理(登録)");
        await page.SelectOptionAsync("#Role", "MedicalInformationViewer");
        await page.FillAsync("#UserId", "dr01");
        await page.FillAsync("#Name", "医師 一郎");
        await page.FillAsync("#NameKana", "イシ イチロウ");
        await page.FillAsync("#StartDate", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await browser.ShotAsync("portal-05-account");
        await page.ClickAsync("button:has-text('登録')");
        var staffInitial = (await page.TextContentAsync("[data-testid=initial-password]") ?? "").Trim();
        Assert.NotEmpty(staffInitial);

        // The new account logs in once at the 資格確認端末 and replaces its initial password (the app requires it).
        await using var staffContext = await page.Context.Browser!.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1100, Height = 900 } });
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync(portal + "/Login");
        await staff.FillAsync("#InstitutionCode", code);
        await staff.FillAsync("#UserId", "dr01");
        await staff.FillAsync("#Password", staffInitial);
        await staff.ClickAsync("button:has-text('ログイン')");
        await staff.WaitForURLAsync("**/ChangeInitialPassword");
        await staff.FillAsync("#NewPassword", StaffPassword);
        await staff.FillAsync("#ConfirmPassword", StaffPassword);
        await staff.ScreenshotAsync(new() { Path = Path.Combine(Path.GetDirectoryName(ShotPath(browser))!, "portal-06-first-login.png"), FullPage = true });
        await staff.ClickAsync("button:has-text('変更')");
        await staff.WaitForURLAsync(portal + "/");

        // 初回のアプリ利用: 機関コード, ユーザーID, パスワード, アクティベーションコード.
        var cards = Path.Combine(Path.GetTempPath(), "onshi-app-tests", "guide-cards-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(cards);
        await using var app = await AppHost.StartAsync(server.Url, cards, CardPath.Simulated);
        await page.GotoAsync(app.Url.ToString());
        await page.FillAsync("[data-testid=institutionCode]", code);
        await page.FillAsync("[data-testid=userId]", "dr01");
        await page.FillAsync("[data-testid=password]", StaffPassword);
        await page.FillAsync("[data-testid=activationCode]", activationCode);
        await browser.ShotAsync("app-01-setup");
        await page.ClickAsync("button:has-text('登録する')");
        await page.WaitForSelectorAsync("main[data-step=Login]");
        await page.FillAsync("[data-testid=userId]", "dr01");
        await page.FillAsync("[data-testid=password]", StaffPassword);
        await browser.ShotAsync("app-02-login");
        await page.ClickAsync("button:has-text('ログイン')");
        await page.WaitForSelectorAsync("main[data-step=Method]");
        Assert.Contains("受付タブレット1", await page.InnerTextAsync("header"), StringComparison.Ordinal);
        await browser.ShotAsync("app-03-method");
        Directory.Delete(cards, recursive: true);
    }

    private static string ShotPath(Browser browser) => browser.ArtifactPath("x");
}
