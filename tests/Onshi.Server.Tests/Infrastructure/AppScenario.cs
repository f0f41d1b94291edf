using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Tests.Accounts;
using Onshi.Server.Tests.ActivationCodes;

namespace Onshi.Server.Tests.Infrastructure;

/// <summary>An institution ready for the app: settings switched on, a staff account that has done its first login, an unused code.</summary>
public sealed record Clinic(TestInstitution Institution, PortalClient Admin, string StaffUserId, string StaffPassword, string ActivationCode) : IDisposable
{
    public string Code => Institution.Code;

    public void Dispose() => Admin.Dispose();
}

public static class AppScenario
{
    public static AppClient NewApp(this PortalFixture portal)
    {
        portal.SkipIfUnavailable();
        return new AppClient(portal.Factory.CreateClient(), portal.Time);
    }

    /// <summary>Switches the institution's 環境設定情報 directly in the database (the settings page has its own tests).</summary>
    public static Task SetSettingsAsync(this PortalFixture portal, int institutionId, bool outpatient = true, bool homeVisit = false, bool online = false,
        bool pharmacy = true, bool diagnosis = true, bool checkup = true, bool operation = false) =>
        portal.QueryAsync(async db =>
        {
            var settings = await db.InstitutionSettings.IgnoreQueryFilters().SingleAsync(s => s.InstitutionId == institutionId);
            settings.OutpatientFunction = outpatient;
            settings.HomeVisitFunction = homeVisit;
            settings.OnlineCareFunction = online;
            settings.OfferMedicationInformation = pharmacy;
            settings.OfferClinicalInformation = diagnosis;
            settings.OfferCheckupInformation = checkup;
            settings.OfferSurgeryInformation = operation;
            settings.Version = Guid.NewGuid();
            return await db.SaveChangesAsync();
        });

    /// <summary>A staff account created through the portal that has logged in once and replaced its initial password.</summary>
    public static async Task<(string UserId, string Password)> StaffAsync(this PortalFixture portal, TestInstitution institution, PortalClient admin, string userId, AccountRole role = AccountRole.MedicalInformationViewer, bool completeFirstLogin = true)
    {
        var (id, initial) = await AccountManagementTests.CreateStaffAsync(admin, userId, role);
        if (!completeFirstLogin)
        {
            return (id, initial);
        }

        using var staff = portal.NewClient();
        await staff.LogInAndChangeInitialPasswordAsync(institution.Code, id, initial, PortalFixture.StrongPassword);
        return (id, PortalFixture.StrongPassword);
    }

    public static async Task<Clinic> ClinicAsync(this PortalFixture portal, string name = "テスト診療所", bool outpatient = true, bool homeVisit = true, bool online = false)
    {
        var institution = await portal.CreateInstitutionAsync(name);
        var admin = await portal.AdministratorAsync(institution);
        await portal.SetSettingsAsync(institution.Id, outpatient, homeVisit, online);
        var (userId, password) = await portal.StaffAsync(institution, admin, "dr01");
        var code = await ActivationCodeTests.IssueAsync(admin, "Aのスマホ1");
        return new Clinic(institution, admin, userId, password, code);
    }

    public static Task<AppResponse> ActivateAsync(this AppClient app, Clinic clinic, string? code = null, string? userId = null, string? password = null, string? institutionCode = null) =>
        app.PostAsync("/activation", new { institutionCode = institutionCode ?? clinic.Code, userId = userId ?? clinic.StaffUserId, password = password ?? clinic.StaffPassword, activationCode = code ?? clinic.ActivationCode });

    public static async Task<AppResponse> LogInAsync(this AppClient app, string userId, string password)
    {
        app.SessionToken = null;
        var response = await app.PostAsync("/sessions", new { userId, password });
        if (response.Status == HttpStatusCode.Created)
        {
            app.SessionToken = response.Str("sessionToken");
        }

        return response;
    }

    /// <summary>An activated device with a logged-in staff member of <paramref name="clinic"/>.</summary>
    public static async Task<AppClient> ReadyAppAsync(this PortalFixture portal, Clinic clinic, string? code = null)
    {
        var app = portal.NewApp();
        var activation = await app.ActivateAsync(clinic, code);
        Assert.True(activation.Status == HttpStatusCode.Created, activation.Body?.ToJsonString());
        app.InstitutionCode = clinic.Code;
        var login = await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword);
        Assert.True(login.Status == HttpStatusCode.Created, login.Body?.ToJsonString());
        return app;
    }
}
