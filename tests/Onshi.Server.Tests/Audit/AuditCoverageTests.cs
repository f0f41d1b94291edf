using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Receipt;
using static Onshi.Server.Tests.Infrastructure.Patients;

namespace Onshi.Server.Tests.Audit;

/// <summary>
/// Every access to a person's data lands in the institution's audit hash chain, not only in a table an operator with
/// database access can quietly empty: a 医療情報閲覧, an app confirmation, a レセコン lookup, a 照会番号 registration and a
/// bulk job. Each test plays the attacker who deletes the ordinary record of the access and then finds the access
/// still named in an intact chain.
/// </summary>
public abstract class AuditCoverageTests(PortalFixture portal)
{
    [Fact]
    public async Task AMedicalInformationViewStaysInTheChainWhenTheViewListIsEmptied()
    {
        var (clinic, app, patient, confirmationId) = await ConfirmedPatientAsync();
        using var _ = clinic;
        using var __ = app;
        using var viewer = portal.NewClient();
        var login = await viewer.LogInAsync(clinic.Institution.Code, clinic.StaffUserId, clinic.StaffPassword);
        Assert.Equal("/", login.RedirectPath);
        var page = await viewer.GetAsync($"/MedicalViewing/View?confirmationId={confirmationId}&type=Pharmacy");
        Assert.Equal(HttpStatusCode.OK, page.Status);

        // The attacker removes the view from the list the portal shows.
        await portal.QueryAsync(db => db.MedicalInformationViews.IgnoreQueryFilters().Where(v => v.InstitutionId == clinic.Institution.Id).ExecuteDeleteAsync());

        var entry = Assert.Single(await ChainAsync(clinic.Institution.Id), e => e.Action == "medical_information.viewed");
        Assert.Equal($"person:{patient.PersonId}", entry.Target);
        Assert.Equal(clinic.StaffUserId, entry.Actor);
        Assert.Contains($"confirmation={confirmationId}", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("type=Pharmacy", entry.Detail, StringComparison.Ordinal);
        await AssertIntactAsync(clinic.Institution.Id);
    }

    [Fact]
    public async Task AnAppConfirmationIsInTheChainWrittenWithIt()
    {
        var (clinic, app, patient, confirmationId) = await ConfirmedPatientAsync();
        using var _ = clinic;
        using var __ = app;

        var entry = Assert.Single(await ChainAsync(clinic.Institution.Id), e => e.Action == "app_confirmation.recorded");
        Assert.Equal($"person:{patient.PersonId}", entry.Target);
        Assert.Equal(clinic.StaffUserId, entry.Actor);
        Assert.Contains($"confirmation={confirmationId}", entry.Detail, StringComparison.Ordinal);
        await AssertIntactAsync(clinic.Institution.Id);
    }

    [Fact]
    public async Task AMachineLookupAndARegistrationAreInTheChain()
    {
        var machine = await portal.MachineAsync();
        var person = await portal.PersonAsync();
        using var http = portal.MachineClient(machine);
        var (status, body) = await http.SendJsonAsync(HttpMethod.Post, "/qualification-confirmations", new
        {
            medicalInstitutionCode = machine.Institution.Code,
            qualificationConfirmationDate = "20250602",
            searchInfo = SearchInfo(person),
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var registered = await http.SendJsonAsync(HttpMethod.Post, "/reference-numbers", new
        {
            medicalInstitutionCode = machine.Institution.Code,
            registrationInfo = new { referenceNumber = "K0001", insurerNumber = person.Insurer.ToPaddedString(), insuredCardSymbol = person.Symbol, insuredIdentificationNumber = person.Number, insuredBranchNumber = person.Branch },
        });
        Assert.True(registered.Status == HttpStatusCode.OK, registered.Body?.ToJsonString());

        var chain = await ChainAsync(machine.Institution.Id);
        var lookup = Assert.Single(chain, e => e.Action == "receipt.qualification_confirmed");
        Assert.Equal($"person:{person.PersonId}", lookup.Target);
        Assert.Equal($"machine:{machine.Id}", lookup.Actor);
        var registration = Assert.Single(chain, e => e.Action == "receipt.reference_number_registered");
        Assert.Equal($"person:{person.PersonId}", registration.Target);
        await AssertIntactAsync(machine.Institution.Id);
    }

    [Fact]
    public async Task ABulkJobNamesEveryPersonItReadInTheChain()
    {
        var machine = await portal.MachineAsync();
        var persons = new[] { await portal.PersonAsync(), await portal.PersonAsync() };
        using var http = portal.MachineClient(machine);
        var (status, body) = await http.SendJsonAsync(HttpMethod.Post, "/bulk-requests", new
        {
            kind = "qualificationConfirmation",
            medicalInstitutionCode = machine.Institution.Code,
            qualificationConfirmationDate = "20250602",
            searchInfos = persons.Select(SearchInfo).ToArray(),
        });
        Assert.True(status == HttpStatusCode.Accepted, body?.ToJsonString());
        var reception = body!["receptionNumber"]!.GetValue<string>();

        // The worker runs in the background: poll, bounded in count (and so in time).
        for (var i = 0; i < 300; i++)
        {
            var (_, result) = await http.SendJsonAsync(HttpMethod.Get, "/bulk-requests/" + reception);
            if (result?["status"]?.GetValue<string>() == "completed")
            {
                break;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var entry = Assert.Single(await ChainAsync(machine.Institution.Id), e => e.Action == "receipt.bulk_qualification_confirmed");
        Assert.Equal($"bulk:{reception}", entry.Target);
        Assert.Contains("persons=" + string.Join(',', persons.Select(p => p.PersonId).Order()), entry.Detail, StringComparison.Ordinal);
        await AssertIntactAsync(machine.Institution.Id);
    }

    private static object SearchInfo(SeededPerson person) => new
    {
        insurerNumber = person.Insurer.ToPaddedString(),
        insuredCardSymbol = person.Symbol,
        insuredIdentificationNumber = person.Number,
        insuredBranchNumber = person.Branch,
        birthdate = person.Birthdate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
        limitApplicationCertificateRelatedConsFlg = "1",
    };

    private async Task<(Clinic Clinic, AppClient App, Patient Patient, Guid ConfirmationId)> ConfirmedPatientAsync()
    {
        var clinic = await portal.ClinicAsync();
        await portal.LoadCrlAsync();
        var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();
        var confirmed = await app.ConfirmWithPinAsync(clinic, patient.Card, consents: new { pharmacy = true });
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());
        return (clinic, app, patient, Guid.Parse(confirmed.Str("confirmationId")));
    }

    private Task<List<AuditEntry>> ChainAsync(int institutionId) =>
        portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.ChainKey == institutionId).OrderBy(e => e.Sequence).ToListAsync());

    private async Task AssertIntactAsync(int institutionId)
    {
        var report = Assert.Single(await portal.WithServiceAsync<AuditChainVerifier, IReadOnlyList<AuditChainReport>>(v => v.VerifyAsync(institutionId, TestContext.Current.CancellationToken)));
        Assert.True(report.Intact, report.Break?.Explanation);
    }
}

public sealed class AuditCoverageTestsOnSqlite(SqlitePortal portal) : AuditCoverageTests(portal), IClassFixture<SqlitePortal>;

public sealed class AuditCoverageTestsOnPostgres(PostgresPortal portal) : AuditCoverageTests(portal), IClassFixture<PostgresPortal>;
