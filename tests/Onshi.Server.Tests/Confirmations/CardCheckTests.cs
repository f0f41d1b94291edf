using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Confirmations;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.Patients;

namespace Onshi.Server.Tests.Confirmations;

/// <summary>
/// POST /card-checks and GET /sessions/current: the server refuses a card it cannot accept as soon as the certificate is
/// read (before the patient types a PIN or answers a consent), records the refused attempt without personal data, and
/// tells the app the institution's purposes and offer as they are now.
/// </summary>
public abstract class CardCheckTests(PortalFixture portal)
{
    private async Task<(Clinic Clinic, AppClient App)> ReadyAsync()
    {
        var clinic = await portal.ClinicAsync();
        await portal.LoadCrlAsync();
        return (clinic, await portal.ReadyAppAsync(clinic));
    }

    private static object Check(Patient patient, string purpose = "outpatient", string method = "pin", bool pinBlocked = false) =>
        new { purpose, method, certificate = Base64Url.EncodeToString(patient.Card.AuthCertificate), pinBlocked };

    private Task<List<Onshi.Server.Audit.AuditEntry>> RefusalsAsync(Clinic clinic) =>
        portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == clinic.Institution.Id && e.Action == CheckCard.RefusedAction).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task AValidLinkedCardPassesAndTheAnswerCarriesTheCurrentOffer()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();

        var response = await app.PostAsync("/card-checks", Check(patient));

        Assert.True(response.Status == HttpStatusCode.OK, response.Body?.ToJsonString());
        Assert.False(response.Body!["qualificationOnly"]!.GetValue<bool>());
        Assert.Equal(["outpatient", "homeVisit"], response.Body["purposes"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["pharmacy", "diagnosis", "checkup"], response.Body["offeredInformation"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Empty(await RefusalsAsync(clinic));
    }

    [Fact]
    public async Task ACertificateBeyondTheGraceIsRefusedBeforeAnyPinAndTheAttemptIsRecordedWithoutPersonalData()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var now = portal.Time.GetUtcNow();
        var beyond = await portal.PatientAsync(card: Request() with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddMonths(-4) });

        var response = await app.PostAsync("/card-checks", Check(beyond, method: "visual"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("jpki.expired", response.Code);
        var entry = Assert.Single(await RefusalsAsync(clinic));
        Assert.Equal("purpose=outpatient;method=visual;code=jpki.expired", entry.Detail);
        Assert.False(entry.Succeeded);
        Assert.Equal(clinic.StaffUserId, entry.Actor);
        Assert.DoesNotContain("黒桐", entry.Detail + entry.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateWithinTheGraceIsAcceptedAsQualificationOnlySoNoConsentIsAsked()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var now = portal.Time.GetUtcNow();
        var within = await portal.PatientAsync(card: Request() with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddMonths(-2) });

        var response = await app.PostAsync("/card-checks", Check(within));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Body!["qualificationOnly"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnUnlinkedCardAndABlockedPinAreRefusedAndBothAttemptsAreListed()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var unlinked = await portal.PatientAsync(link: false);
        var linked = await portal.PatientAsync();

        var notLinked = await app.PostAsync("/card-checks", Check(unlinked));
        var blocked = await app.PostAsync("/card-checks", Check(linked, pinBlocked: true));

        Assert.Equal("card.not_linked", notLinked.Code);
        Assert.Equal("card.pin_blocked", blocked.Code);
        Assert.Contains("顔認証マイナンバーカード", blocked.Detail, StringComparison.Ordinal);
        Assert.Equal(["code=card.not_linked", "code=card.pin_blocked"], (await RefusalsAsync(clinic)).Select(e => e.Detail!.Split(';')[2]));
    }

    [Fact]
    public async Task APurposeSwitchedOffDuringTheSessionIsRefusedAndTheSessionReportsWhatIsLeft()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();

        await portal.SetSettingsAsync(clinic.Institution.Id, outpatient: false, homeVisit: true, pharmacy: false);

        var refused = await app.PostAsync("/card-checks", Check(patient));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("purpose.not_enabled", refused.Code);
        var current = await app.GetAsync("/sessions/current");
        Assert.Equal(HttpStatusCode.OK, current.Status);
        Assert.Equal(["homeVisit"], current.Body!["purposes"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["diagnosis", "checkup"], current.Body["offeredInformation"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task AnInvalidatedDeviceIsToldSoByTheSessionCheckAndTheCardCheck()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();

        await Devices.ActivationTests.InvalidateAsync(portal, clinic, "Aのスマホ1");

        Assert.Equal("device.invalidated", (await app.GetAsync("/sessions/current")).Code);
        Assert.Equal("device.invalidated", (await app.PostAsync("/card-checks", Check(patient))).Code);
    }
}

public sealed class CardCheckTestsOnSqlite(SqlitePortal portal) : CardCheckTests(portal), IClassFixture<SqlitePortal>;

public sealed class CardCheckTestsOnPostgres(PostgresPortal portal) : CardCheckTests(portal), IClassFixture<PostgresPortal>;
