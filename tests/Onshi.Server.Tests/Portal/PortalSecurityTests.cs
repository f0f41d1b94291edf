using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Portal;

/// <summary>Cross-cutting portal rules: antiforgery, cookies, headers, anonymous access, logout, the audit trail.</summary>
public abstract class PortalSecurityTests(PortalFixture portal)
{
    [Fact]
    public async Task FormsPostedWithoutTheAntiforgeryTokenAreRejected()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var client = portal.NewClient();
        var login = await client.PostAsync("/Login", Form(("InstitutionCode", institution.Code), ("UserId", "admin"), ("Password", institution.AdministratorInitialPassword)));
        Assert.Equal(HttpStatusCode.BadRequest, login.Status);

        using var admin = await portal.AdministratorAsync(institution);
        var issue = await admin.PostAsync("/ActivationCodes/Issue", Form(("Label", "偽の端末")));
        Assert.Equal(HttpStatusCode.BadRequest, issue.Status);
        Assert.Equal(0, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == institution.Id)));
    }

    [Fact]
    public async Task TheSessionCookieIsHttpOnlyAndSameSiteStrict()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var client = portal.NewClient();
        var page = await client.GetAsync("/Login");
        using var content = new FormUrlEncodedContent(Form(("InstitutionCode", institution.Code), ("UserId", "admin"), ("Password", institution.AdministratorInitialPassword), ("__RequestVerificationToken", page.AntiforgeryToken!)));
        using var response = await client.Http.PostAsync(new Uri("/Login", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("onshi_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PagesCarryAStrictContentSecurityPolicyAndAreNotCached()
    {
        using var client = portal.NewClient();
        using var response = await client.Http.GetAsync(new Uri("/Login", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", (await client.GetAsync("/Login")).Html.Replace("style=\"max-width: 36rem\"", "", StringComparison.Ordinal), StringComparison.Ordinal);

        using var css = await client.Http.GetAsync(new Uri("/assets/portal.css", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnonymousVisitorsAreSentToTheLoginPage()
    {
        using var client = portal.NewClient();
        foreach (var url in new[] { "/", "/Accounts", "/Settings/Edit", "/ActivationCodes", "/ChangePassword", "/ChangeInitialPassword" })
        {
            var page = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, page.Status);
            Assert.StartsWith("/Login", page.RedirectPath, StringComparison.Ordinal);
        }

        var login = await client.GetAsync("/Login");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Contains("機関コード", login.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoggingOutEndsTheSession()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var menu = await admin.GetAsync("/");
        var logout = await admin.PostAsync("/Logout", Form(("__RequestVerificationToken", menu.AntiforgeryToken!)));
        Assert.Equal("/Login", logout.RedirectPath);
        Assert.StartsWith("/Login", (await admin.GetAsync("/")).RedirectPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAdministrativeActionIsAuditedWithWhoWhatWhenAndWhichInstitution()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        await Accounts.AccountManagementTests.CreateStaffAsync(admin, "aud1");
        await ActivationCodes.ActivationCodeTests.IssueAsync(admin, "監査端末");

        var entries = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id).OrderBy(e => e.Id).ToListAsync());
        var actions = entries.Select(e => e.Action).ToList();
        Assert.Equal(["institution.created", "login.succeeded", "account.initial_password_changed", "account.created", "activation_code.issued"], actions);
        var created = entries.Single(e => e.Action == "account.created");
        Assert.Equal("admin", created.Actor);
        Assert.NotNull(created.ActorAccountId);
        Assert.Equal(portal.Time.GetUtcNow(), created.OccurredAt);
        Assert.Contains("user_id=aud1", created.Detail, StringComparison.Ordinal);
        Assert.True(created.Succeeded);
        Assert.Equal("operator", entries[0].Actor);
    }
}

public sealed class PortalSecurityTestsOnSqlite(SqlitePortal portal) : PortalSecurityTests(portal), IClassFixture<SqlitePortal>;

public sealed class PortalSecurityTestsOnPostgres(PostgresPortal portal) : PortalSecurityTests(portal), IClassFixture<PostgresPortal>;
