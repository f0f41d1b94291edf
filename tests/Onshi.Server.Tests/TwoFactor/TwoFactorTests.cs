using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Tests.Accounts;
using Onshi.Server.Tests.Infrastructure;
using OtpNet;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.TwoFactor;

/// <summary>
/// 二要素認証 over real HTTP on each database: the codes are computed with Otp.NET from the secret read off the
/// enrolment page, and the fixture's FakeTimeProvider moves the 30-second time steps.
/// </summary>
public abstract partial class TwoFactorTests(PortalFixture portal)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnAdministratorIsSentToEnrolmentRightAfterThePasswordWhenTheInstitutionRequiresIt()
    {
        var institution = await portal.CreateInstitutionAsync();
        using (var admin = await portal.AdministratorAsync(institution))
        {
            await RequireTwoFactorAsync(admin);
            Assert.Contains("name=\"RequireTwoFactor\" value=\"true\" checked", (await admin.GetAsync("/Settings/Edit")).Html, StringComparison.Ordinal);
        }

        using var client = portal.NewClient();
        var login = await client.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        Assert.Equal("/TwoFactor/Enrol", login.RedirectPath);

        // The password alone opens nothing: every page leads back to enrolment.
        foreach (var url in new[] { "/", "/Settings/Edit", "/Accounts", "/ChangePassword", "/ChangeInitialPassword", "/TwoFactor/Verify" })
        {
            var page = await FollowAsync(client, url);
            Assert.Equal("/TwoFactor/Enrol", page);
        }

        var enrolPage = await client.GetAsync("/TwoFactor/Enrol");
        var secretText = enrolPage.TestId("two-factor-secret")!;
        var uri = enrolPage.TestId("two-factor-uri")!;
        Assert.StartsWith("otpauth://totp/", uri, StringComparison.Ordinal);
        Assert.Contains("secret=" + secretText, uri, StringComparison.Ordinal);
        Assert.Contains("issuer=Onshi", uri, StringComparison.Ordinal);
        Assert.Equal(20, Base32Encoding.ToBytes(secretText).Length);

        var wrong = await PostEnrolmentAsync(client, enrolPage, WrongCode(Base32Encoding.ToBytes(secretText)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Contains("two_factor.code_wrong", wrong.Codes);
        Assert.Equal(secretText, wrong.TestId("two-factor-secret"));

        var done = await PostEnrolmentAsync(client, wrong, CodeNow(Base32Encoding.ToBytes(secretText)));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var recoveryCodes = RecoveryCodesOn(done);
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        Assert.All(recoveryCodes, c => Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$", c));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Status);

        var accountId = await AccountIdAsync(institution, "admin");
        var stored = await portal.QueryAsync(db => db.TwoFactorCredentials.IgnoreQueryFilters().SingleAsync(c => c.AccountId == accountId));
        Assert.DoesNotContain(secretText, stored.ProtectedSecret, StringComparison.Ordinal);
        var hashes = await portal.QueryAsync(db => db.RecoveryCodes.IgnoreQueryFilters().Where(c => c.AccountId == accountId).Select(c => c.Hash).ToListAsync());
        Assert.Equal(10, hashes.Count);
        Assert.All(hashes, h => Assert.DoesNotContain(h, recoveryCodes.Concat(recoveryCodes.Select(c => c.Replace("-", "", StringComparison.Ordinal)))));
        var actions = await AuditAsync(institution);
        Assert.Contains(("two_factor.enrolment_failed", "wrong_code"), actions);
        Assert.Contains(("two_factor.enrolled", "first"), actions);
    }

    [Fact]
    public async Task LoginRequiresTheCodeOnceEnrolledAndRefusesACodeUsedBefore()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        await RequireTwoFactorAsync(admin);
        var (secret, _) = await EnrolAsync(admin);

        // The code that confirmed the enrolment is spent: the same time step cannot sign in.
        using var first = portal.NewClient();
        Assert.Equal("/TwoFactor/Verify", (await first.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword)).RedirectPath);
        Assert.Equal("/TwoFactor/Verify", await FollowAsync(first, "/"));
        Assert.Equal("/TwoFactor/Verify", await FollowAsync(first, "/TwoFactor/Enrol"));
        var replayedEnrolmentCode = await first.SubmitAsync("/TwoFactor/Verify", Form(("Code", CodeNow(secret))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replayedEnrolmentCode.Status);
        Assert.Contains("two_factor.failed", replayedEnrolmentCode.Codes);

        portal.Time.Advance(Step);
        var wrong = await first.SubmitAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret))));
        Assert.Contains("two_factor.failed", wrong.Codes);
        var code = CodeNow(secret);
        var accepted = await first.SubmitAsync("/TwoFactor/Verify", Form(("Code", code)));
        Assert.Equal(HttpStatusCode.Redirect, accepted.Status);
        Assert.Equal("/", accepted.RedirectPath);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/Settings/Edit")).Status);
        Assert.Equal(0, await FailedCountAsync(institution, "admin"));

        // Somebody who saw that code cannot use it again within its window.
        using var second = portal.NewClient();
        await second.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        var replayed = await second.SubmitAsync("/TwoFactor/Verify", Form(("Code", code)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replayed.Status);
        Assert.Equal("/TwoFactor/Verify", await FollowAsync(second, "/"));

        // One step of clock drift either way is accepted; the next step's code works.
        portal.Time.Advance(Step);
        var drifted = await second.SubmitAsync("/TwoFactor/Verify", Form(("Code", CodeAt(secret, portal.Time.GetUtcNow() + Step))));
        Assert.Equal("/", drifted.RedirectPath);

        var reasons = (await AuditAsync(institution)).Where(a => a.Action == "two_factor.failed").Select(a => a.Detail).ToList();
        Assert.Equal(["replayed_code", "wrong_code", "replayed_code"], reasons);
    }

    [Fact]
    public async Task WrongCodesCountTowardsTheLockoutAndANewPasswordLoginDoesNotClearThem()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (secret, _) = await EnrolAsync(admin);
        portal.Time.Advance(Step);

        using var attacker = portal.NewClient();
        await attacker.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("two_factor.failed", (await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret))))).Codes);
        }

        Assert.Equal(3, await FailedCountAsync(institution, "admin"));
        Assert.Equal("/TwoFactor/Verify", (await attacker.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword)).RedirectPath);
        Assert.Equal(3, await FailedCountAsync(institution, "admin"));
        await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret))));
        await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret))));

        // Locked: even the right code is not checked, and the password step refuses too.
        var right = await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", CodeNow(secret))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, right.Status);
        Assert.Contains("two_factor.failed", right.Codes);
        using var owner = portal.NewClient();
        Assert.Contains("login.failed", (await owner.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword)).Codes);
        var reasons = (await AuditAsync(institution)).Where(a => a.Action == "two_factor.failed").Select(a => a.Detail).ToList();
        Assert.Equal(["wrong_code", "wrong_code", "wrong_code", "wrong_code", "wrong_code_now_locked", "locked"], reasons);
    }

    [Fact]
    public async Task ARecoveryCodeSignsInOnceAndNeverAgain()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (_, recoveryCodes) = await EnrolAsync(admin);

        using var first = portal.NewClient();
        await first.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        var typedLoosely = recoveryCodes[3].Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant();
        var used = await first.SubmitAsync("/TwoFactor/Verify", Form(("Code", typedLoosely)));
        Assert.Equal("/", used.RedirectPath);
        Assert.Contains("残りは9個", (await first.GetAsync("/")).Text, StringComparison.Ordinal);

        using var second = portal.NewClient();
        await second.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        var again = await second.SubmitAsync("/TwoFactor/Verify", Form(("Code", recoveryCodes[3])));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.Status);
        Assert.Contains("two_factor.failed", again.Codes);
        Assert.Equal("/", (await second.SubmitAsync("/TwoFactor/Verify", Form(("Code", recoveryCodes[4])))).RedirectPath);

        var actions = await AuditAsync(institution);
        Assert.Contains(("two_factor.recovery_code_used", "remaining=9"), actions);
        Assert.Contains(("two_factor.recovery_code_used", "remaining=8"), actions);
        Assert.Contains(("two_factor.failed", "wrong_recovery_code"), actions);
    }

    [Fact]
    public async Task TheRequirementAppliesToMedicalViewersButNotToGeneralUsers()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (generalId, generalPassword) = await AccountManagementTests.CreateStaffAsync(admin, "gen2fa", AccountRole.General);
        var (viewerId, viewerPassword) = await AccountManagementTests.CreateStaffAsync(admin, "med2fa", AccountRole.MedicalInformationViewer);
        await RequireTwoFactorAsync(admin);

        using var general = portal.NewClient();
        await general.LogInAndChangeInitialPasswordAsync(institution.Code, generalId, generalPassword, PortalFixture.StrongPassword);
        Assert.Equal(HttpStatusCode.OK, (await general.GetAsync("/")).Status);

        // A viewer with a one-time password enrols first, then replaces the password, then reaches the menu.
        using var viewer = portal.NewClient();
        Assert.Equal("/TwoFactor/Enrol", (await viewer.LogInAsync(institution.Code, viewerId, viewerPassword)).RedirectPath);
        Assert.Equal("/TwoFactor/Enrol", await FollowAsync(viewer, "/ChangeInitialPassword"));
        var enrolPage = await viewer.GetAsync("/TwoFactor/Enrol");
        var done = await PostEnrolmentAsync(viewer, enrolPage, CodeNow(Base32Encoding.ToBytes(enrolPage.TestId("two-factor-secret")!)));
        Assert.Contains("href=\"/ChangeInitialPassword\"", done.Html, StringComparison.Ordinal);
        var changed = await viewer.SubmitAsync("/ChangeInitialPassword", Form(("NewPassword", PortalFixture.StrongPassword), ("ConfirmPassword", PortalFixture.StrongPassword)));
        Assert.Equal("/", changed.RedirectPath);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/MedicalViewing/History")).Status);

        var generalAccount = await AccountIdAsync(institution, generalId);
        Assert.False(await portal.QueryAsync(db => db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == generalAccount)));
    }

    [Fact]
    public async Task AnAdministratorResetsALostSecondFactorWhichEndsTheSessionsAndAsksForEnrolmentAgain()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (viewerId, viewerPassword) = await AccountManagementTests.CreateStaffAsync(admin, "lost2fa", AccountRole.MedicalInformationViewer);
        await RequireTwoFactorAsync(admin);
        using var viewer = portal.NewClient();
        Assert.Equal("/TwoFactor/Enrol", (await viewer.LogInAsync(institution.Code, viewerId, viewerPassword)).RedirectPath);
        var enrolPage = await viewer.GetAsync("/TwoFactor/Enrol");
        await PostEnrolmentAsync(viewer, enrolPage, CodeNow(Base32Encoding.ToBytes(enrolPage.TestId("two-factor-secret")!)));
        await viewer.SubmitAsync("/ChangeInitialPassword", Form(("NewPassword", PortalFixture.StrongPassword), ("ConfirmPassword", PortalFixture.StrongPassword)));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/MedicalViewing/History")).Status);
        var viewerAccount = await AccountIdAsync(institution, viewerId);

        var reset = await admin.SubmitAsync($"/Accounts/Edit?id={viewerAccount}", [], $"/Accounts/Edit?id={viewerAccount}&handler=ResetTwoFactor");
        Assert.Equal(HttpStatusCode.OK, reset.Status);
        Assert.Contains("二要素認証をリセットしました", reset.Text, StringComparison.Ordinal);

        Assert.False(await portal.QueryAsync(db => db.TwoFactorCredentials.IgnoreQueryFilters().AnyAsync(c => c.AccountId == viewerAccount)));
        Assert.False(await portal.QueryAsync(db => db.RecoveryCodes.IgnoreQueryFilters().AnyAsync(c => c.AccountId == viewerAccount)));
        Assert.StartsWith("/Login", (await viewer.GetAsync("/MedicalViewing/History")).RedirectPath, StringComparison.Ordinal);
        using var again = portal.NewClient();
        Assert.Equal("/TwoFactor/Enrol", (await again.LogInAsync(institution.Code, viewerId, PortalFixture.StrongPassword)).RedirectPath);
        Assert.Contains(await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id).Select(e => e.Action).ToListAsync()), a => a == "account.two_factor_reset");

        // Nothing left to reset, and never one's own factor.
        var twice = await admin.SubmitAsync($"/Accounts/Edit?id={viewerAccount}", [], $"/Accounts/Edit?id={viewerAccount}&handler=ResetTwoFactor");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.Status);
        Assert.Contains("two_factor.not_enrolled", twice.Codes);
        var adminAccount = await AccountIdAsync(institution, institution.AdministratorUserId);
        var own = await admin.SubmitAsync($"/Accounts/Edit?id={adminAccount}", [], $"/Accounts/Edit?id={adminAccount}&handler=ResetTwoFactor");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, own.Status);
        Assert.Contains("account.cannot_change_self", own.Codes);
    }

    /// <summary>Turns 二要素認証を必須にする on through the settings form, keeping the other settings at their defaults.</summary>
    private static async Task RequireTwoFactorAsync(PortalClient admin)
    {
        var form = await admin.GetAsync("/Settings/Edit");
        var saved = await admin.SubmitAsync("/Settings/Edit", Form(
            ("Version", VersionField().Match(form.Html).Groups[1].Value), ("OutpatientFunction", "false"), ("HomeVisitFunction", "false"),
            ("OnlineCareFunction", "false"), ("OfferMedicationInformation", "true"), ("OfferClinicalInformation", "false"),
            ("OfferCheckupInformation", "true"), ("OfferSurgeryInformation", "false"), ("RequireTwoFactor", "true")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
    }

    /// <summary>Enrols the signed-in person from the menu link and returns the secret and the recovery codes shown.</summary>
    private async Task<(byte[] Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(PortalClient client)
    {
        var page = await client.GetAsync("/TwoFactor/Enrol");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var secret = Base32Encoding.ToBytes(page.TestId("two-factor-secret")!);
        var done = await PostEnrolmentAsync(client, page, CodeNow(secret));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        return (secret, RecoveryCodesOn(done));
    }

    private static Task<PortalPage> PostEnrolmentAsync(PortalClient client, PortalPage page, string code) =>
        client.PostAsync("/TwoFactor/Enrol", Form(
            ("Token", System.Net.WebUtility.HtmlDecode(TokenField().Match(page.Html).Groups[1].Value)), ("Code", code),
            ("__RequestVerificationToken", page.AntiforgeryToken!)));

    private string CodeNow(byte[] secret) => CodeAt(secret, portal.Time.GetUtcNow());

    private static string CodeAt(byte[] secret, DateTimeOffset at) => new Totp(secret).ComputeTotp(at.UtcDateTime);

    /// <summary>A 6-digit code that matches none of the steps the server accepts now.</summary>
    private string WrongCode(byte[] secret)
    {
        var now = portal.Time.GetUtcNow();
        var accepted = new[] { -1, 0, 1 }.Select(s => CodeAt(secret, now + (Step * s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !accepted.Contains(c));
    }

    /// <summary>Follows redirects (at most five) from <paramref name="url"/> and returns where they end.</summary>
    private static async Task<string> FollowAsync(PortalClient client, string url)
    {
        var current = url;
        for (var i = 0; i < 5; i++)
        {
            var page = await client.GetAsync(current);
            if (page.Status != HttpStatusCode.Redirect)
            {
                return current;
            }

            current = page.RedirectPath!;
        }

        return current;
    }

    private static List<string> RecoveryCodesOn(PortalPage page) =>
        RecoveryCodeItem().Matches(page.Html).Select(m => m.Groups[1].Value).ToList();

    private Task<int> AccountIdAsync(TestInstitution institution, string userId) =>
        portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id && a.UserId == userId).Select(a => a.Id).SingleAsync());

    private Task<int> FailedCountAsync(TestInstitution institution, string userId) =>
        portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id && a.UserId == userId).Select(a => a.ConsecutiveFailedLogins).SingleAsync());

    private async Task<List<(string Action, string? Detail)>> AuditAsync(TestInstitution institution) =>
        (await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id && e.Action.StartsWith("two_factor."))
            .OrderBy(e => e.Id).Select(e => new { e.Action, e.Detail }).ToListAsync()))
        .Select(e => (e.Action, e.Detail)).ToList();

    [GeneratedRegex("name=\"Version\" value=\"([^\"]+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("name=\"Token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<li data-recovery-code><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCodeItem();
}

public sealed class TwoFactorTestsOnSqlite(SqlitePortal portal) : TwoFactorTests(portal), IClassFixture<SqlitePortal>;

public sealed class TwoFactorTestsOnPostgres(PostgresPortal portal) : TwoFactorTests(portal), IClassFixture<PostgresPortal>;
