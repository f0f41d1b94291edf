using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Receipt;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Receipt;

public abstract class MachineAccountTests(PortalFixture portal)
{
    private const string Feed = "/confirmations/feed";

    [Fact]
    public async Task AdministratorCreatesAMachineAccountInThePortalAndTheSecretIsShownOnlyOnce()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);

        var menu = await admin.GetAsync("/");
        Assert.Contains("/MachineAccounts/Create", menu.Html, StringComparison.Ordinal);
        var created = await admin.SubmitAsync("/MachineAccounts/Create", Form(("Label", "受付レセコン1")));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var clientId = created.TestId("client-id")!;
        var secret = created.TestId("client-secret")!;
        Assert.StartsWith("rc-", clientId, StringComparison.Ordinal);
        Assert.Equal(43, secret.Length);

        var list = await admin.GetAsync("/MachineAccounts");
        Assert.Contains(clientId, list.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Html, StringComparison.Ordinal);
        var stored = await portal.QueryAsync(db => db.MachineAccounts.IgnoreQueryFilters().SingleAsync(m => m.ClientId == clientId));
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(stored.SecretHash), StringComparison.Ordinal);

        using var http = portal.MachineClient(new Machine(institution, stored.Id, clientId, secret));
        var (status, body) = await http.SendJsonAsync(HttpMethod.Get, Feed);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(institution.Code, body!["institutionCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task AGeneralUserCannotOpenTheMachineAccountPages()
    {
        var institution = await portal.CreateInstitutionAsync();
        using var admin = await portal.AdministratorAsync(institution);
        var (staffId, password) = await portal.StaffAsync(institution, admin, "staff1", Server.Accounts.AccountRole.General);
        using var staff = portal.NewClient();
        await staff.LogInAsync(institution.Code, staffId, password);
        var page = await staff.GetAsync("/MachineAccounts/Create");
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/AccessDenied", page.RedirectPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesAWrongSecretAnUnknownClientAndMalformedCredentialsWithOneGenericAnswer()
    {
        var machine = await portal.MachineAsync();
        foreach (var header in new[]
        {
            Basic(machine.ClientId, machine.Secret + "x"),
            Basic("rc-00000000000000000000", machine.Secret),
            "Basic !!notbase64",
            Basic(machine.ClientId, ""),
        })
        {
            using var http = portal.Factory.CreateClient();
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
            var (status, body) = await http.SendJsonAsync(HttpMethod.Get, Feed);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("receipt.credentials_invalid", body!["code"]!.GetValue<string>());
            Assert.Equal("ONSR0001", body["wireCode"]!.GetValue<string>());
        }

        var audited = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == machine.Institution.Id && e.Action == "machine_account.authentication_refused").Select(e => e.Detail).ToListAsync());
        Assert.Contains("wrong_secret", audited);
    }

    [Fact]
    public async Task AStoppedAccountIsRefusedAtOnceAndARotatedSecretReplacesTheOldOne()
    {
        var machine = await portal.MachineAsync();
        var admin = new Common.Actor(1, machine.Institution.Id, Server.Accounts.AccountRole.Administrator, "admin");
        var version = await portal.QueryAsync(db => db.MachineAccounts.IgnoreQueryFilters().Where(m => m.Id == machine.Id).Select(m => m.Version).SingleAsync());
        var rotated = await portal.WithServiceAsync<RotateMachineSecret, Common.OperationResult<IssuedMachineCredentials>>(r => r.ExecuteAsync(admin, machine.Id, version, TestContext.Current.CancellationToken));
        Assert.True(rotated.Succeeded);

        using (var old = portal.MachineClient(machine))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.SendJsonAsync(HttpMethod.Get, Feed)).Status);
        }

        using (var fresh = portal.MachineClient(machine, rotated.Value!.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, (await fresh.SendJsonAsync(HttpMethod.Get, Feed)).Status);
        }

        var stale = await portal.WithServiceAsync<StopMachineAccount, Common.OperationResult<MachineAccount>>(s => s.ExecuteAsync(admin, machine.Id, version, TestContext.Current.CancellationToken));
        Assert.Equal(ReceiptRefusals.ChangedConcurrently, stale.Refusal);
        var stopped = await portal.WithServiceAsync<StopMachineAccount, Common.OperationResult<MachineAccount>>(s => s.ExecuteAsync(admin, machine.Id, rotated.Value.Account.Version, TestContext.Current.CancellationToken));
        Assert.True(stopped.Succeeded, stopped.Refusal?.Code);

        using var afterStop = portal.MachineClient(machine, rotated.Value.Secret);
        var (status, body) = await afterStop.SendJsonAsync(HttpMethod.Get, Feed);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("receipt.credentials_invalid", body!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherInstitutionsAdministratorCannotStopOrRotateIt()
    {
        var machine = await portal.MachineAsync();
        var other = await portal.CreateInstitutionAsync();
        var version = await portal.QueryAsync(db => db.MachineAccounts.IgnoreQueryFilters().Where(m => m.Id == machine.Id).Select(m => m.Version).SingleAsync());
        var stranger = new Common.Actor(1, other.Id, Server.Accounts.AccountRole.Administrator, "admin");
        var result = await portal.WithServiceAsync<StopMachineAccount, Common.OperationResult<MachineAccount>>(s => s.ExecuteAsync(stranger, machine.Id, version, TestContext.Current.CancellationToken));
        Assert.Equal(ReceiptRefusals.MachineAccountNotFound, result.Refusal);
        var general = new Common.Actor(2, machine.Institution.Id, Server.Accounts.AccountRole.General, "staff");
        var refused = await portal.WithServiceAsync<RotateMachineSecret, Common.OperationResult<IssuedMachineCredentials>>(r => r.ExecuteAsync(general, machine.Id, version, TestContext.Current.CancellationToken));
        Assert.Equal(Common.Refusals.NotAdministrator, refused.Refusal);
    }

    [Fact]
    public async Task PortalSessionsAndAppCredentialsCannotCallTheReceiptApiAndMachineCredentialsCannotOpenThePortal()
    {
        var machine = await portal.MachineAsync();
        using var admin = await portal.AdministratorAsync(machine.Institution);
        using var cookie = await admin.Http.GetAsync(new Uri("/api/receipt/v1/confirmations/feed", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, cookie.StatusCode);

        // The portal's own login (user id + password) as Basic credentials is not a machine account either.
        using var staffAsBasic = portal.Factory.CreateClient();
        staffAsBasic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + PortalFixture.StrongPassword)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await staffAsBasic.SendJsonAsync(HttpMethod.Get, Feed)).Status);

        using var app = portal.NewApp();
        var proof = app.Proof("GET", "/api/receipt/v1/confirmations/feed");
        using var appRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/receipt/v1/confirmations/feed", UriKind.Relative));
        appRequest.Headers.TryAddWithoutValidation("DPoP", proof);
        appRequest.Headers.TryAddWithoutValidation("Authorization", "DPoP some-session-token");
        using var appResponse = await app.Http.SendAsync(appRequest, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, appResponse.StatusCode);

        using var machineHttp = portal.MachineClient(machine);
        using var page = await machineHttp.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Login", page.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesARequestNamingAnotherInstitutionsCode()
    {
        var machine = await portal.MachineAsync();
        var other = await portal.CreateInstitutionAsync();
        var person = await portal.PersonAsync();
        using var http = portal.MachineClient(machine);
        var (status, body) = await http.SendJsonAsync(HttpMethod.Post, "/qualification-confirmations", new
        {
            medicalInstitutionCode = other.Code,
            qualificationConfirmationDate = "20250602",
            searchInfo = new { insurerNumber = person.Insurer.Value, insuredCardSymbol = person.Symbol, insuredIdentificationNumber = person.Number, insuredBranchNumber = "00", birthdate = "19800217", limitApplicationCertificateRelatedConsFlg = "1" },
        });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("receipt.institution_mismatch", body!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefusesPlainHttpFromAnotherHost()
    {
        var machine = await portal.MachineAsync();
        var context = await portal.Factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/api/receipt/v1/confirmations/feed";
            c.Request.Scheme = "http";
            c.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
            c.Request.Headers.Authorization = Basic(machine.ClientId, machine.Secret);
        }, TestContext.Current.CancellationToken);
        Assert.Equal(403, context.Response.StatusCode);
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("receipt.https_required", text, StringComparison.Ordinal);
    }

    private static string Basic(string id, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + secret));
}

public sealed class MachineAccountTestsOnSqlite(SqlitePortal portal) : MachineAccountTests(portal), IClassFixture<SqlitePortal>;

public sealed class MachineAccountTestsOnPostgres(PostgresPortal portal) : MachineAccountTests(portal), IClassFixture<PostgresPortal>;
