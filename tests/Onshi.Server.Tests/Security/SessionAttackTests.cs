using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Onshi.Server.Tests.Infrastructure;
using OtpNet;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Security;

/// <summary>
/// Issue 13, items 6 and 8: what someone holding only a live session (an unlocked screen, a copied cookie) can still do,
/// and settings that would silently weaken a defence.
/// </summary>
public abstract partial class SessionAttackTests(PortalFixture portal)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASessionAloneCannotReplaceTheAuthenticatorWithoutThePasswordAndTheCurrentFactor()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var session = await portal.AdministratorAsync(institution);
        var (oldSecret, recoveryCodes) = await EnrolAsync(session, currentPassword: null, currentCode: null);
        var accountId = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id).Select(a => a.Id).SingleAsync());
        var before = await StoredSecretAsync(accountId);
        portal.Time.Advance(Step);

        // Without anything, with a wrong password, and with the right password but no current factor: refused.
        var bare = await TryEnrolAsync(session, null, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bare.Status);
        Assert.Contains("password.current_wrong", bare.Codes);
        var wrongPassword = await TryEnrolAsync(session, "not the password at all!", new Totp(oldSecret).ComputeTotp(portal.Time.GetUtcNow().UtcDateTime));
        Assert.Contains("password.current_wrong", wrongPassword.Codes);
        var now = portal.Time.GetUtcNow();
        var accepted = new[] { -1, 0, 1 }.Select(s => new Totp(oldSecret).ComputeTotp((now + (Step * s)).UtcDateTime)).ToHashSet();
        var noFactor = await TryEnrolAsync(session, PortalFixture.StrongPassword, Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !accepted.Contains(c)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noFactor.Status);
        Assert.Contains("two_factor.current_factor_wrong", noFactor.Codes);
        Assert.Equal(before, await StoredSecretAsync(accountId));
        Assert.Equal(3, await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId).Select(a => a.ConsecutiveFailedLogins).SingleAsync()));

        // The holder, with both, replaces it (a recovery code serves as the current factor too).
        var replaced = await TryEnrolAsync(session, PortalFixture.StrongPassword, recoveryCodes[0]);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.NotEqual(before, await StoredSecretAsync(accountId));
    }

    [Fact]
    public async Task ACopiedSessionCookieStopsWorkingAfterLogout()
    {
        var institution = await portal.CreateInstitutionAsync();
        using (await portal.AdministratorAsync(institution))
        {
        }

        using var http = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var jar = new Dictionary<string, string>();
        var login = await SendAsync(http, jar, "/Login");
        var loggedIn = await SendAsync(http, jar, "/Login", Form(("InstitutionCode", institution.Code), ("UserId", "admin"), ("Password", PortalFixture.StrongPassword), ("__RequestVerificationToken", Token(login.Html))));
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.Status);
        var copied = new Dictionary<string, string>(jar);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, new Dictionary<string, string>(copied), "/Settings/Edit")).Status);

        var menu = await SendAsync(http, jar, "/");
        Assert.Equal(HttpStatusCode.Redirect, (await SendAsync(http, jar, "/Logout", Form(("__RequestVerificationToken", Token(menu.Html))))).Status);

        var replayed = await SendAsync(http, copied, "/Settings/Edit");
        Assert.Equal(HttpStatusCode.Redirect, replayed.Status);
        Assert.Contains("/Login", replayed.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCurrentPasswordsOnThePasswordChangeLockTheAccountAndEndTheSession()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var session = await portal.AdministratorAsync(institution);
        for (var i = 0; i < 5; i++)
        {
            var guess = await session.SubmitAsync("/ChangePassword", Form(("CurrentPassword", "guess number " + i + " of the password"), ("NewPassword", "a brand new passphrase 2026"), ("ConfirmPassword", "a brand new passphrase 2026")));
            Assert.Contains("password.current_wrong", guess.Codes);
        }

        Assert.StartsWith("/Login", (await session.GetAsync("/")).RedirectPath, StringComparison.Ordinal);
        using var owner = portal.NewClient();
        Assert.Contains("login.failed", (await owner.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword)).Codes);
        var reasons = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id && e.Action == "account.password_change_refused").OrderBy(e => e.Id).Select(e => e.Detail).ToListAsync());
        Assert.Equal(["current_wrong", "current_wrong", "current_wrong", "current_wrong", "current_wrong_now_locked"], reasons);
    }

    [Fact]
    public void TheServerRefusesToStartWhenTheReplayMemoryDoesNotOutliveTwiceTheIssuedAtWindow()
    {
        portal.SkipIfUnavailable();
        using var factory = portal.Factory.WithWebHostBuilder(builder =>
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DeviceProof:IssuedAtWindowSeconds"] = "300",
                ["DeviceProof:ReplayMemoryMinutes"] = "10",
            })));
        var refused = Assert.ThrowsAny<OptionsValidationException>(() => factory.Services.GetRequiredService<IOptions<Onshi.Server.Devices.DeviceProofOptions>>().Value);
        Assert.Contains("ReplayMemoryMinutes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheServerRefusesToStartInProductionWithoutAKeyEncryptionCertificate()
    {
        portal.SkipIfUnavailable();
        using var factory = portal.Factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DataProtection:KeyEncryptionCertificate"] = "",
            }));
            // Only the missing certificate may be wrong here: the other Production checks (Hosting/ProductionSafety.cs)
            // run before the host is built, so they read settings given this early.
            builder.UseSetting("Production:AllowSqlite", "true");
            builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
        });
        var refused = Assert.ThrowsAny<OptionsValidationException>(() => factory.Services);
        Assert.Contains("DataProtection:KeyEncryptionCertificate", refused.Message, StringComparison.Ordinal);
    }

    private async Task<(byte[] Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(PortalClient client, string? currentPassword, string? currentCode)
    {
        var page = await client.GetAsync("/TwoFactor/Enrol");
        var secret = Base32Encoding.ToBytes(page.TestId("two-factor-secret")!);
        var done = await PostEnrolmentAsync(client, page, new Totp(secret).ComputeTotp(portal.Time.GetUtcNow().UtcDateTime), currentPassword, currentCode);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        return (secret, RecoveryCodeItem().Matches(done.Html).Select(m => m.Groups[1].Value).ToList());
    }

    private async Task<PortalPage> TryEnrolAsync(PortalClient client, string? currentPassword, string? currentCode)
    {
        var page = await client.GetAsync("/TwoFactor/Enrol");
        var secret = Base32Encoding.ToBytes(page.TestId("two-factor-secret")!);
        return await PostEnrolmentAsync(client, page, new Totp(secret).ComputeTotp(portal.Time.GetUtcNow().UtcDateTime), currentPassword, currentCode);
    }

    private static Task<PortalPage> PostEnrolmentAsync(PortalClient client, PortalPage page, string code, string? currentPassword, string? currentCode)
    {
        var fields = new List<(string, string)>
        {
            ("Token", WebUtility.HtmlDecode(TokenField().Match(page.Html).Groups[1].Value)), ("Code", code), ("__RequestVerificationToken", page.AntiforgeryToken!),
        };
        if (currentPassword is not null)
        {
            fields.Add(("CurrentPassword", currentPassword));
        }

        if (currentCode is not null)
        {
            fields.Add(("CurrentCode", currentCode));
        }

        return client.PostAsync("/TwoFactor/Enrol", Form([.. fields]));
    }

    private Task<string> StoredSecretAsync(int accountId) =>
        portal.QueryAsync(db => db.TwoFactorCredentials.IgnoreQueryFilters().Where(c => c.AccountId == accountId).Select(c => c.ProtectedSecret).SingleAsync());

    private static string Token(string html) => WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    /// <summary>One request with the cookies of <paramref name="jar"/>, keeping what the answer sets (a browser, by hand, so a cookie can be copied).</summary>
    private static async Task<(HttpStatusCode Status, string Html, string Location)> SendAsync(HttpClient http, Dictionary<string, string> jar, string url, IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        using var request = new HttpRequestMessage(form is null ? HttpMethod.Get : HttpMethod.Post, new Uri(url, UriKind.Relative));
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        if (jar.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => c.Key + "=" + c.Value)));
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0];
                var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
                var value = pair[(name.Length + 1)..];
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    jar.Remove(name);
                }
                else
                {
                    jar[name] = value;
                }
            }
        }

        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location?.OriginalString ?? "");
    }

    [GeneratedRegex("name=\"Token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<li data-recovery-code><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCodeItem();
}

public sealed class SessionAttackTestsOnSqlite(SqlitePortal portal) : SessionAttackTests(portal), IClassFixture<SqlitePortal>;

public sealed class SessionAttackTestsOnPostgres(PostgresPortal portal) : SessionAttackTests(portal), IClassFixture<PostgresPortal>;
