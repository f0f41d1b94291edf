using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.App.Tests.Infrastructure;
using Onshi.Server.Confirmations;
using Onshi.Server.Data;

namespace Onshi.App.Tests.Flow;

/// <summary>
/// The network between the app and the server taken away (not the server): a TCP relay on 127.0.0.1 refuses
/// connections, answers as a reverse proxy with a dead upstream, or cuts the answer of a confirmation the server has
/// already stored. Real Kestrel both sides, real SQLite store, Chromium on the app.
/// </summary>
[Collection(SequentialBrowserTests.Name)]
public sealed class OutageBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NetworkLossAfterTheServerStoredTheConfirmationIsRetriedWithTheSameKeyAndShowsTheOneStoredResult()
    {
        await using var s = await Scenario.StartAsync("outage-mid-confirmation", throughNetwork: true);
        var network = s.Network!;
        await s.SetUpAsync();
        await s.LogInAsync();
        await s.ChooseMethodAndReadAsync("pin");
        await s.EnterPinAsync(s.Patient.Pin);
        await s.Page.WaitForSelectorAsync("main[data-step=Consent]");

        // The request reaches the server, which stores it; the answer is lost on the way back, on every automatic retry.
        network.Fault = NetworkFault.CutConfirmationAnswers;
        await s.Page.ClickAsync("button:has-text('まとめて同意する')");
        await s.Page.WaitForSelectorAsync("main[data-step=OutcomeUnknown]");
        Assert.True(network.CutAnswers >= 2, "the app retried on its own with the same key");
        Assert.Equal("network.connection_lost", await s.MessageCodeAsync());
        Assert.Contains("接続が切れました", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.Contains("二重に記録されることはありません", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.Single(await ConfirmationsAsync(s));
        await s.Browser.ShotAsync("01-answer-lost");

        // Then the network is down altogether, then a reverse proxy answers for a server it cannot reach.
        network.Fault = NetworkFault.Refuse;
        await s.Page.ClickAsync("button:has-text('もう一度送信する')");
        await s.Page.WaitForSelectorAsync("main[data-step=OutcomeUnknown]");
        Assert.Equal("network.refused", await s.MessageCodeAsync());
        network.Fault = NetworkFault.BadGateway;
        await s.Page.ClickAsync("button:has-text('もう一度送信する')");
        await s.Page.WaitForSelectorAsync("main[data-step=OutcomeUnknown]");
        Assert.Equal("network.server_unavailable", await s.MessageCodeAsync());
        Assert.Contains("HTTP 502", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("02-bad-gateway");

        network.Fault = NetworkFault.None;
        await s.Page.ClickAsync("button:has-text('もう一度送信する')");
        await s.Page.WaitForSelectorAsync("main[data-step=Result]");
        Assert.Contains("再送信で受信", await s.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Contains("有効", await s.Page.InnerTextAsync("[data-testid=validity]"), StringComparison.Ordinal);
        await s.Browser.ShotAsync("03-result-after-network-back");

        var confirmation = Assert.Single(await ConfirmationsAsync(s));
        Assert.Equal(s.App.Flow.Attempt!.IdempotencyKey, confirmation.IdempotencyKey);
        Assert.Equal(confirmation.Id, s.App.Flow.Attempt.Result!.ConfirmationId);

        await s.Page.ClickAsync("button:has-text('次の患者へ')");
        await s.Page.WaitForSelectorAsync("main[data-step=Method]");
        Assert.Null(s.App.Flow.Attempt?.Result);
        Assert.DoesNotContain("黒桐", await s.Page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutageAtLoginCardReadAndPinIsExplainedInJapaneseAndEachStepCanBeRetriedOnceTheNetworkIsBack()
    {
        await using var s = await Scenario.StartAsync("outage-steps", throughNetwork: true);
        var network = s.Network!;
        await s.SetUpAsync();

        network.Fault = NetworkFault.Refuse;
        await s.Page.FillAsync("[data-testid=userId]", s.Clinic.StaffUserId);
        await s.Page.FillAsync("[data-testid=password]", s.Clinic.StaffPassword);
        await s.Page.ClickAsync("button:has-text('ログイン')");
        await s.Page.WaitForLoadStateAsync();
        Assert.Equal("Login", await s.StepAsync());
        Assert.Equal("network.refused", await s.MessageCodeAsync());
        Assert.Contains("保険証または資格確認書", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("01-login-refused");
        network.Fault = NetworkFault.None;
        await s.LogInAsync();

        await s.Page.ClickAsync("button[name=method][value=pin]");
        await s.Page.WaitForSelectorAsync("main[data-step=Card]");
        await s.PlaceCardAsync();
        network.Fault = NetworkFault.BadGateway;
        await s.Page.ClickAsync("button:has-text('読み取る')");
        await s.Page.WaitForLoadStateAsync();
        Assert.Equal("Card", await s.StepAsync());
        Assert.Equal("network.server_unavailable", await s.MessageCodeAsync());
        Assert.Contains("消去しました", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("02-card-check-bad-gateway");
        network.Fault = NetworkFault.None;
        await s.Page.ClickAsync("button:has-text('読み取る')");
        await s.Page.WaitForSelectorAsync("main[data-step=Pin]");

        network.Fault = NetworkFault.Refuse;
        await s.EnterPinAsync(s.Patient.Pin);
        Assert.Equal("Pin", await s.StepAsync());
        Assert.Equal("network.refused", await s.MessageCodeAsync());
        Assert.Contains("回数は減っていません", await s.MessageAsync(), StringComparison.Ordinal);
        await s.Browser.ShotAsync("03-pin-not-sent");
        network.Fault = NetworkFault.None;
        await s.EnterPinAsync(s.Patient.Pin);
        await s.Page.WaitForSelectorAsync("main[data-step=Consent]");

        // Nothing reaches the server and staff give up: the patient is forgotten and nothing was stored.
        network.Fault = NetworkFault.Refuse;
        await s.Page.ClickAsync("button:has-text('まとめて同意する')");
        await s.Page.WaitForSelectorAsync("main[data-step=OutcomeUnknown]");
        await s.Page.ClickAsync("button:has-text('あきらめて次の患者へ')");
        await s.Page.WaitForSelectorAsync("main[data-step=Method]");
        Assert.Contains("結果一覧", await s.MessageAsync(), StringComparison.Ordinal);
        Assert.Null(s.App.Flow.Attempt?.Method);
        Assert.Empty(await ConfirmationsAsync(s));
    }

    private static Task<List<AppConfirmation>> ConfirmationsAsync(Scenario s) =>
        s.Server.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AppConfirmations.IgnoreQueryFilters()
            .Where(c => c.InstitutionId == s.Clinic.InstitutionId).ToListAsync(Ct));
}
