using System.Net;
using Onshi.App.Hosting;
using Onshi.App.Tests.Infrastructure;

namespace Onshi.App.Tests.Hosting;

/// <summary>The local UI's own protections, over real HTTP (no browser needed).</summary>
[Collection(SequentialBrowserTests.Name)]
public sealed class LocalUiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("https://127.0.0.1:5080")]
    public void RefusesToListenAnywhereButLoopback(string url)
    {
        var (options, error) = AppOptions.Parse(["--urls", url, "--reader", "pcsc"]);

        Assert.Null(options);
        Assert.Contains("127.0.0.1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsesTheDocumentedOptions()
    {
        var (options, error) = AppOptions.Parse(["--server", "https://onshi.example", "--data", "d", "--urls", "http://localhost:6000",
            "--reader", "pcsc:ACS ACR39U", "--idle-minutes", "3"]);

        Assert.Null(error);
        Assert.Equal(new Uri("https://onshi.example/"), options!.Server);
        Assert.Equal(new Uri("http://127.0.0.1:6000/"), options.Url);
        Assert.Equal("pcsc:ACS ACR39U", options.Reader);
        Assert.Equal(TimeSpan.FromMinutes(3), options.IdleTimeout);
        Assert.NotNull(AppOptions.Parse(["--reader", "simulated"]).Error); // the demo panel needs --cards
    }

    [Fact]
    public async Task ServesAStrictCspAndNoCacheAndRefusesForeignHostHeaders()
    {
        var cards = Path.Combine(Path.GetTempPath(), "onshi-app-tests", "ui-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(cards);
        await using var app = await AppHost.StartAsync(new Uri("http://127.0.0.1:1/"), cards, CardPath.Simulated);
        using var http = new HttpClient { BaseAddress = app.Url };

        using var page = await http.GetAsync("/", Ct);
        using var rebinding = new HttpRequestMessage(HttpMethod.Get, "/");
        rebinding.Headers.Host = "attacker.example";
        using var foreign = await http.SendAsync(rebinding, Ct);
        using var forged = await http.PostAsync("/?handler=Setup", new FormUrlEncodedContent(new Dictionary<string, string> { ["institutionCode"] = "1" }), Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl!.NoStore);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("初期設定", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode); // no antiforgery token
        Directory.Delete(cards, recursive: true);
    }
}
