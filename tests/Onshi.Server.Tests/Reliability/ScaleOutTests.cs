using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;
using Onshi.Server.Tests.ActivationCodes;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Reliability;

/// <summary>
/// Two server processes on one PostgreSQL database behind a round-robin proxy: what one server changes the other
/// enforces at once, portal cookies and antiforgery tokens of one are accepted by the other (shared Data Protection
/// keys), and restarting one under load loses no confirmation the client retries.
/// </summary>
public sealed class ScaleOutTests(RealClockPostgresPortal portal) : IClassFixture<RealClockPostgresPortal>
{
    [Fact]
    public async Task AnInvalidationThroughOneServerIsEnforcedByTheOtherAtOnce()
    {
        portal.SkipIfUnavailable();
        var (connectionString, clinic, _) = await ReliabilitySetup.SeedAsync(portal);
        using var _ = clinic;
        await using var one = new ServerProcess(DatabaseProvider.Postgres, connectionString);
        await using var two = new ServerProcess(DatabaseProvider.Postgres, connectionString);
        await Task.WhenAll(one.StartAsync(), two.StartAsync());

        // One browser (one cookie jar), talking to either server.
        var cookies = new CookieContainer();
        using var viaOne = Browser(one, cookies);
        using var viaTwo = Browser(two, cookies);
        var login = await viaOne.LogInAsync(clinic.Code, clinic.Institution.AdministratorUserId, PortalFixture.StrongPassword);
        Assert.Equal("/", login.RedirectPath);
        var refusedCode = await ActivationCodeTests.IssueAsync(viaOne, "二台目で無効化");
        var deviceCode = await ActivationCodeTests.IssueAsync(viaTwo, "一台目で無効化");

        // The cookie and the antiforgery token made by server one are accepted by server two.
        var id = await CodeIdAsync(clinic, "二台目で無効化");
        var confirmPage = await viaOne.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        var version = System.Text.RegularExpressions.Regex.Match(confirmPage.Html, "name=\"Version\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var invalidated = await viaTwo.PostAsync("/ActivationCodes/Invalidate", PortalClient.Form(("Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", version), ("__RequestVerificationToken", confirmPage.AntiforgeryToken!)));
        Assert.True(invalidated.Status == HttpStatusCode.Redirect, $"{(int)invalidated.Status} {string.Join(",", invalidated.Codes)}");

        // Invalidated through two: refused by one at once.
        using var refusedApp = new AppClient(new HttpClient { BaseAddress = one.Url }, TimeProvider.System);
        var refused = await refusedApp.ActivateAsync(clinic, refusedCode);
        Assert.Equal("activation_code.invalidated", refused.Code);

        // A device activated and logged in through one, its code invalidated through one: refused by two at once.
        using var device = new AppClient(new HttpClient { BaseAddress = one.Url }, TimeProvider.System);
        await ReliabilitySetup.ActivateAsync(device, clinic, deviceCode);
        var deviceCodeId = await CodeIdAsync(clinic, "一台目で無効化");
        var page = await viaOne.GetAsync($"/ActivationCodes/Invalidate?id={deviceCodeId}");
        var pageVersion = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"Version\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var done = await viaOne.PostAsync("/ActivationCodes/Invalidate", PortalClient.Form(("Id", deviceCodeId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", pageVersion), ("__RequestVerificationToken", page.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var challenge = await SendAsAsync(device, two, "/challenges");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.Status);
        Assert.Equal("device.invalidated", challenge.Code);
        var relogin = await SendAsAsync(device, two, "/sessions", new { userId = clinic.StaffUserId, password = clinic.StaffPassword }, withSession: false);
        Assert.Equal("device.invalidated", relogin.Code);
    }

    [Fact]
    public async Task RestartingOneServerUnderLoadLosesNoConfirmationTheClientRetries()
    {
        portal.SkipIfUnavailable();
        var (connectionString, clinic, patient) = await ReliabilitySetup.SeedAsync(portal);
        using var _ = clinic;
        await using var servers = await BalancedServers.StartAsync(connectionString, clinic);
        var (app, deviceId) = (servers.App, servers.DeviceId);
        var load = new ConfirmationLoad(app, patient, clinic.Code);

        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(workers: 2, maxPerWorker: 15, retry: true, stop.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (load.Acknowledged < 4 && waited.Elapsed < TimeSpan.FromSeconds(60) && !running.IsCompleted)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await servers.Two.KillAsync();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await servers.Two.StartAsync();
        await running;

        var attempts = load.Attempts.ToList();
        Assert.True(attempts.Count >= 20, $"only {attempts.Count} attempts");
        Assert.All(attempts, a => Assert.NotNull(a.ConfirmationId));
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().AsNoTracking().Where(c => c.DeviceId == deviceId).Select(c => new { c.IdempotencyKey, c.Id }).ToListAsync());
        Assert.Equal(attempts.Count, stored.Count);
        Assert.Equal(attempts.Select(a => (a.Key, a.ConfirmationId!.Value)).OrderBy(x => x.Key), stored.Select(s => (s.IdempotencyKey, s.Id)).OrderBy(x => x.IdempotencyKey));
        Assert.True(servers.Proxy.Connections > attempts.Count * 2, "the proxy did not spread requests");
        await ReliabilitySetup.AssertIntegrityAsync(portal, connectionString);
    }

    private static PortalClient Browser(ServerProcess server, CookieContainer cookies) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.Url });

    private Task<int> CodeIdAsync(Clinic clinic, string label) =>
        portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.InstitutionId == clinic.Institution.Id && c.Label == label).Select(c => c.Id).SingleAsync());

    /// <summary>The device's key, proof and session, sent to another server than the one it has been talking to.</summary>
    private static async Task<AppResponse> SendAsAsync(AppClient device, ServerProcess server, string path, object? body = null, bool withSession = true)
    {
        var original = device.SessionToken;
        if (!withSession)
        {
            device.SessionToken = null;
        }

        try
        {
            using var client = new HttpClient { BaseAddress = server.Url };
            var json = System.Text.Json.JsonSerializer.Serialize(body ?? new { purpose = "outpatient" }, System.Text.Json.JsonSerializerOptions.Web);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/app/v1" + path, UriKind.Relative))
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("DPoP", device.Proof("POST", "/api/app/v1" + path));
            if (device.SessionToken is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + device.SessionToken);
            }

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return new AppResponse(response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            device.SessionToken = original;
        }
    }
}
