using Microsoft.Playwright;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>Debian's Chromium through Playwright (never `playwright install`); screenshots to ONSHI_TEST_ARTIFACTS.</summary>
public sealed class Browser : IAsyncDisposable
{
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _artifacts;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page, IPage panel, string artifacts)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        Panel = panel;
        _artifacts = artifacts;
    }

    /// <summary>The app as staff and patients see it.</summary>
    public IPage Page { get; }

    /// <summary>The demo's reader panel in a second tab (a person placing and removing cards).</summary>
    public IPage Panel { get; }

    public static async Task<Browser> OpenAsync(string testName)
    {
        var chromium = Environment.GetEnvironmentVariable("ONSHI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Onshi.Tests.MissingService.Skip($"Chromium not found at {chromium} (set ONSHI_CHROMIUM; scripts/test installs it).");
        }

        var artifacts = Path.Combine(
            Environment.GetEnvironmentVariable("ONSHI_TEST_ARTIFACTS") is { Length: > 0 } root ? root : Path.Combine(Path.GetTempPath(), "onshi-artifacts"),
            "app", testName);
        Directory.CreateDirectory(artifacts);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArguments });
        var context = await browser.NewContextAsync(new() { Locale = "ja-JP", ViewportSize = new() { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        var panel = await context.NewPageAsync();
        // A hang guard, not a timing assertion: on a loaded 2-core CI machine one app round trip (server, card, page)
        // was seen to take over 60 s while every test assembly ran at once.
        page.SetDefaultTimeout(120000);
        panel.SetDefaultTimeout(120000);
        return new Browser(playwright, browser, page, panel, artifacts);
    }

    public string ArtifactPath(string name) => Path.Combine(_artifacts, name + ".png");

    public async Task ShotAsync(string name) =>
        await Page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>Navigation waits that explain themselves when they time out.</summary>
public static class PageWaits
{
    /// <summary>
    /// Waits for the page to reach <paramref name="pattern"/>; on timeout fails with where the page is and what it
    /// shows. The first portal login of a run has been seen to time out in CI without any server log, and "Timeout
    /// exceeded" alone cannot tell a stalled request from an error page.
    /// </summary>
    public static async Task WaitForUrlOrExplainAsync(this IPage page, string pattern)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            await page.WaitForURLAsync(pattern);
        }
        catch (TimeoutException ex)
        {
            string shown;
            try
            {
                shown = await page.InnerTextAsync("body", new() { Timeout = 5000 });
            }
            catch (PlaywrightException inner)
            {
                shown = "(page text unavailable: " + inner.Message + ")";
            }

            throw new TimeoutException($"Still at {page.Url} instead of {pattern}. The page shows: {shown}", ex);
        }
    }
}
