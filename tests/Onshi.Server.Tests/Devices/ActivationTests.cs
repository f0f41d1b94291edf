using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Devices;
using Onshi.Server.Tests.ActivationCodes;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Devices;

/// <summary>初期設定 over real HTTP: the device key is bound to one code; every refusal of the contract has its own code.</summary>
public abstract class ActivationTests(PortalFixture portal)
{
    private static void AssertRefused(AppResponse response, HttpStatusCode status, string code)
    {
        Assert.Equal(code, response.Code);
        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.False(string.IsNullOrWhiteSpace(response.Detail));
    }

    [Fact]
    public async Task ActivationBindsTheProofKeyToTheCodeAndAnswersWithTheDevice()
    {
        using var clinic = await portal.ClinicAsync("さくら診療所");
        using var app = portal.NewApp();
        var response = await app.ActivateAsync(clinic, clinic.ActivationCode.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("Aのスマホ1", response.Str("deviceLabel"));
        Assert.Equal(clinic.Code, response.Body!["institution"]!["code"]!.GetValue<string>());
        Assert.Equal("さくら診療所", response.Body!["institution"]!["name"]!.GetValue<string>());
        var deviceId = Guid.Parse(response.Str("deviceId"));

        var device = await portal.QueryAsync(db => db.Devices.IgnoreQueryFilters().SingleAsync(d => d.Id == deviceId));
        Assert.Equal(app.Thumbprint, device.KeyThumbprint);
        Assert.Equal(DeviceStatus.Active, device.Status);
        Assert.Equal(clinic.Institution.Id, device.InstitutionId);
        var code = await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().SingleAsync(c => c.Id == device.ActivationCodeId));
        Assert.Equal(ActivationCodeStatus.InUse, code.Status);
        Assert.Equal(deviceId, code.DeviceId);
    }

    [Fact]
    public async Task WrongPasswordUnknownUserAndUnknownInstitutionGetOneGenericRefusal()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = portal.NewApp();
        var wrongPassword = await app.ActivateAsync(clinic, password: "not the password at all");
        var unknownUser = await app.ActivateAsync(clinic, userId: "nobody");
        var unknownInstitution = await app.ActivateAsync(clinic, institutionCode: "0110113719");
        foreach (var response in new[] { wrongPassword, unknownUser, unknownInstitution })
        {
            AssertRefused(response, HttpStatusCode.Unauthorized, "app.credentials_invalid");
            Assert.Equal(wrongPassword.Detail, response.Detail);
        }

        Assert.Equal(ActivationCodeStatus.Unused, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.InstitutionId == clinic.Institution.Id).Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task AStoppedAccountLooksLikeWrongCredentials()
    {
        using var clinic = await portal.ClinicAsync();
        await portal.QueryAsync(async db =>
        {
            var account = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == clinic.Institution.Id && a.UserId == clinic.StaffUserId);
            account.StoppedAt = portal.Time.GetUtcNow();
            return await db.SaveChangesAsync();
        });
        using var app = portal.NewApp();
        AssertRefused(await app.ActivateAsync(clinic), HttpStatusCode.Unauthorized, "app.credentials_invalid");
    }

    [Fact]
    public async Task ALockedAccountIsNamedOnlyWhenThePasswordIsRight()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = portal.NewApp();
        for (var i = 0; i < 5; i++)
        {
            AssertRefused(await app.ActivateAsync(clinic, password: "wrong password number " + i), HttpStatusCode.Unauthorized, "app.credentials_invalid");
        }

        AssertRefused(await app.ActivateAsync(clinic), HttpStatusCode.Forbidden, "app.account_locked");
        AssertRefused(await app.ActivateAsync(clinic, password: "still the wrong one"), HttpStatusCode.Unauthorized, "app.credentials_invalid");

        // After as many guesses as an unlocked account allows, a locked account stops checking passwords at all.
        for (var i = 0; i < 5; i++)
        {
            await app.ActivateAsync(clinic, password: "guess while locked " + i);
        }

        AssertRefused(await app.ActivateAsync(clinic), HttpStatusCode.Unauthorized, "app.credentials_invalid");

        portal.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Created, (await app.ActivateAsync(clinic)).Status);
    }

    [Fact]
    public async Task AnAccountOutsideItsPeriodIsRefused()
    {
        using var clinic = await portal.ClinicAsync();
        await portal.QueryAsync(async db =>
        {
            var account = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.InstitutionId == clinic.Institution.Id && a.UserId == clinic.StaffUserId);
            account.EndDate = new DateOnly(2025, 6, 1);
            return await db.SaveChangesAsync();
        });
        using var app = portal.NewApp();
        AssertRefused(await app.ActivateAsync(clinic), HttpStatusCode.Forbidden, "app.account_outside_period");
    }

    [Fact]
    public async Task AnAccountThatNeverLoggedInToThePortalIsToldToDoSoFirst()
    {
        using var clinic = await portal.ClinicAsync();
        var (userId, initial) = await portal.StaffAsync(clinic.Institution, clinic.Admin, "new01", completeFirstLogin: false);
        using var app = portal.NewApp();
        var response = await app.ActivateAsync(clinic, userId: userId, password: initial);
        AssertRefused(response, HttpStatusCode.Forbidden, "app.account_never_logged_in");
        Assert.Contains("資格確認端末", response.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministratorAccountMayNotUseTheApp()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = portal.NewApp();
        AssertRefused(await app.ActivateAsync(clinic, userId: clinic.Institution.AdministratorUserId, password: PortalFixture.StrongPassword), HttpStatusCode.Forbidden, "app.role_not_allowed");
    }

    [Fact]
    public async Task AnInstitutionWithNoPurposeEnabledCannotActivate()
    {
        using var clinic = await portal.ClinicAsync(outpatient: false, homeVisit: false, online: false);
        using var app = portal.NewApp();
        AssertRefused(await app.ActivateAsync(clinic), HttpStatusCode.Forbidden, "app.no_purpose_enabled");
    }

    [Fact]
    public async Task UnknownUsedInvalidatedAndExpiredCodesAreRefusedEachWithItsCode()
    {
        using var clinic = await portal.ClinicAsync();
        using var first = portal.NewApp();
        AssertRefused(await first.ActivateAsync(clinic, code: "ABCD-EFGH-JKMN-PQRS"), HttpStatusCode.BadRequest, "activation_code.unknown");
        AssertRefused(await first.ActivateAsync(clinic, code: "not a code"), HttpStatusCode.BadRequest, "activation_code.unknown");

        Assert.Equal(HttpStatusCode.Created, (await first.ActivateAsync(clinic)).Status);
        using var second = portal.NewApp();
        AssertRefused(await second.ActivateAsync(clinic), HttpStatusCode.Conflict, "activation_code.used");

        var invalidated = await ActivationCodeTests.IssueAsync(clinic.Admin, "Bのタブレット");
        await InvalidateAsync(portal, clinic, "Bのタブレット");
        AssertRefused(await second.ActivateAsync(clinic, code: invalidated), HttpStatusCode.Conflict, "activation_code.invalidated");

        var expired = await ActivationCodeTests.IssueAsync(clinic.Admin, "Cのスマホ");
        portal.Time.Advance(TimeSpan.FromDays(8));
        AssertRefused(await second.ActivateAsync(clinic, code: expired), HttpStatusCode.Conflict, "activation_code.expired");
    }

    [Fact]
    public async Task AKeyAlreadyBoundToADeviceCannotTakeASecondCode()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = portal.NewApp();
        Assert.Equal(HttpStatusCode.Created, (await app.ActivateAsync(clinic)).Status);
        var second = await ActivationCodeTests.IssueAsync(clinic.Admin, "Bのタブレット");
        AssertRefused(await app.ActivateAsync(clinic, code: second), HttpStatusCode.Conflict, "device.key_already_registered");
        Assert.Equal(ActivationCodeStatus.Unused, await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.Label == "Bのタブレット" && c.InstitutionId == clinic.Institution.Id).Select(c => c.Status).SingleAsync()));
    }

    [Fact]
    public async Task ACodeOfAnotherInstitutionIsUnknownHere()
    {
        using var mine = await portal.ClinicAsync();
        using var theirs = await portal.ClinicAsync();
        using var app = portal.NewApp();
        AssertRefused(await app.ActivateAsync(mine, code: theirs.ActivationCode), HttpStatusCode.BadRequest, "activation_code.unknown");
    }

    [Fact]
    public async Task InvalidatingTheCodeInThePortalCutsTheDeviceAndEndsItsSessionsAtOnce()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", new { purpose = "outpatient" })).Status);

        await InvalidateAsync(portal, clinic, "Aのスマホ1");

        AssertRefused(await app.PostAsync("/challenges", new { purpose = "outpatient" }), HttpStatusCode.Unauthorized, "device.invalidated");
        AssertRefused(await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword), HttpStatusCode.Unauthorized, "device.invalidated");
        var device = await portal.QueryAsync(db => db.Devices.IgnoreQueryFilters().SingleAsync(d => d.InstitutionId == clinic.Institution.Id));
        Assert.Equal(DeviceStatus.Invalidated, device.Status);
        var sessions = await portal.QueryAsync(db => db.AppSessions.Where(s => s.DeviceId == device.Id).ToListAsync());
        Assert.NotEmpty(sessions);
        Assert.All(sessions, s => Assert.Equal(Server.AppSessions.AppSessionEnd.DeviceInvalidated, s.EndReason));
    }

    internal static async Task InvalidateAsync(PortalFixture portal, Clinic clinic, string label)
    {
        var id = await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.InstitutionId == clinic.Institution.Id && c.Label == label).Select(c => c.Id).SingleAsync());
        var confirm = await clinic.Admin.GetAsync($"/ActivationCodes/Invalidate?id={id}");
        var version = System.Text.RegularExpressions.Regex.Match(confirm.Html, "name=\"Version\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        var done = await clinic.Admin.PostAsync("/ActivationCodes/Invalidate", PortalClient.Form(
            ("Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", version), ("__RequestVerificationToken", confirm.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
    }
}

public sealed class ActivationTestsOnSqlite(SqlitePortal portal) : ActivationTests(portal), IClassFixture<SqlitePortal>;

public sealed class ActivationTestsOnPostgres(PostgresPortal portal) : ActivationTests(portal), IClassFixture<PostgresPortal>;
