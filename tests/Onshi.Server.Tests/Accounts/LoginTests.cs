using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Accounts;

/// <summary>ログイン, 初回パスワード変更, lockout and the 利用期間, over real HTTP on each database.</summary>
public abstract class LoginTests(PortalFixture portal)
{
    private const string GenericFailure = "login.failed";

    [Fact]
    public async Task FirstLoginForcesPasswordChangeBeforeAnythingElse()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var client = portal.NewClient();

        var login = await client.LogInAsync(institution.Code, "admin", institution.AdministratorInitialPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.Equal("/ChangeInitialPassword", login.RedirectPath);

        // Every other page sends the holder of a one-time password back to the change screen.
        foreach (var url in new[] { "/", "/Accounts", "/Settings/Edit", "/ActivationCodes", "/ChangePassword" })
        {
            var page = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, page.Status);
            Assert.StartsWith("/AccessDenied", page.RedirectPath, StringComparison.Ordinal);
            var denied = await client.GetAsync(page.RedirectPath!);
            Assert.Equal("/ChangeInitialPassword", denied.RedirectPath);
        }

        Assert.False(await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id).Select(a => a.FirstLoginCompletedAt != null).SingleAsync()));

        var changed = await client.SubmitAsync("/ChangeInitialPassword", Form(("NewPassword", PortalFixture.StrongPassword), ("ConfirmPassword", PortalFixture.StrongPassword)));
        Assert.Equal("/", changed.RedirectPath);
        var menu = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, menu.Status);
        Assert.Contains("メニュー", menu.Text, StringComparison.Ordinal);
        Assert.Contains(institution.Code, menu.Text, StringComparison.Ordinal);

        var account = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == institution.Id));
        Assert.NotNull(account.FirstLoginCompletedAt);
        Assert.False(account.MustChangePassword);
    }

    [Fact]
    public async Task TheInitialPasswordCannotBeUsedAgainAfterTheChange()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        using var other = portal.NewClient();

        var old = await other.LogInAsync(institution.Code, "admin", institution.AdministratorInitialPassword);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, old.Status);
        Assert.Contains(GenericFailure, old.Codes);
        var fresh = await other.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword);
        Assert.Equal("/", fresh.RedirectPath);
    }

    [Fact]
    public async Task InitialPasswordChangeRefusesWeakPasswords()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var client = portal.NewClient();
        await client.LogInAsync(institution.Code, "admin", institution.AdministratorInitialPassword);

        async Task<IReadOnlyList<string>> TryAsync(string password, string? confirm = null)
        {
            var page = await client.SubmitAsync("/ChangeInitialPassword", Form(("NewPassword", password), ("ConfirmPassword", confirm ?? password)));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
            return page.Codes;
        }

        Assert.Contains("password.too_short", await TryAsync("short pass 12"));
        Assert.Contains("password.common", await TryAsync("passwordpassword"));
        Assert.Contains("password.common", await TryAsync("qwertyuiop123456"));
        Assert.Contains("password.contains_user_id", await TryAsync("my admin phrase is long"));
        Assert.Contains("password.contains_institution_code", await TryAsync("code " + institution.Code + " here"));
        Assert.Contains("password.repetitive", await TryAsync("abababababababab"));
        Assert.Contains("password.confirmation_mismatch", await TryAsync(PortalFixture.StrongPassword, PortalFixture.StrongPassword + "x"));
        Assert.Contains("password.same_as_current", await TryAsync(institution.AdministratorInitialPassword));
    }

    [Fact]
    public async Task EveryFailedLoginGetsTheSameMessageWhileTheAuditLogKeepsTheReason()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var client = portal.NewClient();

        var unknownInstitution = await client.LogInAsync("1311111111", "admin", PortalFixture.StrongPassword);
        var unknownUser = await client.LogInAsync(institution.Code, "nobody", PortalFixture.StrongPassword);
        var wrongPassword = await client.LogInAsync(institution.Code, "admin", "not the password at all");
        foreach (var page in new[] { unknownInstitution, unknownUser, wrongPassword })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
            Assert.Equal([GenericFailure], page.Codes);
        }

        foreach (var page in new[] { unknownInstitution, unknownUser, wrongPassword })
        {
            Assert.Contains(Refusals.LoginFailed.Message, page.Text, StringComparison.Ordinal);
        }

        var reasons = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == institution.Id && e.Action == "login.failed").Select(e => e.Detail).ToListAsync());
        Assert.Contains("unknown_user", reasons);
        Assert.Contains("wrong_password", reasons);
    }

    [Fact]
    public async Task ConsecutiveWrongPasswordsLockTheAccountUntilTheAdministratorUnlocksIt()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (staffId, staffPassword) = await AccountManagementTests.CreateStaffAsync(admin, "lock1");
        using var staff = portal.NewClient();
        await staff.LogInAndChangeInitialPasswordAsync(institution.Code, staffId, staffPassword, PortalFixture.StrongPassword);
        using var attacker = portal.NewClient();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await attacker.LogInAsync(institution.Code, staffId, "wrong password number " + i);
            Assert.Equal([GenericFailure], wrong.Codes);
        }

        // Locked: even the right password is refused, with the same message.
        var locked = await attacker.LogInAsync(institution.Code, staffId, PortalFixture.StrongPassword);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, locked.Status);
        Assert.Equal([GenericFailure], locked.Codes);
        var accountId = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id && a.UserId == staffId).Select(a => a.Id).SingleAsync());
        var reasons = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.Target == $"account:{accountId}" && e.Action == "login.failed").Select(e => e.Detail).ToListAsync());
        Assert.Contains("wrong_password_now_locked", reasons);
        Assert.Contains("locked", reasons);

        var edit = await admin.GetAsync($"/Accounts/Edit?id={accountId}");
        Assert.Contains("ロック中", edit.TestId("state"), StringComparison.Ordinal);
        var unlocked = await admin.SubmitAsync($"/Accounts/Edit?id={accountId}", [], $"/Accounts/Edit?id={accountId}&handler=Unlock");
        Assert.Equal(HttpStatusCode.OK, unlocked.Status);
        Assert.Contains("ロックを解除しました", unlocked.Text, StringComparison.Ordinal);

        var again = await attacker.LogInAsync(institution.Code, staffId, PortalFixture.StrongPassword);
        Assert.Equal("/", again.RedirectPath);

        var secondUnlock = await admin.SubmitAsync($"/Accounts/Edit?id={accountId}", [], $"/Accounts/Edit?id={accountId}&handler=Unlock");
        Assert.Contains("account.not_locked", secondUnlock.Codes);
    }

    [Fact]
    public async Task ALockEndsByItselfAfterTheConfiguredTime()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (staffId, staffPassword) = await AccountManagementTests.CreateStaffAsync(admin, "lock2");
        using var client = portal.NewClient();
        for (var i = 0; i < 5; i++)
        {
            await client.LogInAsync(institution.Code, staffId, "wrong password number " + i);
        }

        Assert.Equal([GenericFailure], (await client.LogInAsync(institution.Code, staffId, staffPassword)).Codes);
        portal.Time.Advance(TimeSpan.FromMinutes(31));
        var after = await client.LogInAsync(institution.Code, staffId, staffPassword);
        Assert.Equal("/ChangeInitialPassword", after.RedirectPath);
    }

    [Fact]
    public async Task AccountsOutsideTheirPeriodCannotLogIn()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var today = DateOnly.FromDateTime(portal.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).DateTime);

        var (futureId, futurePassword) = await AccountManagementTests.CreateStaffAsync(admin, "future", start: today.AddDays(2));
        var (endingId, endingPassword) = await AccountManagementTests.CreateStaffAsync(admin, "ending", start: today.AddDays(-10), end: today);
        using var client = portal.NewClient();

        var notYet = await client.LogInAsync(institution.Code, futureId, futurePassword);
        Assert.Equal([GenericFailure], notYet.Codes);
        var lastDay = await client.LogInAsync(institution.Code, endingId, endingPassword);
        Assert.Equal("/ChangeInitialPassword", lastDay.RedirectPath);
        await client.SubmitAsync("/ChangeInitialPassword", Form(("NewPassword", PortalFixture.StrongPassword), ("ConfirmPassword", PortalFixture.StrongPassword)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Status);

        portal.Time.Advance(TimeSpan.FromDays(3));

        // After 利用終了年月日 the login is refused; once 利用開始年月日 arrives the other account may log in.
        using var fresh = portal.NewClient();
        Assert.Equal([GenericFailure], (await fresh.LogInAsync(institution.Code, endingId, PortalFixture.StrongPassword)).Codes);
        Assert.Equal("/ChangeInitialPassword", (await fresh.LogInAsync(institution.Code, futureId, futurePassword)).RedirectPath);

        var reasons = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == institution.Id && e.Action == "login.failed").Select(e => e.Detail).ToListAsync());
        Assert.Contains("outside_period", reasons);
    }

    [Fact]
    public async Task SessionsEndAfterTheIdleTimeout()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/")).Status);
        portal.Time.Advance(TimeSpan.FromMinutes(16));
        var idle = await admin.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, idle.Status);
        Assert.StartsWith("/Login", idle.RedirectPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserIdsAreMatchedWithoutRegardToCase()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var client = portal.NewClient();
        var login = await client.LogInAsync(institution.Code, "ADMIN", institution.AdministratorInitialPassword);
        Assert.Equal("/ChangeInitialPassword", login.RedirectPath);
    }
}

public sealed class LoginTestsOnSqlite(SqlitePortal portal) : LoginTests(portal), IClassFixture<SqlitePortal>;

public sealed class LoginTestsOnPostgres(PostgresPortal portal) : LoginTests(portal), IClassFixture<PostgresPortal>;
