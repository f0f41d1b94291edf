using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Onshi.App.Tests.Infrastructure;
using Onshi.Server.Institutions;
using Onshi.Demo;

namespace Onshi.App.Tests.Guide;

/// <summary>
/// The whole demo story as a new user walks it (issue 19), on the demo's own seeding (DemoPopulation: its CA, its
/// named cards, cards.csv): portal set-up → app set-up → each demo card → portal detail → purpose switched off →
/// invalidation → server restart. Each defect the issue found is asserted where the user met it. Screenshots go to
/// ONSHI_TEST_ARTIFACTS/app/demo/ and are the operator guide's demo images (docs/images/demo-*.png).
/// </summary>
[Collection(SequentialBrowserTests.Name)]
public sealed class DemoWalkthroughTests
{
    private const string AdminPassword = "cherry trees by the river 2025";
    private const string StaffPassword = "a quiet harbour at midnight 7";

    private sealed record DemoCardRow(string Label, string Name, string File, string Pin, DateOnly BirthDate, int CardExpiryYear, string SecurityCode);

    [Fact]
    public async Task ANewUserWalksTheDemoFromPortalSetUpToRestartWithoutADeadEnd()
    {
        await using var browser = await Browser.OpenAsync("demo");
        var demo = Path.Combine(Path.GetTempPath(), "onshi-app-tests", "demo-" + Guid.NewGuid().ToString("N"));
        var anchor = DemoPopulation.PrepareCertificateAuthority(demo, TimeProvider.System);
        await using var server = new ServerHost(anchor);
        await server.StartAsync();
        var code = Onshi.Core.Identifiers.MedicalInstitutionCode.FromBody("134012345").Value;
        var initial = await server.WithScopeAsync(async sp =>
        {
            var created = await sp.GetRequiredService<CreateInstitution>().ExecuteAsync(code, "Onshiデモ薬局", "admin", null, CancellationToken.None);
            Assert.True(created.Succeeded, created.Refusal?.Message);
            return created.Value!.InitialPassword;
        });
        var population = await DemoPopulation.CreateAsync(server.Services, demo, TimeProvider.System, CancellationToken.None);
        Assert.Null(population.RevocationListRefusal);
        var cards = ReadCardsTable(Path.Combine(demo, "cards.csv"));
        var portal = server.Url.ToString().TrimEnd('/');

        await using var adminContext = await browser.Page.Context.Browser!.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1100, Height = 900 } });
        var admin = await adminContext.NewPageAsync();
        admin.SetDefaultTimeout(60000);
        async Task AdminShotAsync(string name) => await admin.ScreenshotAsync(new() { Path = browser.ArtifactPath(name), FullPage = true });

        // ── Portal set-up ─────────────────────────────────────────────────────────────────────
        await admin.GotoAsync(portal + "/Login");
        Assert.Contains("ユーザーID", await admin.InnerTextAsync("main"), StringComparison.Ordinal); // #13: one spelling
        await admin.FillAsync("#InstitutionCode", code);
        await admin.FillAsync("#UserId", "admin");
        await admin.FillAsync("#Password", initial);
        await admin.ClickAsync("button:has-text('ログイン')");
        await admin.WaitForUrlOrExplainAsync("**/ChangeInitialPassword");
        await admin.FillAsync("#NewPassword", AdminPassword);
        await admin.FillAsync("#ConfirmPassword", AdminPassword);
        await admin.ClickAsync("button:has-text('変更')");
        await admin.WaitForURLAsync(portal + "/");

        // #11: unknown URLs and ids answer a Japanese page with the right status.
        var missing = await admin.GotoAsync(portal + "/AppConfirmations/Detail?id=" + Guid.NewGuid());
        Assert.Equal(404, missing!.Status);
        Assert.Contains("ページが見つかりません", await admin.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.Equal(404, (await admin.GotoAsync(portal + "/no-such-page"))!.Status);
        Assert.Contains("メニューへ戻る", await admin.InnerTextAsync("body"), StringComparison.Ordinal);
        await AdminShotAsync("01-portal-not-found");

        // ① 環境設定: both 外来 and 訪問 on, so the app asks the purpose (and #6 can switch one off later).
        await admin.GotoAsync(portal + "/Settings/Edit");
        await admin.CheckAsync("input[name=OutpatientFunction][value=true]");
        await admin.CheckAsync("input[name=HomeVisitFunction][value=true]");
        Assert.True(await admin.IsVisibleAsync("details.terms summary .when-closed"));
        await admin.ClickAsync("details.terms summary");
        Assert.True(await admin.IsVisibleAsync("details.terms summary .when-open")); // #13: 閉じる once open
        Assert.False(await admin.IsVisibleAsync("details.terms summary .when-closed"));
        await admin.CheckAsync("input[name=AgreeToTerms]");
        var settingsText = await admin.InnerTextAsync("main");
        Assert.DoesNotContain("onshi-oqs-terms", settingsText, StringComparison.Ordinal); // #9: no version id in people's text
        Assert.Contains("年", settingsText, StringComparison.Ordinal);
        await AdminShotAsync("02-portal-settings");
        await admin.ClickAsync("button:has-text('更新')");
        Assert.Contains("環境設定情報を更新しました", await admin.TextContentAsync("main"), StringComparison.Ordinal);

        // ② アクティベーションコード: POST-redirect-GET, and a label cannot be used twice (#10).
        var activationCode = await IssueCodeAsync(admin, portal, "受付タブレット1");
        await AdminShotAsync("03-portal-activation-code");
        await admin.ReloadAsync();
        Assert.Equal(0, await admin.Locator("[data-testid=activation-code]").CountAsync());
        await admin.FillAsync("#Label", "受付タブレット1");
        await admin.ClickAsync("button:has-text('発行')");
        Assert.Contains("既に使われています", await admin.InnerTextAsync("main"), StringComparison.Ordinal);
        await admin.GotoAsync(portal + "/ActivationCodes");
        Assert.Equal(1, await admin.Locator("table.list tbody tr[data-id]").CountAsync());

        // ③ アカウント (医療情報閲覧) and its first login.
        await admin.GotoAsync(portal + "/Accounts/Create");
        await admin.SelectOptionAsync("#Role", "MedicalInformationViewer");
        await admin.FillAsync("#UserId", "dr01");
        await admin.FillAsync("#Name", "薬剤師 一郎");
        await admin.FillAsync("#NameKana", "ヤクザイシ イチロウ");
        await admin.FillAsync("#StartDate", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await admin.ClickAsync("button:has-text('登録')");
        var staffInitial = (await admin.TextContentAsync("[data-testid=initial-password]") ?? "").Trim();
        await using (var staffContext = await browser.Page.Context.Browser!.NewContextAsync(new() { Locale = "ja-JP" }))
        {
            var staff = await staffContext.NewPageAsync();
            await staff.GotoAsync(portal + "/Login");
            await staff.FillAsync("#InstitutionCode", code);
            await staff.FillAsync("#UserId", "dr01");
            await staff.FillAsync("#Password", staffInitial);
            await staff.ClickAsync("button:has-text('ログイン')");
            await staff.WaitForURLAsync("**/ChangeInitialPassword");
            await staff.FillAsync("#NewPassword", StaffPassword);
            await staff.FillAsync("#ConfirmPassword", StaffPassword);
            await staff.ClickAsync("button:has-text('変更')");
            await staff.WaitForURLAsync(portal + "/");
        }

        // ── App set-up ────────────────────────────────────────────────────────────────────────
        await using var app = await AppHost.StartAsync(server.Url, Path.Combine(demo, "cards"), CardPath.Simulated);
        var page = browser.Page;
        var appUrl = app.Url.ToString().TrimEnd('/');
        Assert.Equal(404, (await page.GotoAsync(appUrl + "/no-such-screen"))!.Status);
        Assert.Contains("画面が見つかりません", await page.InnerTextAsync("body"), StringComparison.Ordinal); // #11
        await page.GotoAsync(appUrl + "/");

        // #1: the demo reader panel is linked from the app, where the banner says.
        var panelLink = page.Locator("[data-testid=panel-link]");
        Assert.Equal("/Panel", await panelLink.GetAttributeAsync("href"));
        await page.FillAsync("[data-testid=institutionCode]", code);
        await page.FillAsync("[data-testid=userId]", "dr01");
        await page.FillAsync("[data-testid=password]", StaffPassword);
        await page.FillAsync("[data-testid=activationCode]", activationCode);
        await page.ClickAsync("button:has-text('登録する')");
        await page.WaitForSelectorAsync("main[data-step=Login]");
        await LogInAsync(page);
        await browser.Panel.GotoAsync(appUrl + "/Panel");
        var panelText = await browser.Panel.InnerTextAsync("main");
        foreach (var card in cards.Values)
        {
            Assert.Contains(card.Name, panelText, StringComparison.Ordinal); // #2: the table names what the panel shows
            Assert.Contains(card.Label, panelText, StringComparison.Ordinal);
        }

        await browser.Panel.ScreenshotAsync(new() { Path = browser.ArtifactPath("04-panel"), FullPage = true });

        async Task StartAsync(string method, string label)
        {
            if (await StepAsync(page) == "Purpose")
            {
                await page.ClickAsync("button[name=purpose][value=outpatient]");
            }

            await page.ClickAsync($"button[name=method][value={method}]");
            await page.WaitForSelectorAsync("main[data-step=Card]");
            await browser.Panel.GotoAsync(appUrl + "/Panel");
            await browser.Panel.ClickAsync($"[data-card='{Path.GetFileName(cards[label].File)}']");
            await page.WaitForSelectorAsync("[data-reader-status].present");
            await page.ClickAsync("button:has-text('読み取る')");
            await page.WaitForLoadStateAsync();
        }

        async Task NextPatientAsync()
        {
            await page.ClickAsync("button:has-text('次の患者へ')");
            await page.WaitForSelectorAsync("main[data-step=Purpose]");
        }

        // ── Each demo card ────────────────────────────────────────────────────────────────────
        // 有効: 限度額 and medical information to consent to (#3), codes as people read them (#9).
        await StartAsync("pin", "有効");
        Assert.Equal("Pin", await StepAsync(page));
        await EnterPinAsync(page, cards["有効"].Pin);
        Assert.Equal("Consent", await StepAsync(page));
        await browser.ShotAsync("05-app-consent");
        await page.ClickAsync("button:has-text('まとめて同意する')");
        await page.WaitForSelectorAsync("main[data-step=Result]");
        var result = await page.InnerTextAsync("main");
        Assert.Contains("3割", result, StringComparison.Ordinal);
        Assert.Contains("ウ", result, StringComparison.Ordinal);
        Assert.Contains("同意あり", result, StringComparison.Ordinal);
        Assert.DoesNotContain("030", result, StringComparison.Ordinal);
        await browser.ShotAsync("06-app-result");
        await NextPatientAsync();

        // 未登録 (#4): refused right after reading, before any PIN; the next step is 次の患者へ.
        await StartAsync("pin", "未登録");
        Assert.Equal("Ended", await StepAsync(page));
        Assert.Contains("利用登録されていません", await MessageAsync(page), StringComparison.Ordinal);
        await browser.ShotAsync("07-app-not-linked");
        await NextPatientAsync();

        // 証明書期限切れ（猶予期間後）(#4): refused before 照合番号B as well.
        await StartAsync("visual", "証明書期限切れ（猶予期間後）");
        Assert.Equal("Ended", await StepAsync(page));
        Assert.Contains("3か月を過ぎている", await MessageAsync(page), StringComparison.Ordinal);
        await NextPatientAsync();

        // 証明書期限切れ（猶予期間内）(#5): no consent asked; the warning once; no empty 同意 box.
        await StartAsync("pin", "証明書期限切れ（猶予期間内）");
        await EnterPinAsync(page, cards["証明書期限切れ（猶予期間内）"].Pin);
        Assert.Equal("Result", await StepAsync(page));
        var graceText = await page.InnerTextAsync("main");
        Assert.Equal(1, CountOf(graceText, "有効期限"));
        Assert.Equal(0, await page.Locator("[data-testid=consents]").CountAsync());
        await browser.ShotAsync("08-app-qualification-only");
        await NextPatientAsync();

        // 暗証番号を間違えやすい (#8): the wrong PIN that locks the card is named as wrong.
        await StartAsync("pin", "暗証番号を間違えやすい");
        Assert.Contains("あと1回", await MessageAsync(page), StringComparison.Ordinal);
        await EnterPinAsync(page, WrongPin(cards["暗証番号を間違えやすい"].Pin));
        Assert.Equal("PinBlocked", await StepAsync(page));
        Assert.Contains("入力された暗証番号が違います", await MessageAsync(page), StringComparison.Ordinal);
        await browser.ShotAsync("09-app-pin-locked-now");
        await page.ClickAsync("button:has-text('中止して次の患者へ')");
        await page.WaitForSelectorAsync("main[data-step=Purpose]");

        // 顔認証マイナンバーカード (#8): not sent to the 市区町村 as if locked.
        await StartAsync("pin", "顔認証マイナンバーカード");
        Assert.Equal("PinBlocked", await StepAsync(page));
        var faceText = await page.InnerTextAsync("main");
        Assert.Contains("顔認証マイナンバーカード", faceText, StringComparison.Ordinal);
        Assert.Contains("手続きは不要", faceText, StringComparison.Ordinal);
        await browser.ShotAsync("10-app-pin-unusable");

        // …switch to 目視確認 with the 照合番号B parts of cards.csv (#2); 本人と確認できない ends with 資格確認書 (#13).
        await page.ClickAsync("button:has-text('目視確認に切り替える')");
        await page.WaitForSelectorAsync("main[data-step=Card]");
        await page.ClickAsync("button:has-text('読み取る')");
        await page.WaitForSelectorAsync("main[data-step=CheckCode]");
        await EnterCheckCodeAsync(page, cards["顔認証マイナンバーカード"]);
        Assert.Equal("VisualCheck", await StepAsync(page));
        await page.ClickAsync("button:has-text('本人と確認できない')");
        await page.WaitForSelectorAsync("main[data-step=Ended]");
        var notIdentified = await MessageAsync(page);
        Assert.Contains("資格確認書", notIdentified, StringComparison.Ordinal);
        Assert.DoesNotContain("保険証などほかの方法", notIdentified, StringComparison.Ordinal);
        await NextPatientAsync();

        // 高齢受給者・限度額 and 特定疾病 (#3).
        await StartAsync("visual", "高齢受給者・限度額");
        await EnterCheckCodeAsync(page, cards["高齢受給者・限度額"]);
        await page.ClickAsync("button:has-text('本人と確認した')");
        await page.ClickAsync("button:has-text('まとめて同意する')");
        await page.WaitForSelectorAsync("main[data-step=Result]");
        var elderly = await page.InnerTextAsync("main");
        Assert.Contains("2割", elderly, StringComparison.Ordinal);
        Assert.Contains("一般", elderly, StringComparison.Ordinal);
        await browser.ShotAsync("11-app-elderly-limit");
        await NextPatientAsync();
        await StartAsync("pin", "特定疾病");
        await EnterPinAsync(page, cards["特定疾病"].Pin);
        await page.ClickAsync("button:has-text('まとめて同意する')");
        await page.WaitForSelectorAsync("main[data-step=Result]");
        Assert.Contains("特定疾病療養受療証", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await NextPatientAsync();

        // 公費 (#3): a 生活保護 patient with no 医療保険; the result shows the 医療扶助 and this month's 医療券.
        await StartAsync("pin", DemoPopulation.MedicalAssistanceLabel);
        await EnterPinAsync(page, cards[DemoPopulation.MedicalAssistanceLabel].Pin);
        await page.ClickAsync("button:has-text('まとめて同意する')");
        await page.WaitForSelectorAsync("main[data-step=Result]");
        var assistance = await page.InnerTextAsync("main");
        Assert.Contains("公費（医療扶助）", assistance, StringComparison.Ordinal);
        Assert.Contains("公費負担者番号", assistance, StringComparison.Ordinal);
        Assert.Contains(DemoPopulation.DemoBearerNumber, assistance, StringComparison.Ordinal);
        Assert.Contains("受給者番号", assistance, StringComparison.Ordinal);
        Assert.Contains("千代田区福祉事務所", assistance, StringComparison.Ordinal);
        Assert.Contains("医療券", assistance, StringComparison.Ordinal);
        Assert.Contains("本態性高血圧症", assistance, StringComparison.Ordinal);
        Assert.DoesNotContain("負担割合", assistance, StringComparison.Ordinal);
        await browser.ShotAsync("11b-app-public-expense");
        await NextPatientAsync();

        // ── Portal detail ─────────────────────────────────────────────────────────────────────
        await admin.GotoAsync(portal + "/AppConfirmations");
        var list = await admin.InnerTextAsync("main");
        await AdminShotAsync("12-portal-results");
        var refused = await admin.InnerTextAsync("[data-testid=refused]");
        Assert.Contains("健康保険証の利用登録がされていないカード", refused, StringComparison.Ordinal); // #14
        Assert.Contains("有効期限切れ（3か月超）", refused, StringComparison.Ordinal);
        Assert.Contains("暗証番号が使えないカード", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(cards["未登録"].Name, refused, StringComparison.Ordinal);
        Assert.Contains(cards["有効"].Name.Replace('　', ' '), list.Replace('　', ' '), StringComparison.Ordinal);
        await admin.Locator("table.list tbody tr[data-id]").Filter(new() { HasText = cards["有効"].Name }).Locator("a:has-text('詳細')").ClickAsync();
        await admin.WaitForURLAsync("**/AppConfirmations/Detail?id=*");
        Assert.Equal("3割", (await admin.InnerTextAsync("[data-testid=ratio]")).Trim()); // #9
        Assert.Equal("ウ", (await admin.InnerTextAsync("[data-testid=limit]")).Trim());
        await AdminShotAsync("13-portal-detail");
        await admin.GotoAsync(portal + "/AppConfirmations");
        await admin.Locator("table.list tbody tr[data-id]").Filter(new() { HasText = "資格情報のみ" }).Locator("a:has-text('詳細')").ClickAsync();
        await admin.WaitForURLAsync("**/AppConfirmations/Detail?id=*");
        var graceDetail = await admin.InnerTextAsync("main");
        Assert.DoesNotContain("ONSI", graceDetail, StringComparison.Ordinal); // #9
        Assert.Contains("有効期限", graceDetail, StringComparison.Ordinal);
        // 目視確認 with the card present (issue 14): the detail names the method and that the card itself signed.
        await admin.GotoAsync(portal + "/AppConfirmations");
        await admin.Locator("table.list tbody tr[data-id]").Filter(new() { HasText = cards["高齢受給者・限度額"].Name }).Locator("a:has-text('詳細')").ClickAsync();
        await admin.WaitForURLAsync("**/AppConfirmations/Detail?id=*");
        var method = (await admin.InnerTextAsync("[data-testid=method]")).Trim();
        Assert.StartsWith("目視確認", method, StringComparison.Ordinal);
        Assert.Contains("カードの署名でカードの存在を確認", method, StringComparison.Ordinal);

        // The same 公費 in the portal's detail (#3).
        await admin.GotoAsync(portal + "/AppConfirmations");
        await admin.Locator("table.list tbody tr[data-id]").Filter(new() { HasText = cards[DemoPopulation.MedicalAssistanceLabel].Name }).Locator("a:has-text('詳細')").ClickAsync();
        await admin.WaitForURLAsync("**/AppConfirmations/Detail?id=*");
        Assert.Equal(DemoPopulation.DemoBearerNumber, (await admin.InnerTextAsync("[data-testid=bearer-number]")).Trim());
        Assert.Equal("千代田区福祉事務所", (await admin.InnerTextAsync("[data-testid=welfare-office]")).Trim());
        Assert.Equal("医療券", (await admin.InnerTextAsync("[data-testid=medical-tickets]")).Trim());
        Assert.Contains("本態性高血圧症", await admin.InnerTextAsync("[data-testid=ticket-injury]"), StringComparison.Ordinal);
        await AdminShotAsync("13b-portal-public-expense");

        // 操作履歴 for the 管理者 (#13): read only, filtered.
        await admin.GotoAsync(portal + "/Audit?action=app.attempt_refused");
        // 未登録, beyond the grace, and the two cards whose PIN cannot be used.
        Assert.Equal(4, await admin.Locator("[data-testid=audit] tbody tr[data-action='app.attempt_refused']").CountAsync());
        Assert.Equal(0, await admin.Locator("[data-testid=audit] form").CountAsync());
        await AdminShotAsync("14-portal-audit");

        // ── A purpose switched off while staff are logged in (#6) ─────────────────────────────
        await page.ClickAsync("button[name=purpose][value=outpatient]");
        await page.WaitForSelectorAsync("main[data-step=Method]");
        await admin.GotoAsync(portal + "/Settings/Edit");
        await admin.CheckAsync("input[name=OutpatientFunction][value=false]");
        await admin.ClickAsync("button:has-text('更新')");
        await page.ClickAsync("button[name=method][value=pin]");
        await page.WaitForSelectorAsync("main[data-step=Purpose]");
        Assert.Contains("利用できる目的を選んでください", await MessageAsync(page), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("button[name=purpose][value=outpatient]").CountAsync());
        await browser.ShotAsync("15-app-purpose-switched-off");

        // ── Invalidation (#7): the next step, before the patient types anything, wipes the device ─────
        await page.ClickAsync("button[name=purpose][value=homeVisit]");
        await page.WaitForSelectorAsync("main[data-step=Method]");
        await admin.GotoAsync(portal + "/ActivationCodes");
        await admin.ClickAsync("a:has-text('無効化する')");
        await admin.ClickAsync("button:has-text('無効化する')");
        await page.ClickAsync("button[name=method][value=pin]");
        await page.WaitForSelectorAsync("main[data-step=Setup]");
        Assert.Contains("無効化", await MessageAsync(page), StringComparison.Ordinal);
        await browser.ShotAsync("16-app-invalidated");

        // ── Restart: the server comes back with its data; a new code sets the device up again ─────
        await server.StopAsync();
        await server.StartAsync();
        await admin.GotoAsync(portal + "/Login");
        await admin.FillAsync("#InstitutionCode", code);
        await admin.FillAsync("#UserId", "admin");
        await admin.FillAsync("#Password", AdminPassword);
        await admin.ClickAsync("button:has-text('ログイン')");
        await admin.WaitForURLAsync(portal + "/");
        var second = await IssueCodeAsync(admin, portal, "受付タブレット1"); // the invalidated code's label is free again
        await page.FillAsync("[data-testid=institutionCode]", code);
        await page.FillAsync("[data-testid=userId]", "dr01");
        await page.FillAsync("[data-testid=password]", StaffPassword);
        await page.FillAsync("[data-testid=activationCode]", second);
        await page.ClickAsync("button:has-text('登録する')");
        await page.WaitForSelectorAsync("main[data-step=Login]");
        await LogInAsync(page, "Method"); // only 訪問診療等 is left: no purpose screen
        await StartAsync("pin", "有効");
        await EnterPinAsync(page, cards["有効"].Pin);
        await page.ClickAsync("button:has-text('まとめて同意する')");
        await page.WaitForSelectorAsync("main[data-step=Result]");
        Assert.Contains("有効", await page.InnerTextAsync("[data-testid=validity]"), StringComparison.Ordinal);
        await browser.ShotAsync("17-app-after-restart");
        Directory.Delete(demo, recursive: true);
    }

    private static async Task<string> IssueCodeAsync(IPage admin, string portal, string label)
    {
        await admin.GotoAsync(portal + "/ActivationCodes/Issue");
        await admin.FillAsync("#Label", label);
        await admin.ClickAsync("button:has-text('発行')");
        await admin.WaitForSelectorAsync("[data-testid=activation-code]");
        Assert.EndsWith("/ActivationCodes/Issue", new Uri(admin.Url).AbsolutePath, StringComparison.Ordinal); // redirected, not the POST's answer
        return (await admin.TextContentAsync("[data-testid=activation-code]") ?? "").Trim();
    }

    private static async Task LogInAsync(IPage page, string expectedStep = "Purpose")
    {
        await page.FillAsync("[data-testid=userId]", "dr01");
        await page.FillAsync("[data-testid=password]", StaffPassword);
        await page.ClickAsync("button:has-text('ログイン')");
        await page.WaitForSelectorAsync($"main[data-step={expectedStep}]");
    }

    private static async Task<string> StepAsync(IPage page) => await page.Locator("main").GetAttributeAsync("data-step") ?? "";

    private static async Task<string> MessageAsync(IPage page) =>
        await page.Locator("[data-testid=message]").CountAsync() > 0 ? await page.InnerTextAsync("[data-testid=message]") : "";

    private static async Task EnterPinAsync(IPage page, string pin)
    {
        foreach (var digit in pin)
        {
            await page.ClickAsync($".keys [data-key='{digit}']");
        }

        await page.ClickAsync("[data-testid=pin-submit]");
        await page.WaitForLoadStateAsync();
    }

    private static async Task EnterCheckCodeAsync(IPage page, DemoCardRow card)
    {
        Assert.True(Onshi.Core.Dates.JapaneseDate.TryFromGregorian(card.BirthDate, out var japanese, out _));
        await page.SelectOptionAsync("[data-testid=era]", ((int)japanese.Era).ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=year]", japanese.Year.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=month]", card.BirthDate.Month.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=day]", card.BirthDate.Day.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=expiryYear]", card.CardExpiryYear.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=securityCode]", card.SecurityCode);
        await page.ClickAsync("button:has-text('カードを読み取る')");
        await page.WaitForLoadStateAsync();
    }

    private static string WrongPin(string pin) => pin == "0000" ? "1111" : "0000";

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>cards.csv as a person reads it: by label, with name, PIN and the parts of 照合番号B.</summary>
    private static Dictionary<string, DemoCardRow> ReadCardsTable(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',').ToList();
        int Column(string name) => header.IndexOf(name) is >= 0 and var i ? i : throw new InvalidOperationException($"cards.csv has no {name} column.");
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(
            f => f[Column("label")],
            f => new DemoCardRow(f[Column("label")], f[Column("name")], f[Column("card_file")], f[Column("pin")],
                DateOnly.ParseExact(f[Column("birth_date")], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                int.Parse(f[Column("card_expiry_year")], CultureInfo.InvariantCulture), f[Column("security_code")]),
            StringComparer.Ordinal);
    }
}
