using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Common;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.AppSessions;

/// <summary>Staff sessions on an activated device: what login returns, who may log in, and every way a session ends.</summary>
public abstract class AppSessionTests(PortalFixture portal)
{
    private static readonly object Outpatient = new { purpose = "outpatient" };

    [Fact]
    public async Task LoginReturnsTheUserTheInstitutionAndOnlyWhatItsSettingsEnable()
    {
        using var clinic = await portal.ClinicAsync("ひまわり薬局", outpatient: true, homeVisit: false, online: true);
        await portal.SetSettingsAsync(clinic.Institution.Id, outpatient: true, homeVisit: false, online: true, pharmacy: true, diagnosis: false, checkup: true, operation: true);
        using var app = portal.NewApp();
        Assert.Equal(HttpStatusCode.Created, (await app.ActivateAsync(clinic)).Status);
        var login = await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword);

        Assert.Equal(HttpStatusCode.Created, login.Status);
        Assert.Equal(43, login.Str("sessionToken").Length);
        Assert.Equal(900, login.Body!["idleTimeoutSeconds"]!.GetValue<int>());
        Assert.Equal(portal.Time.GetUtcNow().AddHours(8), login.Body!["expiresAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("dr01", login.Body!["user"]!["userId"]!.GetValue<string>());
        Assert.Equal("MedicalInformationViewer", login.Body!["user"]!["role"]!.GetValue<string>());
        Assert.Equal("ひまわり薬局", login.Body!["institution"]!["name"]!.GetValue<string>());
        Assert.Equal(["outpatient", "online"], login.Body!["purposes"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["pharmacy", "checkup", "operation"], login.Body!["offeredInformation"]!.AsArray().Select(p => p!.GetValue<string>()));

        var stored = await portal.QueryAsync(db => db.AppSessions.SingleAsync(s => s.InstitutionId == clinic.Institution.Id));
        Assert.NotEqual(login.Str("sessionToken"), Convert.ToBase64String(stored.TokenHash));
        Assert.Equal(Server.AppSessions.AppSessionTokens.Hash(login.Str("sessionToken")), stored.TokenHash);
    }

    [Fact]
    public async Task AGeneralStaffMemberMayLogInButAStaffMemberOfAnotherInstitutionMayNot()
    {
        using var clinic = await portal.ClinicAsync();
        using var other = await portal.ClinicAsync();
        var (general, password) = await portal.StaffAsync(clinic.Institution, clinic.Admin, "uke01", AccountRole.General);
        using var app = portal.NewApp();
        Assert.Equal(HttpStatusCode.Created, (await app.ActivateAsync(clinic)).Status);
        Assert.Equal(HttpStatusCode.Created, (await app.LogInAsync(general, password)).Status);

        // dr01 exists at the other institution with the same password, but not here-as-that-account.
        var (foreign, foreignPassword) = await portal.StaffAsync(other.Institution, other.Admin, "tanin01");
        var refused = await app.LogInAsync(foreign, foreignPassword);
        Assert.Equal("app.credentials_invalid", refused.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task LoginAppliesTheAccountRules()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = portal.NewApp();
        Assert.Equal(HttpStatusCode.Created, (await app.ActivateAsync(clinic)).Status);
        Assert.Equal("app.credentials_invalid", (await app.LogInAsync(clinic.StaffUserId, "wrong password here")).Code);
        Assert.Equal("app.role_not_allowed", (await app.LogInAsync(clinic.Institution.AdministratorUserId, PortalFixture.StrongPassword)).Code);
        var (fresh, initial) = await portal.StaffAsync(clinic.Institution, clinic.Admin, "new02", completeFirstLogin: false);
        Assert.Equal("app.account_never_logged_in", (await app.LogInAsync(fresh, initial)).Code);
    }

    [Fact]
    public async Task ASessionEndsAfterTheIdleTimeoutButActivityKeepsItAlive()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        for (var i = 0; i < 3; i++)
        {
            portal.Time.Advance(TimeSpan.FromMinutes(14));
            Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient)).Status);
        }

        portal.Time.Advance(TimeSpan.FromMinutes(15));
        var expired = await app.PostAsync("/challenges", Outpatient);
        Assert.Equal("session.expired", expired.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
    }

    [Fact]
    public async Task ASessionEndsAtItsAbsoluteLifetimeHoweverActive()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        for (var i = 0; i < 40; i++)
        {
            portal.Time.Advance(TimeSpan.FromMinutes(12));
            var response = await app.PostAsync("/challenges", Outpatient);
            if (i < 39)
            {
                Assert.Equal(HttpStatusCode.Created, response.Status);
            }
            else
            {
                Assert.Equal("session.expired", response.Code);
            }
        }
    }

    [Fact]
    public async Task LogoutEndsTheSessionAtOnce()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync("/sessions/current")).Status);
        Assert.Equal("session.expired", (await app.PostAsync("/challenges", Outpatient)).Code);
        app.SessionToken = null;
        Assert.Equal("session.expired", (await app.PostAsync("/challenges", Outpatient)).Code);
    }

    [Fact]
    public async Task AResetPasswordOrAStoppedAccountEndsTheSession()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        await portal.QueryAsync(async db =>
        {
            var account = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == clinic.Institution.Id && a.UserId == clinic.StaffUserId);
            account.SecurityStamp = Guid.NewGuid();
            return await db.SaveChangesAsync();
        });
        Assert.Equal("session.expired", (await app.PostAsync("/challenges", Outpatient)).Code);
    }

    [Fact]
    public async Task AnOpenSessionEndsOnceTheAccountIsOutsideItsPeriod()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient)).Status);
        await portal.QueryAsync(async db =>
        {
            var account = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == clinic.Institution.Id && a.UserId == clinic.StaffUserId);
            account.EndDate = JapanTime.Today(portal.Time).AddDays(-1);
            return await db.SaveChangesAsync();
        });
        Assert.Equal("session.expired", (await app.PostAsync("/challenges", Outpatient)).Code);
    }
}

public sealed class AppSessionTestsOnSqlite(SqlitePortal portal) : AppSessionTests(portal), IClassFixture<SqlitePortal>;

public sealed class AppSessionTestsOnPostgres(PostgresPortal portal) : AppSessionTests(portal), IClassFixture<PostgresPortal>;
