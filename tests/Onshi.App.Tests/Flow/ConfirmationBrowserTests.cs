using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.App.Tests.Infrastructure;
using Onshi.Server.Consent;
using Onshi.Server.Data;

namespace Onshi.App.Tests.Flow;

/// <summary>
/// The app end to end in Chromium: the real server (Kestrel, SQLite) seeded through its own operations, the app on
/// 127.0.0.1, virtual cards placed through the demo panel. Screenshots under ONSHI_TEST_ARTIFACTS/app/.
/// </summary>
[Collection(SequentialBrowserTests.Name)]
public sealed class ConfirmationBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstTimeSetupExplainsEveryRefusalThenSucceeds()
    {
        await using var s = await Scenario.StartAsync("setup");
        var used = await Seed.ActivationCodeAsync(s.Server, s.Clinic, "使用済みの端末");
        var invalidated = await Seed.ActivationCodeAsync(s.Server, s.Clinic, "無効化した端末");
        await Seed.InvalidateAsync(s.Server, s.Clinic, invalidated.Id);
        await s.Browser.ShotAsync("01-setup");

        await s.SetUpAsync(password: "wrong password 123");
        Assert.Equal("Setup", await s.StepAsync());
        Assert.Contains("パスワードが正しくない", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("02-setup-wrong-password");

        await s.SetUpAsync(userId: s.Clinic.NeverLoggedInUserId, password: s.Clinic.NeverLoggedInPassword);
        Assert.Contains("資格確認端末で一度ログイン", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("03-setup-never-logged-in");

        await s.SetUpAsync(code: "AAAA-BBBB-CCCC-DDDD");
        Assert.Equal("Setup", await s.StepAsync());
        var unknown = await s.MessageAsync();
        Assert.Contains("アクティベーションコード", unknown, StringComparison.Ordinal);

        await s.SetUpAsync(code: invalidated.Code);
        Assert.Contains("無効", await s.MessageAsync(), StringComparison.Ordinal);

        await s.SetUpAsync(institutionCode: "12345");
        Assert.Contains("10桁", await s.MessageAsync(), StringComparison.Ordinal);

        // A code is bound to the first device that uses it: a second device with the same code is refused.
        await s.SetUpAsync(code: used.Code);
        Assert.Equal("Login", await s.StepAsync());
        Assert.Contains("初期設定が完了しました", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.Contains("使用済みの端末", await s.Page.InnerTextAsync("header"), StringComparison.Ordinal);
        await s.Browser.ShotAsync("04-setup-done-login");
        Assert.True(File.Exists(Path.Combine(s.App.DataFolder, "credentials.bin")));

        await s.Page.ClickAsync("summary:has-text('この端末について')");
        await s.Page.ClickAsync("button:has-text('この端末の登録を削除する')");
        Assert.Equal("Setup", await s.StepAsync());
        await s.SetUpAsync(code: used.Code);
        Assert.Equal("Setup", await s.StepAsync());
        Assert.Contains("使", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("05-setup-code-used");
    }

    [Fact]
    public async Task PinFlowWithOneWrongPinThenSuccessRecordsTheConsentsAsGivenAndShowsTheResult()
    {
        await RunPinFlowAsync(CardPath.Simulated, "pin");
    }

    [Fact]
    public async Task PinFlowRunsWithTheCardBehindTheRealPcscStack()
    {
        await RunPinFlowAsync(CardPath.RealPcsc, "pin-pcsc");
    }

    [Fact]
    public async Task VisualFlowWithAWrongThenRightCheckCode()
    {
        await RunVisualFlowAsync(CardPath.Simulated, "visual");
    }

    [Fact]
    public async Task VisualFlowRunsWithTheCardBehindTheRealPcscStack()
    {
        await RunVisualFlowAsync(CardPath.RealPcsc, "visual-pcsc");
    }

    [Fact]
    public async Task ThreeWrongPinsBlockTheCardAndStaffSwitchToVisualCheck()
    {
        await using var s = await Scenario.StartAsync("pin-blocked");
        await s.SetUpAsync();
        await s.LogInAsync();
        await s.ChooseMethodAndReadAsync("pin");

        await s.EnterPinAsync("1111");
        Assert.Contains("残り2回", await s.MessageAsync(), StringComparison.Ordinal);
        await s.EnterPinAsync("2222");
        Assert.Contains("残り1回", await s.MessageAsync(), StringComparison.Ordinal);
        await s.EnterPinAsync("3333");

        Assert.Equal("PinBlocked", await s.StepAsync());
        var text = await s.Page.InnerTextAsync("main");
        Assert.Contains("入力された暗証番号が違います", text, StringComparison.Ordinal); // the entry that locked it is named as wrong (issue 19 #8)
        Assert.Contains("市区町村の窓口", text, StringComparison.Ordinal);
        await s.Browser.ShotAsync("01-pin-blocked");

        await s.Page.ClickAsync("button:has-text('目視確認に切り替える')");
        await s.Page.WaitForSelectorAsync("main[data-step=Card]");
        await s.Page.ClickAsync("button:has-text('読み取る')");
        await s.Page.WaitForSelectorAsync("main[data-step=CheckCode]");
        await s.EnterCheckCodeAsync("3", 55, 2, 17, s.Patient.CardExpiryYear, s.Patient.SecurityCode);
        Assert.Equal("VisualCheck", await s.StepAsync());
        await s.Page.ClickAsync("button:has-text('本人と確認した')");
        await s.Page.ClickAsync("button:has-text('まとめて同意する')");
        await s.Page.WaitForSelectorAsync("main[data-step=Result]");
        Assert.Contains("有効", await s.Page.InnerTextAsync("[data-testid=validity]"), StringComparison.Ordinal);
        Assert.Contains("目視確認", await s.Page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidatingTheDeviceWhileLoggedInWipesItAndReturnsToSetup()
    {
        await using var s = await Scenario.StartAsync("invalidated");
        await s.SetUpAsync();
        await s.LogInAsync();
        await s.ChooseMethodAndReadAsync("pin");

        await Seed.InvalidateAsync(s.Server, s.Clinic, s.ActivationCode.Id);
        await s.EnterPinAsync(s.Patient.Pin);

        Assert.Equal("Setup", await s.StepAsync());
        Assert.Contains("無効化", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.Contains("初期設定をやり直して", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(s.App.DataFolder, "credentials.bin")));
        Assert.Null(s.App.Flow.Credentials);
        await s.Browser.ShotAsync("01-device-invalidated");
    }

    [Fact]
    public async Task ServerGoingAwayMidConfirmationIsRetriedWithTheSameKeyAndYieldsOneResult()
    {
        await using var s = await Scenario.StartAsync("server-away");
        await s.SetUpAsync();
        await s.LogInAsync();
        await s.ChooseMethodAndReadAsync("pin");
        await s.EnterPinAsync(s.Patient.Pin);
        await s.Page.WaitForSelectorAsync("main[data-step=Consent]");

        // The server records the confirmation but the answer never arrives; then the server goes away altogether.
        s.Server.Dropper.DropConfirmations = true;
        await s.Page.ClickAsync("button:has-text('まとめて同意する')");
        await s.Page.WaitForSelectorAsync("main[data-step=OutcomeUnknown]");
        Assert.True(s.Server.Dropper.Dropped >= 2, "the app retried on its own with the same key");
        Assert.Contains("二重に記録されることはありません", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Server.StopAsync();
        await s.Page.ClickAsync("button:has-text('もう一度送信する')");
        await s.Page.WaitForSelectorAsync("main[data-step=OutcomeUnknown]");
        await s.Browser.ShotAsync("01-outcome-unknown");

        s.Server.Dropper.DropConfirmations = false;
        await s.Server.StartAsync();
        await s.Page.ClickAsync("button:has-text('もう一度送信する')");
        await s.Page.WaitForSelectorAsync("main[data-step=Result]");
        Assert.Contains("再送信で受信", await s.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        await s.Browser.ShotAsync("02-result-after-retry");

        var (confirmations, consents) = await s.Server.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var rows = await db.AppConfirmations.IgnoreQueryFilters().Where(c => c.InstitutionId == s.Clinic.InstitutionId).ToListAsync(Ct);
            var records = await db.ConsentRecords.IgnoreQueryFilters().Where(c => c.PersonId == s.Patient.PersonId).ToListAsync(Ct);
            return (rows, records);
        });
        var confirmation = Assert.Single(confirmations);
        Assert.Equal(s.App.Flow.Attempt!.IdempotencyKey, confirmation.IdempotencyKey);
        Assert.All(consents, c => Assert.Equal(confirmation.Id, c.ConfirmationId));
        Assert.Equal(3, consents.Count); // pharmacy, diagnosis, checkup offered; one record each
    }

    private static async Task RunPinFlowAsync(CardPath path, string name)
    {
        await using var s = await Scenario.StartAsync(name, path, elderly: true);
        await s.SetUpAsync();
        await s.LogInAsync();
        await s.Browser.ShotAsync("01-method");
        await s.Page.ClickAsync("button[name=method][value=pin]");
        await s.Page.WaitForSelectorAsync("main[data-step=Card]");
        Assert.Contains("カードが置かれていません", await s.Page.InnerTextAsync("[data-reader-status]"), StringComparison.Ordinal);
        Assert.True(await s.Page.IsDisabledAsync("button:has-text('読み取る')"));
        await s.Browser.ShotAsync("02-card-wait");
        await s.PlaceCardAsync();
        await s.Browser.ShotAsync("03-card-present");
        await s.Page.ClickAsync("button:has-text('読み取る')");
        await s.Page.WaitForSelectorAsync("main[data-step=Pin]");

        await s.Page.ClickAsync(".keys [data-key='5']");
        await s.Page.ClickAsync(".keys [data-key='6']");
        Assert.Equal("56", await s.Page.InputValueAsync("[data-testid=pin]"));
        Assert.Equal("password", await s.Page.GetAttributeAsync("[data-testid=pin]", "type"));
        await s.Browser.ShotAsync("04-pin-pad");
        await s.Page.ClickAsync(".keys [data-key='clear']");
        await s.EnterPinAsync("9999");
        Assert.Equal("Pin", await s.StepAsync());
        Assert.Contains("残り2回", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("05-pin-wrong");

        await s.EnterPinAsync(s.Patient.Pin);
        await s.Page.WaitForSelectorAsync("main[data-step=Consent]");
        Assert.DoesNotContain("限度額の情報を", await s.Page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await s.Browser.ShotAsync("06-consent-comprehensive");
        await s.Page.ClickAsync("button:has-text('ひとつずつ選ぶ')");
        Assert.Contains("薬剤情報", await s.Page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await s.Browser.ShotAsync("07-consent-pharmacy");
        await s.Page.ClickAsync("button:has-text('同意する')");
        Assert.Contains("診療情報", await s.Page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await s.Page.ClickAsync("button:has-text('同意しない')");
        Assert.Contains("特定健診情報", await s.Page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await s.Page.ClickAsync("button:has-text('同意する')");
        await s.Page.WaitForSelectorAsync("main[data-step=Result]");
        await s.Browser.ShotAsync("08-result");

        // 結果: validity in words and colour, 和暦, 負担割合, 限度額 区分, 高齢受給者証, the copy text.
        var validity = s.Page.Locator("[data-testid=validity]");
        Assert.Contains("有効", await validity.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("valid", await validity.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        var main = await s.Page.InnerTextAsync("main");
        Assert.Contains("昭和25年2月17日", main, StringComparison.Ordinal);
        Assert.Contains("2割", main, StringComparison.Ordinal);
        Assert.Contains("限度額適用認定証", main, StringComparison.Ordinal);
        Assert.Contains("ウ", main, StringComparison.Ordinal);
        Assert.Contains("高齢受給者証", main, StringComparison.Ordinal);
        Assert.Contains("オンシ健康保険組合", main, StringComparison.Ordinal);
        var consentTable = await s.Page.InnerTextAsync("[data-testid=consents]");
        Assert.Contains("薬剤情報\t同意あり", consentTable, StringComparison.Ordinal);
        Assert.Contains("診療情報\t同意なし", consentTable, StringComparison.Ordinal);
        var copy = await s.Page.InputValueAsync("[data-testid=copy-text]");
        Assert.StartsWith("資格情報\n確認日 : \t", copy.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("生年月日\t昭和25年2月17日", copy, StringComparison.Ordinal);

        // The consent answers reached the server as given.
        var records = await s.Server.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().ConsentRecords.IgnoreQueryFilters()
            .Where(c => c.PersonId == s.Patient.PersonId).ToListAsync(Ct));
        Assert.True(records.Single(r => r.InformationType == InformationType.Pharmacy).Given);
        Assert.False(records.Single(r => r.InformationType == InformationType.Diagnosis).Given);
        Assert.True(records.Single(r => r.InformationType == InformationType.Checkup).Given);
        Assert.All(records, r => Assert.False(r.Comprehensive));
        Assert.DoesNotContain(records, r => r.InformationType == InformationType.Operation);

        // 次の患者へ: nothing of the patient is left on screen or in the app.
        await s.Page.ClickAsync("button:has-text('次の患者へ')");
        await s.Page.WaitForSelectorAsync("main[data-step=Method]");
        Assert.DoesNotContain("黒桐", await s.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Null(s.App.Flow.Attempt?.Result);
        await s.RemoveCardAsync();
    }

    private static async Task RunVisualFlowAsync(CardPath path, string name)
    {
        await using var s = await Scenario.StartAsync(name, path);
        await s.SetUpAsync();
        await s.LogInAsync();
        await s.ChooseMethodAndReadAsync("visual");
        await s.Browser.ShotAsync("01-check-code");

        await s.EnterCheckCodeAsync("3", 55, 2, 17, s.Patient.CardExpiryYear, "0000");
        Assert.Equal("CheckCode", await s.StepAsync());
        Assert.Contains("照合番号Bが一致しません", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.Contains("残り9回", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("02-check-code-wrong");

        await s.EnterCheckCodeAsync("3", 55, 2, 17, s.Patient.CardExpiryYear, s.Patient.SecurityCode);
        Assert.Equal("VisualCheck", await s.StepAsync());
        Assert.Equal("黒桐　幹也", (await s.Page.InnerTextAsync("[data-testid=face-name]")).Trim());
        var photoLoaded = await s.Page.EvaluateAsync<bool>("() => { const i = document.querySelector('[data-testid=face-photo]'); return i.complete && i.naturalWidth > 0; }");
        Assert.True(photoLoaded, "the JPEG 2000 face photo is shown as PNG");
        Assert.Contains("昭和55年2月17日", await s.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        await s.Browser.ShotAsync("03-visual-check");

        await s.Page.ClickAsync("button:has-text('本人と確認した')");
        await s.Page.WaitForSelectorAsync("main[data-step=Consent]");
        await s.Page.ClickAsync("button:has-text('まとめて同意する')");
        await s.Page.WaitForSelectorAsync("main[data-step=Result]");
        await s.Browser.ShotAsync("04-result");
        Assert.Contains("有効", await s.Page.InnerTextAsync("[data-testid=validity]"), StringComparison.Ordinal);
        Assert.Contains("3割", await s.Page.InnerTextAsync("main"), StringComparison.Ordinal);

        var (confirmation, records) = await s.Server.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            return (await db.AppConfirmations.IgnoreQueryFilters().SingleAsync(c => c.InstitutionId == s.Clinic.InstitutionId, Ct),
                await db.ConsentRecords.IgnoreQueryFilters().Where(c => c.PersonId == s.Patient.PersonId).ToListAsync(Ct));
        });
        Assert.True(confirmation.VisualAttestation);
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.True(r.Given && r.Comprehensive));
        await s.Page.ClickAsync("button:has-text('次の患者へ')");
        await s.RemoveCardAsync();
    }
}
