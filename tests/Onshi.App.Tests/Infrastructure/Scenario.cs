using Microsoft.Playwright;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>One test's world: the real server, a seeded clinic with one activation code and demo patients, the app, Chromium.</summary>
public sealed class Scenario : IAsyncDisposable
{
    private readonly string _cards = Path.Combine(Path.GetTempPath(), "onshi-app-tests", "cards-" + Guid.NewGuid().ToString("N"));

    private Scenario(CardPath path)
    {
        CardPath = path;
        Directory.CreateDirectory(_cards);
    }

    public CardPath CardPath { get; }

    public ServerHost Server { get; } = new();

    public AppHost App { get; private set; } = null!;

    public Browser Browser { get; private set; } = null!;

    public Clinic Clinic { get; private set; } = null!;

    public (string Code, int Id, Guid Version) ActivationCode { get; private set; }

    public DemoPatient Patient { get; private set; } = null!;

    public IPage Page => Browser.Page;

    /// <summary>The relay between the app and the server, when the test takes the network away (<c>throughNetwork</c>).</summary>
    public NetworkProxy? Network { get; private set; }

    public static async Task<Scenario> StartAsync(string testName, CardPath path = CardPath.Simulated, bool elderly = false,
        bool throughNetwork = false)
    {
        if (path == CardPath.RealPcsc)
        {
            PcscSlot.Require();
        }

        var browser = await Browser.OpenAsync(testName);
        var scenario = new Scenario(path) { Browser = browser };
        await scenario.Server.StartAsync();
        scenario.Clinic = await Seed.ClinicAsync(scenario.Server);
        scenario.ActivationCode = await Seed.ActivationCodeAsync(scenario.Server, scenario.Clinic, "受付タブレット1");
        scenario.Patient = await Seed.PatientAsync(scenario.Server, scenario._cards, "01-kokuto.json", "黒桐　幹也", "コクトウ　ミキヤ",
            elderly ? new DateOnly(1950, 2, 17) : new DateOnly(1980, 2, 17), elderly: elderly);
        if (path == CardPath.RealPcsc)
        {
            await PcscSlot.WaitUntilAsync(present: false, TestContext.Current.CancellationToken);
        }

        scenario.Network = throughNetwork ? new NetworkProxy(scenario.Server.Url) : null;
        scenario.App = await AppHost.StartAsync(scenario.Network?.Url ?? scenario.Server.Url, scenario._cards, path);
        await scenario.Page.GotoAsync(scenario.App.Url.ToString());
        return scenario;
    }

    public string Url(string path = "") => new Uri(App.Url, path).ToString();

    public async Task<string> MessageAsync() => (await Page.Locator("[data-testid=message]").InnerTextAsync()).Trim();

    /// <summary>The machine code of the message on screen (the refusal's, or <c>network.*</c>), empty when it has none.</summary>
    public async Task<string> MessageCodeAsync() => await Page.Locator("[data-testid=message]").GetAttributeAsync("data-code") ?? "";

    public async Task<string> StepAsync() => await Page.Locator("main").GetAttributeAsync("data-step") ?? "";

    public async Task SetUpAsync(string? code = null, string? userId = null, string? password = null, string? institutionCode = null)
    {
        await Page.FillAsync("[data-testid=institutionCode]", institutionCode ?? Clinic.Code);
        await Page.FillAsync("[data-testid=userId]", userId ?? Clinic.StaffUserId);
        await Page.FillAsync("[data-testid=password]", password ?? Clinic.StaffPassword);
        await Page.FillAsync("[data-testid=activationCode]", code ?? ActivationCode.Code);
        await Page.ClickAsync("button:has-text('登録する')");
        await Page.WaitForLoadStateAsync();
    }

    public async Task LogInAsync()
    {
        await Page.FillAsync("[data-testid=userId]", Clinic.StaffUserId);
        await Page.FillAsync("[data-testid=password]", Clinic.StaffPassword);
        await Page.ClickAsync("button:has-text('ログイン')");
        await Page.WaitForSelectorAsync("main[data-step=Method]");
    }

    /// <summary>Someone puts the card on the reader (panel tab); waits until the app's live status shows it.</summary>
    public async Task PlaceCardAsync(string? file = null)
    {
        await Browser.Panel.GotoAsync(Url("Panel"));
        await Browser.Panel.ClickAsync($"[data-card='{file ?? Patient.FileName}']");
        await Page.WaitForSelectorAsync("[data-reader-status].present", new() { Timeout = 60000 });
    }

    public async Task RemoveCardAsync()
    {
        await Browser.Panel.GotoAsync(Url("Panel"));
        await Browser.Panel.ClickAsync("button:has-text('カードを取り除く')");
        if (CardPath == CardPath.RealPcsc)
        {
            await PcscSlot.WaitUntilAsync(present: false, TestContext.Current.CancellationToken);
        }
    }

    public async Task ChooseMethodAndReadAsync(string method)
    {
        await Page.ClickAsync($"button[name=method][value={method}]");
        await Page.WaitForSelectorAsync("main[data-step=Card]");
        await PlaceCardAsync();
        await Page.ClickAsync("button:has-text('読み取る')");
        await Page.WaitForSelectorAsync(method == "pin" ? "main[data-step=Pin]" : "main[data-step=CheckCode]");
    }

    /// <summary>The patient taps the digits on the PIN pad.</summary>
    public async Task EnterPinAsync(string pin)
    {
        foreach (var digit in pin)
        {
            await Page.ClickAsync($".keys [data-key='{digit}']");
        }

        await Page.ClickAsync("[data-testid=pin-submit]");
        await Page.WaitForLoadStateAsync();
    }

    public async Task EnterCheckCodeAsync(string era, int year, int month, int day, int expiryYear, string securityCode)
    {
        await Page.SelectOptionAsync("[data-testid=era]", era);
        await Page.FillAsync("[data-testid=year]", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("[data-testid=month]", month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("[data-testid=day]", day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("[data-testid=expiryYear]", expiryYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("[data-testid=securityCode]", securityCode);
        await Page.ClickAsync("button:has-text('カードを読み取る')");
        await Page.WaitForLoadStateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Network is not null)
        {
            await Network.DisposeAsync();
        }

        await Server.DisposeAsync();
        if (Directory.Exists(_cards))
        {
            Directory.Delete(_cards, recursive: true);
        }
    }
}
