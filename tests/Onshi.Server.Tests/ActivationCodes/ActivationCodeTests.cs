using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Common;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.ActivationCodes;

/// <summary>マイナ資格確認アプリ管理: issue, list with paging, invalidate, and redeem (the call the app makes in issue 4).</summary>
public abstract partial class ActivationCodeTests(PortalFixture portal)
{
    public static async Task<string> IssueAsync(PortalClient admin, string label)
    {
        // POST-redirect-GET: the code is on the page the redirect leads to, once.
        var posted = await admin.SubmitAsync("/ActivationCodes/Issue", Form(("Label", label)));
        Assert.True(posted.Status == HttpStatusCode.Redirect, string.Join(",", posted.Codes));
        var page = await admin.GetAsync(posted.RedirectPath!);
        return page.TestId("activation-code") ?? throw new InvalidOperationException("No code on the page.");
    }

    private Task<int> IdOfAsync(TestInstitution institution, string label) =>
        portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.InstitutionId == institution.Id && c.Label == label).Select(c => c.Id).SingleAsync());

    private Task<OperationResult<ActivationCode>> RedeemAsync(TestInstitution institution, string code, Guid? device = null) =>
        portal.WithServiceAsync<RedeemActivationCode, OperationResult<ActivationCode>>(redeem =>
            redeem.ExecuteAsync(new Actor(null, institution.Id, null, "app"), institution.Id, code, device ?? Guid.NewGuid(), TestContext.Current.CancellationToken));

    private static async Task<PortalPage> InvalidateAsync(PortalClient admin, int id)
    {
        var confirm = await admin.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        var version = VersionField().Match(confirm.Html).Groups[1].Value;
        return await admin.PostAsync("/ActivationCodes/Invalidate", Form(("Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", version), ("__RequestVerificationToken", confirm.AntiforgeryToken!)));
    }

    [Fact]
    public async Task IssuedCodesAreGroupedUnambiguousShownOnceAndStoredOnlyAsAHash()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var code = await IssueAsync(admin, "Aのスマホ1");
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", code);

        var list = await admin.GetAsync("/ActivationCodes");
        Assert.Contains("Aのスマホ1", list.Text, StringComparison.Ordinal);
        Assert.Contains("未使用", list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(code, list.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), list.Html, StringComparison.Ordinal);

        var stored = await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().SingleAsync(c => c.InstitutionId == institution.Id));
        Assert.Equal(ActivationCodeSecret.Hash(code.Replace("-", "", StringComparison.Ordinal)), stored.CodeHash);
        Assert.Equal(32, stored.CodeHash.Length);
        Assert.Equal(portal.Time.GetUtcNow().AddDays(7), stored.ExpiresAt);
    }

    [Fact]
    public async Task IssuingWithoutALabelIsRefused()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var page = await admin.SubmitAsync("/ActivationCodes/Issue", Form(("Label", "   ")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.Equal(["activation_code.label_required"], page.Codes);
        Assert.Equal(0, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == institution.Id)));
    }

    [Fact]
    public async Task ReloadingTheResultPageIssuesNoSecondCodeAndNeverShowsTheCodeAgain()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var posted = await admin.SubmitAsync("/ActivationCodes/Issue", Form(("Label", "受付タブレット1")));
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal("/ActivationCodes/Issue", posted.RedirectPath);

        var shown = await admin.GetAsync(posted.RedirectPath!);
        var reloaded = await admin.GetAsync(posted.RedirectPath!);

        var code = shown.TestId("activation-code");
        Assert.False(string.IsNullOrEmpty(code));
        Assert.Null(reloaded.TestId("activation-code"));
        Assert.DoesNotContain(code!, reloaded.Html, StringComparison.Ordinal);
        Assert.Equal(1, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == institution.Id)));
    }

    [Fact]
    public async Task ALabelOfALiveCodeIsRefusedForASecondCodeButAnInvalidatedOnesCanBeReused()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        await IssueAsync(admin, "受付タブレット1");

        var duplicate = await admin.SubmitAsync("/ActivationCodes/Issue", Form(("Label", " 受付タブレット1 ")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.Status);
        Assert.Equal(["activation_code.label_taken"], duplicate.Codes);

        var id = await IdOfAsync(institution, "受付タブレット1");
        var confirm = await admin.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        var version = VersionField().Match(confirm.Html).Groups[1].Value;
        var invalidated = await admin.PostAsync("/ActivationCodes/Invalidate", Form(("Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", version), ("__RequestVerificationToken", confirm.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.Redirect, invalidated.Status);

        Assert.Matches("^[0-9A-Z-]{19}$", await IssueAsync(admin, "受付タブレット1"));
    }

    [Fact]
    public async Task TheListPagesLikeTheRealScreenNewestFirst()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        Assert.Contains("0件表示", (await admin.GetAsync("/ActivationCodes")).TestId("range"), StringComparison.Ordinal);
        foreach (var label in new[] { "Aのスマホ1", "Aのスマホ2", "Bのタブレット", "Cのスマホ" })
        {
            await IssueAsync(admin, label);
            portal.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await admin.GetAsync("/ActivationCodes");
        Assert.Equal("1-3件表示", first.TestId("range"));
        Assert.Matches("1-3件表示\\s+<<前へ\\s+1\\s+2\\s+次へ>>", Regex.Replace(first.Text, "\\s+", " "));
        Assert.True(first.Text.IndexOf("Cのスマホ", StringComparison.Ordinal) < first.Text.IndexOf("Aのスマホ2", StringComparison.Ordinal));
        Assert.DoesNotContain("Aのスマホ1", first.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"/ActivationCodes?pageNumber=2\">次へ&gt;&gt;", first.Html, StringComparison.Ordinal);

        var second = await admin.GetAsync("/ActivationCodes?pageNumber=2");
        Assert.Equal("4-4件表示", second.TestId("range"));
        Assert.Contains("Aのスマホ1", second.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"/ActivationCodes?pageNumber=1\">&lt;&lt;前へ", second.Html, StringComparison.Ordinal);
        Assert.Equal("4-4件表示", (await admin.GetAsync("/ActivationCodes?pageNumber=99")).TestId("range"));
    }

    [Fact]
    public async Task InvalidationAsksForConfirmationThenIsImmediateAndPermanent()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var code = await IssueAsync(admin, "Bのタブレット");
        var id = await IdOfAsync(institution, "Bのタブレット");

        var confirm = await admin.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal("Bのタブレット", confirm.TestId("label"));
        Assert.Contains("元に戻せません", confirm.Text, StringComparison.Ordinal);
        Assert.Equal(ActivationCodeStatus.Unused, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.Status).SingleAsync()));

        var done = await InvalidateAsync(admin, id);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var list = await admin.GetAsync(done.RedirectPath!);
        Assert.Contains("activation_code.invalidated_ok", list.Codes);
        Assert.Contains("無効", list.Text, StringComparison.Ordinal);

        var redeemed = await RedeemAsync(institution, code);
        Assert.Equal(Refusals.ActivationCodeInvalidated, redeemed.Refusal);

        var again = await admin.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        Assert.Contains("activation_code.already_invalidated", again.Codes);
    }

    [Fact]
    public async Task RedeemingBindsOneDeviceAndRefusesReuse()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var code = await IssueAsync(admin, "Aのスマホ1");
        var device = Guid.NewGuid();

        // People type codes loosely: lower case, spaces, full-width, O for 0 and l for 1 still work.
        var loose = code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal).Replace('0', 'o').Replace('1', 'l');
        var first = await RedeemAsync(institution, loose, device);
        Assert.True(first.Succeeded, first.Refusal?.Code);
        Assert.Equal(device, first.Value!.DeviceId);

        var second = await RedeemAsync(institution, code);
        Assert.Equal(Refusals.ActivationCodeUsed, second.Refusal);

        var list = await admin.GetAsync("/ActivationCodes");
        Assert.Contains("使用中", list.Text, StringComparison.Ordinal);
        Assert.Contains(Common.JapanTime.Format(portal.Time.GetUtcNow()), list.Text, StringComparison.Ordinal);

        // Invalidating a code in use is allowed: it is how a lost phone is cut off.
        var id = await IdOfAsync(institution, "Aのスマホ1");
        Assert.Equal(HttpStatusCode.Redirect, (await InvalidateAsync(admin, id)).Status);
        Assert.Equal(ActivationCodeStatus.Invalidated, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task RedeemingRefusesUnknownMalformedExpiredAndOtherInstitutionsCodes()
    {
        var institution = await portal.CreateInstitutionAsync();
        var other = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var code = await IssueAsync(admin, "期限切れ端末");
        var fresh = await IssueAsync(admin, "新しい端末");

        Assert.Equal(Refusals.ActivationCodeMalformed, (await RedeemAsync(institution, "1234")).Refusal);
        Assert.Equal(Refusals.ActivationCodeMalformed, (await RedeemAsync(institution, "UUUU-UUUU-UUUU-UUUU")).Refusal);
        Assert.Equal(Refusals.ActivationCodeUnknown, (await RedeemAsync(institution, ActivationCodeSecret.Generate())).Refusal);
        Assert.Equal(Refusals.ActivationCodeUnknown, (await RedeemAsync(other, code)).Refusal);

        portal.Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(Refusals.ActivationCodeExpired, (await RedeemAsync(institution, code)).Refusal);
        using var later = portal.NewClient();
        await later.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        Assert.Contains("無効(期限切れ)", (await later.GetAsync("/ActivationCodes")).Text, StringComparison.Ordinal);
        Assert.Equal(Refusals.ActivationCodeExpired, (await RedeemAsync(institution, fresh)).Refusal);

        var refusals = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id && e.Action == "activation_code.redeem_refused").Select(e => e.Detail).ToListAsync());
        Assert.Contains("activation_code.expired", refusals);
        Assert.Contains("malformed", refusals);
    }

    [Fact]
    public async Task AStaleInvalidationLosesToAConcurrentRedemption()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var code = await IssueAsync(admin, "競合端末");
        var id = await IdOfAsync(institution, "競合端末");
        var confirm = await admin.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        var staleVersion = VersionField().Match(confirm.Html).Groups[1].Value;

        Assert.True((await RedeemAsync(institution, code)).Succeeded);
        var post = await admin.PostAsync("/ActivationCodes/Invalidate", Form(("Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", staleVersion), ("__RequestVerificationToken", confirm.AntiforgeryToken!)));
        Assert.Equal(["activation_code.changed_concurrently"], post.Codes);
        Assert.Equal(ActivationCodeStatus.InUse, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task AnAdministratorNeverSeesOrInvalidatesAnotherInstitutionsCodes()
    {
        var mine = await portal.CreateInstitutionAsync();
        var theirs = await portal.CreateInstitutionAsync();
        using var myAdmin = await portal.AdministratorAsync(mine);
        using var theirAdmin = await portal.AdministratorAsync(theirs);
        await IssueAsync(theirAdmin, "他院の端末");
        var theirId = await IdOfAsync(theirs, "他院の端末");
        var theirVersion = await portal.QueryAsync(async db => (await db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Id == theirId).Select(c => c.Version).SingleAsync()).ToString());

        var list = await myAdmin.GetAsync("/ActivationCodes");
        Assert.DoesNotContain("他院の端末", list.Text, StringComparison.Ordinal);
        Assert.Equal("0件表示", list.TestId("range"));
        Assert.Equal(HttpStatusCode.NotFound, (await myAdmin.GetAsync($"/ActivationCodes/Invalidate?id={theirId}")).Status);

        var token = (await myAdmin.GetAsync("/ActivationCodes/Issue")).AntiforgeryToken!;
        var post = await myAdmin.PostAsync("/ActivationCodes/Invalidate", Form(("Id", theirId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", theirVersion), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.NotFound, post.Status);
        Assert.Equal(ActivationCodeStatus.Unused, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Id == theirId).Select(c => c.Status).SingleAsync()));
    }

    [GeneratedRegex("name=\"Version\" value=\"([0-9a-f-]+)\"")]
    private static partial Regex VersionField();
}

public sealed class ActivationCodeTestsOnSqlite(SqlitePortal portal) : ActivationCodeTests(portal), IClassFixture<SqlitePortal>;

public sealed class ActivationCodeTestsOnPostgres(PostgresPortal portal) : ActivationCodeTests(portal), IClassFixture<PostgresPortal>;
