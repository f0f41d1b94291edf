using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Jpki;
using Onshi.Server.Accounts;
using Onshi.Server.Tests.ActivationCodes;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Receipt;
using static Onshi.Server.Tests.Infrastructure.Patients;

namespace Onshi.Server.Tests.Security;

/// <summary>Who asks. The order is the order of the letters in <see cref="AuthorizationMatrixTests.Table"/>.</summary>
public enum Caller
{
    /// <summary>No credentials at all.</summary>
    Anonymous,

    /// <summary>管理者 of institution A (every resource in the table belongs to A).</summary>
    Administrator,

    /// <summary>一般利用者 of A.</summary>
    General,

    /// <summary>医療情報閲覧 of A.</summary>
    MedicalViewer,

    /// <summary>管理者 of institution B asking for A's resources by id.</summary>
    OtherAdministrator,

    /// <summary>An active device of A with a staff session.</summary>
    Device,

    /// <summary>A device key that was never activated (only the activation endpoint accepts it).</summary>
    NewDevice,

    /// <summary>An active device of institution B, with a session of B's staff, using A's ids and credentials.</summary>
    OtherDevice,

    /// <summary>A device of A whose activation code the administrator invalidated.</summary>
    InvalidatedDevice,

    /// <summary>連携アプリ用アカウント (machine account of the レセコン) of A, HTTP Basic.</summary>
    Machine,

    /// <summary>The machine account of institution B, naming A's institution or A's ids.</summary>
    OtherMachine,
}

/// <summary>
/// The authorization matrix of docs/security.md: every endpoint and portal page of the application's own route table
/// (minimal APIs and Razor Page handlers, read from EndpointDataSource) against every kind of caller, with the expected
/// answer written down once in <see cref="Table"/>. An endpoint without a row, or a row without an endpoint, fails.
/// Every cell is a real HTTP request (POSTs carry a valid antiforgery token, so a refusal is authorization's, not
/// antiforgery's).
/// </summary>
public abstract class AuthorizationMatrixTests(PortalFixture portal)
{
    // Expected outcome letters:
    //   A  allowed: 2xx, or a redirect that is not to /Login or /AccessDenied. Never 422: an operation refusing the caller's
    //      role answers 403 (F), and every row sends a request the operation accepts, so A means the caller got in.
    //   L  redirected to /Login (not signed in as far as the portal is concerned)
    //   F  forbidden: 403, or redirected to /AccessDenied
    //   U  401 (app API: no valid proof, unknown or invalidated device, wrong credentials, no session)
    //   N  404: the id belongs to another institution or device
    //   C  409: refused as a conflict (a key already bound to a device, a challenge of another device)
    //   -  not applicable (not requested)
    //   V  422 on a portal form posted empty: the page's authorization policy let the caller in and the handler ran
    //      (page policies run before any handler), then refused the form's content with codes none of which is a role
    //      refusal (those answer 403 now). Only for forms whose operation has no role check of its own beyond the page's.
    // Columns: Anonymous Administrator General MedicalViewer OtherAdministrator Device NewDevice OtherDevice InvalidatedDevice Machine OtherMachine
    internal static readonly MatrixRow[] Table =
    [
        // Infrastructure
        new("/healthz", "GET", null, _ => "/healthz", "A A A A A A A A A A A"),
        new("/health/live", "GET", null, _ => "/health/live", "A A A A A A A A A A A"),
        new("/health/ready", "GET", null, _ => "/health/ready", "A A A A A A A A A A A"),
        new("/openapi/{documentName}.json", "GET", null, _ => "/openapi/v1.json", "A A A A A A A A A A A"),

        // App API: every request needs a device proof; ids of another device are not found.
        new("/api/app/v1/activation", "POST", null, _ => "/api/app/v1/activation", "U U U U U C A C C U U"),
        new("/api/app/v1/sessions", "POST", null, _ => "/api/app/v1/sessions", "U U U U U A U U U U U"),  // with A's 一般利用者, who exists only in A
        new("/api/app/v1/challenges", "POST", null, _ => "/api/app/v1/challenges", "U U U U U A U A U U U"),
        new("/api/app/v1/confirmations", "POST", null, _ => "/api/app/v1/confirmations", "U U U U U A U C U U U"),
        new("/api/app/v1/confirmations/{id:guid}", "GET", null, r => $"/api/app/v1/confirmations/{r.ConfirmationId}", "U U U U U A U N U U U"),
        new("/api/app/v1/sessions/current", "GET", null, _ => "/api/app/v1/sessions/current", "U U U U U A U A U U U"),
        new("/api/app/v1/card-checks", "POST", null, _ => "/api/app/v1/card-checks", "U U U U U B U B U U U"),  // no body: authorized, then refused
        new("/api/app/v1/sessions/current", "DELETE", null, _ => "/api/app/v1/sessions/current", "U U U U U A U A U U U", Last: true),

        // Portal: anonymous pages
        new("Login", "GET", null, _ => "/Login", "A A A A A A A A A A A"),
        new("Login", "POST", null, _ => "/Login", "V V V V V V V V V V V"),
        new("AccessDenied", "GET", null, _ => "/AccessDenied", "F F F F F F F F F F F"),  // anyone may see it; it answers 403 itself
        new("Error", "GET", null, _ => "/Error", "A A A A A A A A A A A"),
        new("Error", "POST", null, _ => "/Error", "A A A A A A A A A A A"),

        // Portal: every signed-in account
        new("", "GET", null, _ => "/", "L A A A A L L L L L L"),
        new("Index", "GET", null, _ => "/Index", "L A A A A L L L L L L"),
        new("ChangePassword", "GET", null, _ => "/ChangePassword", "L A A A A L L L L L L"),
        new("ChangePassword", "POST", null, _ => "/ChangePassword", "L V V V V L L L L L L"),
        new("ChangeInitialPassword", "GET", null, _ => "/ChangeInitialPassword", "L A A A A L L L L L L"),
        new("ChangeInitialPassword", "POST", null, _ => "/ChangeInitialPassword", "L V V V V L L L L L L"),
        new("Logout", "GET", null, _ => "/Logout", "L A A A A L L L L L L"),
        new("Logout", "POST", null, _ => "/Logout", "L L L L L L L L L L L", Last: true),  // success lands on /Login too (PortalSecurityTests checks the session ends)
        // 二要素認証: enrolment for any fully signed-in person (or one the institution's rule sends there), the code step
        // only for a session that owes one; everyone else is sent on, never shown the other's secret.
        new("TwoFactor/Enrol", "GET", null, _ => "/TwoFactor/Enrol", "L A A A A L L L L L L"),
        new("TwoFactor/Enrol", "POST", null, _ => "/TwoFactor/Enrol", "L V V V V L L L L L L"),
        new("TwoFactor/Verify", "GET", null, _ => "/TwoFactor/Verify", "L A A A A L L L L L L"),
        new("TwoFactor/Verify", "POST", null, _ => "/TwoFactor/Verify", "L A A A A L L L L L L"),
        new("AppConfirmations/Index", "GET", null, _ => "/AppConfirmations", "L A A A A L L L L L L"),
        new("AppConfirmations", "GET", null, _ => "/AppConfirmations", "L A A A A L L L L L L"),
        new("AppConfirmations/Detail", "GET", null, r => $"/AppConfirmations/Detail?id={r.ConfirmationId}", "L A A A N L L L L L L"),
        new("AppConfirmations/Detail", "GET", "Pdf", r => $"/AppConfirmations/Detail?id={r.ConfirmationId}&handler=Pdf", "L A A A N L L L L L L"),
        new("AppConfirmations/Detail", "POST", "Withdraw", r => $"/AppConfirmations/Detail?id={r.ConfirmationId}&handler=Withdraw&type=Checkup&purpose=HomeVisit", "L A F A N L L L L L L"),

        // Portal: 管理者 only
        // 保険証・資格確認書で確認: every portal account; an empty form is refused field by field (422), the PDF too.
        new("InsuranceCards/Check", "GET", null, _ => "/InsuranceCards/Check", "L A A A A L L L L L L"),
        new("InsuranceCards/Check", "POST", null, _ => "/InsuranceCards/Check", "L V V V V L L L L L L"),
        new("InsuranceCards/Check", "POST", "Pdf", _ => "/InsuranceCards/Check?handler=Pdf", "L V V V V L L L L L L"),
        // 一括照会 and 照会番号登録: every portal account; an upload without a file and an empty registration are refused (422).
        // A's portal job is still processing: its downloads send the caller back to the status page; B's administrator
        // never finds it.
        new("BulkInquiries/Index", "GET", null, _ => "/BulkInquiries/Index", "L A A A A L L L L L L"),
        new("BulkInquiries", "GET", null, _ => "/BulkInquiries", "L A A A A L L L L L L"),
        new("BulkInquiries", "POST", null, _ => "/BulkInquiries", "L V V V V L L L L L L"),
        new("BulkInquiries/Index", "POST", null, _ => "/BulkInquiries/Index", "L V V V V L L L L L L"),
        new("BulkInquiries/FromPatients", "GET", null, _ => "/BulkInquiries/FromPatients", "L A A A A L L L L L L"),
        new("BulkInquiries/FromPatients", "POST", null, _ => "/BulkInquiries/FromPatients", "L V V V V L L L L L L"),
        new("BulkInquiries/Status", "GET", null, r => $"/BulkInquiries/Status?id={r.PortalReceptionNumber}", "L A A A N L L L L L L"),
        new("BulkInquiries/Status", "GET", "Csv", r => $"/BulkInquiries/Status?id={r.PortalReceptionNumber}&handler=Csv", "L A A A N L L L L L L"),
        new("BulkInquiries/Status", "GET", "Pdf", r => $"/BulkInquiries/Status?id={r.PortalReceptionNumber}&handler=Pdf", "L A A A N L L L L L L"),
        new("BulkInquiries/Status", "GET", "Print", r => $"/BulkInquiries/Status?id={r.PortalReceptionNumber}&handler=Print", "L A A A N L L L L L L"),
        new("ReferenceNumbers/Register", "GET", null, _ => "/ReferenceNumbers/Register", "L A A A A L L L L L L"),
        new("ReferenceNumbers/Register", "POST", null, _ => "/ReferenceNumbers/Register", "L V V V V L L L L L L"),
        new("Accounts/Index", "GET", null, _ => "/Accounts/Index", "L A F F A L L L L L L"),
        new("Accounts", "GET", null, _ => "/Accounts", "L A F F A L L L L L L"),
        new("Accounts/Create", "GET", null, _ => "/Accounts/Create", "L A F F A L L L L L L"),
        new("Accounts/Create", "POST", null, _ => "/Accounts/Create", "L V F F V L L L L L L"),
        new("Accounts/Edit", "GET", null, r => $"/Accounts/Edit?id={r.TargetAccountId}", "L A F F N L L L L L L"),
        new("Accounts/Edit", "POST", "Update", r => $"/Accounts/Edit?id={r.TargetAccountId}&handler=Update", "L V F F N L L L L L L"),
        new("Accounts/Edit", "POST", "ResetPassword", r => $"/Accounts/Edit?id={r.TargetAccountId}&handler=ResetPassword", "L A F F N L L L L L L"),
        new("Accounts/Edit", "POST", "Unlock", r => $"/Accounts/Edit?id={r.TargetAccountId}&handler=Unlock", "L V F F N L L L L L L"),
        new("Accounts/Edit", "POST", "ResetTwoFactor", r => $"/Accounts/Edit?id={r.TargetAccountId}&handler=ResetTwoFactor", "L V F F N L L L L L L"),
        new("Accounts/Edit", "POST", "Stop", r => $"/Accounts/Edit?id={r.TargetAccountId}&handler=Stop", "L V F F N L L L L L L"),
        new("Settings/Edit", "GET", null, _ => "/Settings/Edit", "L A F F A L L L L L L"),
        new("Settings/Edit", "POST", null, _ => "/Settings/Edit", "L V F F V L L L L L L"),
        new("Audit/Index", "GET", null, _ => "/Audit/Index", "L A F F A L L L L L L"),
        new("Audit", "GET", null, _ => "/Audit", "L A F F A L L L L L L"),
        new("ActivationCodes/Index", "GET", null, _ => "/ActivationCodes/Index", "L A F F A L L L L L L"),
        new("ActivationCodes", "GET", null, _ => "/ActivationCodes", "L A F F A L L L L L L"),
        new("ActivationCodes/Issue", "GET", null, _ => "/ActivationCodes/Issue", "L A F F A L L L L L L"),
        new("ActivationCodes/Issue", "POST", null, _ => "/ActivationCodes/Issue", "L V F F V L L L L L L"),
        new("ActivationCodes/Invalidate", "GET", null, r => $"/ActivationCodes/Invalidate?id={r.SpareCodeId}", "L A F F N L L L L L L"),
        new("ActivationCodes/Invalidate", "POST", null, r => $"/ActivationCodes/Invalidate?id={r.SpareCodeId}&Id={r.SpareCodeId}", "L V F F N L L L L L L"),

        // Portal: 管理者 only, 連携アプリ用アカウント
        new("MachineAccounts/Index", "GET", null, _ => "/MachineAccounts/Index", "L A F F A L L L L L L"),
        new("MachineAccounts", "GET", null, _ => "/MachineAccounts", "L A F F A L L L L L L"),
        new("MachineAccounts/Create", "GET", null, _ => "/MachineAccounts/Create", "L A F F A L L L L L L"),
        new("MachineAccounts/Create", "POST", null, _ => "/MachineAccounts/Create", "L V F F V L L L L L L"),
        new("MachineAccounts/Rotate", "GET", null, r => $"/MachineAccounts/Rotate?id={r.MachineId}", "L A F F N L L L L L L"),
        new("MachineAccounts/Rotate", "POST", null, r => $"/MachineAccounts/Rotate?id={r.MachineId}&Id={r.MachineId}", "L V F F N L L L L L L"),
        new("MachineAccounts/Stop", "GET", null, r => $"/MachineAccounts/Stop?id={r.MachineId}", "L A F F N L L L L L L"),
        new("MachineAccounts/Stop", "POST", null, r => $"/MachineAccounts/Stop?id={r.MachineId}&Id={r.MachineId}", "L V F F N L L L L L L"),

        // レセコン API: machine accounts only (HTTP Basic); a request naming another institution is refused.
        new("/api/receipt/v1/qualification-confirmations", "POST", null, _ => "/api/receipt/v1/qualification-confirmations", "U U U U U U U U U A F"),
        new("/api/receipt/v1/reference-numbers", "POST", null, _ => "/api/receipt/v1/reference-numbers", "U U U U U U U U U A F"),
        new("/api/receipt/v1/bulk-requests", "POST", null, _ => "/api/receipt/v1/bulk-requests", "U U U U U U U U U A F"),
        new("/api/receipt/v1/bulk-requests/{receptionNumber}", "GET", null, r => $"/api/receipt/v1/bulk-requests/{r.ReceptionNumber}", "U U U U U U U U U A N"),
        new("/api/receipt/v1/confirmations/feed", "GET", null, _ => "/api/receipt/v1/confirmations/feed", "U U U U U U U U U A A"),

        // 緊急時医療情報・資格確認機能: the switch for 管理者 (A's period is off: 終了 has nothing to end and lands on the page);
        // search and 資格確認 for every account (an empty form is refused field by field before the period is checked);
        // recording consent and viewing for 医療情報閲覧 only (an unknown consent is not found).
        new("Emergency/Activate", "GET", null, _ => "/Emergency/Activate", "L A F F A L L L L L L"),
        new("Emergency/Activate", "POST", null, _ => "/Emergency/Activate", "L V F F V L L L L L L"),
        new("Emergency/Activate", "POST", "End", _ => "/Emergency/Activate?handler=End", "L A F F A L L L L L L"),
        new("Emergency/Search", "GET", null, _ => "/Emergency/Search", "L A A A A L L L L L L"),
        new("Emergency/Search", "POST", null, _ => "/Emergency/Search", "L V V V V L L L L L L"),
        new("Emergency/Search", "POST", "Confirm", _ => "/Emergency/Search?handler=Confirm", "L V V V V L L L L L L"),
        new("Emergency/Search", "POST", "Consent", _ => "/Emergency/Search?handler=Consent", "L F F V F L L L L L L"),
        new("Emergency/View", "GET", null, _ => $"/Emergency/View?consentId={Guid.Empty}&type=Pharmacy", "L F F N F L L L L L L"),

        // Portal: 医療情報閲覧 only
        new("MedicalViewing/View", "GET", null, r => $"/MedicalViewing/View?confirmationId={r.ConfirmationId}&type=Pharmacy", "L F F A F L L L L L L"),
        new("MedicalViewing/History", "GET", null, _ => "/MedicalViewing/History", "L F F A F L L L L L L"),
    ];

    [Fact]
    public async Task EveryEndpointAnswersEveryCallerAsTheTableSays()
    {
        portal.SkipIfUnavailable();
        var endpoints = await EnumerateEndpointsAsync(portal.Factory.Services);
        var rows = Table.Select(r => r.Key).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        var missing = endpoints.Except(rows).Select(k => k.ToString()).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the authorization matrix (add one): " + string.Join(", ", missing));
        var stale = rows.Except(endpoints).Select(k => k.ToString()).ToList();
        Assert.True(stale.Count == 0, "Rows without an endpoint (remove them): " + string.Join(", ", stale));

        await using var world = await MatrixWorld.CreateAsync(portal);
        var failures = new List<string>();
        var checkedCells = 0;
        foreach (var row in Table.OrderBy(r => r.Last))
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var expected = row.Expect(caller);
                if (expected == '-')
                {
                    continue;
                }

                var (actual, description) = await world.SendAsync(row, caller);
                checkedCells++;
                if (actual != expected)
                {
                    failures.Add($"{row.Key} as {caller}: expected {expected}, got {actual} ({description})");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCells} cells differ:\n" + string.Join("\n", failures));
        Assert.Equal(Table.Length * Enum.GetValues<Caller>().Length, checkedCells);
        TestContext.Current.TestOutputHelper?.WriteLine($"authorization matrix: {Table.Length} endpoints x {Enum.GetValues<Caller>().Length} callers = {checkedCells} cells checked");
    }

    [Fact]
    public async Task AnAdministratorOfAnotherInstitutionFindsNoneOfItsResourcesById()
    {
        await using var world = await MatrixWorld.CreateAsync(portal);
        foreach (var url in new[]
        {
            $"/Accounts/Edit?id={world.Resources.TargetAccountId}",
            $"/ActivationCodes/Invalidate?id={world.Resources.SpareCodeId}",
            $"/AppConfirmations/Detail?id={world.Resources.ConfirmationId}",
        })
        {
            var page = await world.OtherAdministrator.GetAsync(url);
            Assert.True(page.Status == HttpStatusCode.NotFound, $"{url}: {(int)page.Status}");
            var own = await world.Administrator.GetAsync(url);
            Assert.True(own.Status == HttpStatusCode.OK, $"{url}: {(int)own.Status}");
        }
    }

    /// <summary>(route pattern, method, page handler) of every endpoint, read from the running application.</summary>
    private static async Task<HashSet<EndpointKey>> EnumerateEndpointsAsync(IServiceProvider services)
    {
        var keys = new HashSet<EndpointKey>();
        var loader = services.GetRequiredService<PageLoader>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                // A page answers GET even without an OnGet handler; POST only through its declared handlers.
                keys.Add(new EndpointKey(pattern, "GET", null));
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods)
                {
                    keys.Add(new EndpointKey(pattern, handler.HttpMethod.ToUpperInvariant(), handler.Name));
                }

                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods
                ?? throw new InvalidOperationException($"Endpoint {pattern} accepts every method; give it one.");
            foreach (var method in methods)
            {
                keys.Add(new EndpointKey(pattern, method, null));
            }
        }

        return keys;
    }
}

public readonly record struct EndpointKey(string Pattern, string Method, string? Handler)
{
    public override string ToString() => $"{Method} {Pattern}{(Handler is null ? "" : "?handler=" + Handler)}";
}

/// <summary>One row of the matrix: the endpoint, a URL that reaches it with institution A's ids, the expected letter per caller.</summary>
internal sealed record MatrixRow(string Pattern, string Method, string? Handler, Func<MatrixResources, string> Url, string Expected, bool Last = false)
{
    public EndpointKey Key => new(Pattern, Method, Handler);

    public char Expect(Caller caller)
    {
        var letters = Expected.Split(' ');
        if (letters.Length != Enum.GetValues<Caller>().Length)
        {
            throw new InvalidOperationException($"Row {Key} has {letters.Length} letters.");
        }

        return letters[(int)caller][0];
    }
}

/// <summary>Ids of institution A's resources the rows ask for.</summary>
internal sealed record MatrixResources(int TargetAccountId, int SpareCodeId, Guid ConfirmationId, string InstitutionCode, string StaffUserId, string StaffPassword, string NewDeviceCode, string ConfirmationBody, string OnlyInAUserId = "", string OnlyInAPassword = "", int MachineId = 0, string PatientNumber = "", string ReceptionNumber = "", string PortalReceptionNumber = "");

/// <summary>Two institutions with every kind of caller signed in, and a confirmation of A with consent to view.</summary>
internal sealed class MatrixWorld : IAsyncDisposable
{
    private readonly PortalFixture _portal;
    private readonly Dictionary<Caller, PortalClient> _browsers = [];
    private readonly Dictionary<Caller, AppClient> _devices = [];
    private readonly Dictionary<Caller, string> _antiforgery = [];
    private readonly List<IDisposable> _owned = [];

    private MatrixWorld(PortalFixture portal, MatrixResources resources)
    {
        _portal = portal;
        Resources = resources;
    }

    public MatrixResources Resources { get; private set; }

    public PortalClient Administrator => _browsers[Caller.Administrator];

    public PortalClient OtherAdministrator => _browsers[Caller.OtherAdministrator];

    public static async Task<MatrixWorld> CreateAsync(PortalFixture portal)
    {
        var a = await portal.ClinicAsync("医療機関A");
        var b = await portal.ClinicAsync("医療機関B");
        await portal.LoadCrlAsync();
        var (generalId, generalPassword) = await portal.StaffAsync(a.Institution, a.Admin, "gen01", AccountRole.General);
        var world = new MatrixWorld(portal, new MatrixResources(0, 0, Guid.Empty, a.Code, a.StaffUserId, a.StaffPassword, "", "", generalId, generalPassword));
        world._owned.Add(a);
        world._owned.Add(b);

        // Portal callers
        world._browsers[Caller.Administrator] = a.Admin;
        world._browsers[Caller.OtherAdministrator] = b.Admin;
        world._browsers[Caller.General] = await world.LogInAsync(a.Code, generalId, generalPassword);
        world._browsers[Caller.MedicalViewer] = await world.LogInAsync(a.Code, a.StaffUserId, a.StaffPassword);
        world._browsers[Caller.Anonymous] = world.Own(portal.NewClient());
        var machineA = await portal.MachineAsync(a.Institution);
        var machineB = await portal.MachineAsync(b.Institution);
        world._browsers[Caller.Machine] = world.Own(new PortalClient(portal.MachineClient(machineA)));
        world._browsers[Caller.OtherMachine] = world.Own(new PortalClient(portal.MachineClient(machineB)));
        await portal.StaffAsync(a.Institution, a.Admin, "target01", AccountRole.General, completeFirstLogin: false);

        // Device callers
        var device = await world.DeviceAsync(a, a.ActivationCode);
        world._devices[Caller.Device] = device;
        world._devices[Caller.OtherDevice] = await world.DeviceAsync(b, b.ActivationCode);
        var invalidatedCode = await ActivationCodeTests.IssueAsync(a.Admin, "無効化される端末");
        world._devices[Caller.InvalidatedDevice] = await world.DeviceAsync(a, invalidatedCode);
        var invalidatedId = await portal.QueryAsync(db => db.ActivationCodes.IgnoreQueryFilters().Where(c => c.InstitutionId == a.Institution.Id && c.Label == "無効化される端末").Select(c => c.Id).SingleAsync());
        var confirmPage = await a.Admin.GetAsync($"/ActivationCodes/Invalidate?id={invalidatedId}");
        var version = System.Text.RegularExpressions.Regex.Match(confirmPage.Html, "name=\"Version\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var invalidate = await a.Admin.PostAsync("/ActivationCodes/Invalidate", PortalClient.Form(("Id", invalidatedId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Version", version), ("__RequestVerificationToken", confirmPage.AntiforgeryToken!)));
        Assert.True(invalidate.Status == HttpStatusCode.Redirect, $"invalidate: {(int)invalidate.Status} {string.Join(",", invalidate.Codes)}");
        world._devices[Caller.NewDevice] = world.Own(new AppClient(world.RawClient(), portal.Time));  // for its antiforgery token; each request uses a fresh key
        var newDeviceCode = await ActivationCodeTests.IssueAsync(a.Admin, "新しい端末");
        await ActivationCodeTests.IssueAsync(a.Admin, "予備の端末");

        // A confirmation of A with consent to pharmacy information, and a second challenge signed for the POST row.
        var patient = await portal.PatientAsync();
        var confirmed = await device.ConfirmWithPinAsync(a, patient.Card, consents: new { pharmacy = true, diagnosis = true, checkup = true });
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());
        var (challengeId, challenge) = await device.ChallengeAsync();
        var (certificate, signature) = await SignAsync(patient.Card, challenge, a.Code, device.Thumbprint, AuthenticationPurpose.Outpatient);

        var ids = await portal.QueryAsync(async db => (
            Target: await db.Accounts.IgnoreQueryFilters().Where(x => x.InstitutionId == a.Institution.Id && x.UserId == "target01").Select(x => x.Id).SingleAsync(),
            Spare: await db.ActivationCodes.IgnoreQueryFilters().Where(c => c.InstitutionId == a.Institution.Id && c.Label == "予備の端末").Select(c => c.Id).SingleAsync()));
        // A bulk job of A that the worker leaves alone (leased for a day), so A's machine reads a real one by its 受付番号.
        var receptionNumber = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var portalReceptionNumber = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        await portal.QueryAsync(async db =>
        {
            db.BulkJobs.Add(new Onshi.Server.Receipt.BulkJob
            {
                InstitutionId = a.Institution.Id,
                MachineAccountId = machineA.Id,
                ReceptionNumber = receptionNumber,
                Kind = Onshi.Server.Receipt.BulkJobKind.QualificationConfirmation,
                Status = Onshi.Server.Receipt.BulkJobStatus.Processing,
                RequestJson = "{}",
                AcceptedAt = portal.Time.GetUtcNow(),
                LeaseUntil = portal.Time.GetUtcNow().AddDays(1),
            });
            db.BulkJobs.Add(new Onshi.Server.Receipt.BulkJob
            {
                InstitutionId = a.Institution.Id,
                AccountId = ids.Target,
                ReceptionNumber = portalReceptionNumber,
                Kind = Onshi.Server.Receipt.BulkJobKind.QualificationConfirmation,
                Status = Onshi.Server.Receipt.BulkJobStatus.Processing,
                RequestJson = "{}",
                AcceptedAt = portal.Time.GetUtcNow(),
                LeaseUntil = portal.Time.GetUtcNow().AddDays(1),
            });
            return await db.SaveChangesAsync();
        });
        world.Resources = world.Resources with
        {
            TargetAccountId = ids.Target,
            MachineId = machineA.Id,
            PatientNumber = patient.Number,
            ReceptionNumber = receptionNumber,
            PortalReceptionNumber = portalReceptionNumber,
            SpareCodeId = ids.Spare,
            ConfirmationId = Guid.Parse(confirmed.Str("confirmationId")),
            NewDeviceCode = newDeviceCode,
            ConfirmationBody = JsonSerializer.Serialize(PinBody(challengeId, certificate, signature), JsonSerializerOptions.Web),
        };

        foreach (var caller in Enum.GetValues<Caller>())
        {
            world._antiforgery[caller] = await world.AntiforgeryTokenAsync(caller);
        }

        return world;
    }

    /// <summary>Sends the row's request as <paramref name="caller"/> and names the outcome with the table's letters.</summary>
    public async Task<(char Outcome, string Description)> SendAsync(MatrixRow row, Caller caller)
    {
        var url = row.Url(Resources);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), new Uri(url, UriKind.Relative));
        var isApi = url.StartsWith("/api/", StringComparison.Ordinal);
        if (isApi)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
            var json = row.Pattern switch
            {
                "/api/app/v1/activation" => JsonSerializer.Serialize(new { institutionCode = Resources.InstitutionCode, userId = Resources.StaffUserId, password = Resources.StaffPassword, activationCode = Resources.NewDeviceCode }, JsonSerializerOptions.Web),
                "/api/app/v1/sessions" => JsonSerializer.Serialize(new { userId = Resources.OnlyInAUserId, password = Resources.OnlyInAPassword }, JsonSerializerOptions.Web),
                "/api/app/v1/challenges" => JsonSerializer.Serialize(new { purpose = "outpatient" }, JsonSerializerOptions.Web),
                "/api/app/v1/confirmations" => Resources.ConfirmationBody,
                "/api/receipt/v1/qualification-confirmations" => JsonSerializer.Serialize(new
                {
                    medicalInstitutionCode = Resources.InstitutionCode,
                    qualificationConfirmationDate = "20250602",
                    searchInfo = new { insurerNumber = Insurance.InsuranceSeed.Kyokai.Value, insuredCardSymbol = "記号1", insuredIdentificationNumber = Resources.PatientNumber, insuredBranchNumber = "00", birthdate = "19800217", limitApplicationCertificateRelatedConsFlg = "1" },
                }, JsonSerializerOptions.Web),
                "/api/receipt/v1/reference-numbers" => JsonSerializer.Serialize(new
                {
                    medicalInstitutionCode = Resources.InstitutionCode,
                    registrationInfo = Registration(),
                }, JsonSerializerOptions.Web),
                "/api/receipt/v1/bulk-requests" => JsonSerializer.Serialize(new
                {
                    kind = "referenceNumberRegistration",
                    medicalInstitutionCode = Resources.InstitutionCode,
                    registrationInfos = new[] { Registration() },
                }, JsonSerializerOptions.Web),
                _ => null,
            };
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
        }
        else if (row.Method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", _antiforgery[caller])]);
        }

        if (row.Handler == "Withdraw")
        {
            await ReopenHomeVisitConsentAsync();
        }

        HttpClient http;
        using var fresh = caller == Caller.NewDevice && isApi ? new AppClient(RawClient(), _portal.Time) : null;
        if ((fresh ?? (_devices.TryGetValue(caller, out var known) ? known : null)) is { } device)
        {
            http = device.Http;
            request.Headers.TryAddWithoutValidation("DPoP", device.Proof(row.Method, new Uri("http://localhost" + url).AbsolutePath));
            if (device.SessionToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", device.SessionToken);
            }
        }
        else
        {
            http = _browsers[caller].Http;
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var location = response.Headers.Location?.OriginalString ?? "";
        var status = (int)response.StatusCode;
        var outcome = status switch
        {
            >= 300 and < 400 when location.Contains("/Login", StringComparison.Ordinal) => 'L',
            >= 300 and < 400 when location.Contains("/AccessDenied", StringComparison.Ordinal) => 'F',
            >= 200 and < 400 => 'A',
            422 when isApi => '?',
            422 => 'V',
            401 => 'U',
            403 => 'F',
            404 => 'N',
            409 => 'C',
            400 => 'B',
            _ => '?',
        };

        // A device ending its session (the DELETE row) would leave later rows without one: log in again.
        if (_devices.TryGetValue(caller, out var ended) && row.Method == "DELETE" && outcome == 'A')
        {
            ended.SessionToken = null;
        }

        var code = body.Contains("\"code\"", StringComparison.Ordinal) ? JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null : null;
        return (outcome, $"{status} {location} {code}".Trim());
    }

    /// <summary>A 照会番号 registration of the confirmed patient the operation accepts (a fresh reference each time).</summary>
    private object Registration() => new
    {
        referenceNumber = "M" + Guid.NewGuid().ToString("N")[..12],
        insurerNumber = Insurance.InsuranceSeed.Kyokai.Value,
        insuredCardSymbol = "記号1",
        insuredIdentificationNumber = Resources.PatientNumber,
        insuredBranchNumber = "00",
    };

    /// <summary>
    /// Gives the confirmed patient an open 訪問診療 consent to 特定健診 at A, so that every Withdraw cell has something to
    /// withdraw and an allowed caller really succeeds (a refusal for nothing to withdraw would say nothing about authorization).
    /// </summary>
    private Task<int> ReopenHomeVisitConsentAsync() => _portal.QueryAsync(async db =>
    {
        var confirmation = await db.AppConfirmations.IgnoreQueryFilters().SingleAsync(c => c.Id == Resources.ConfirmationId);
        db.ConsentRecords.Add(new Onshi.Server.Consent.ConsentRecord
        {
            InstitutionId = confirmation.InstitutionId,
            PersonId = confirmation.PersonId!.Value,
            InformationType = Onshi.Server.Consent.InformationType.Checkup,
            Purpose = AuthenticationPurpose.HomeVisit,
            Given = true,
            AnsweredAt = _portal.Time.GetUtcNow(),
            ConfirmationId = confirmation.Id,
        });
        return await db.SaveChangesAsync();
    });

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private HttpClient RawClient() =>
        _portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<PortalClient> LogInAsync(string institutionCode, string userId, string password)
    {
        var client = Own(_portal.NewClient());
        var login = await client.LogInAsync(institutionCode, userId, password);
        Assert.True(login.Status == HttpStatusCode.Redirect && login.RedirectPath == "/", $"login {userId}: {(int)login.Status} {login.RedirectPath}");
        return client;
    }

    private async Task<AppClient> DeviceAsync(Clinic clinic, string code)
    {
        var app = Own(new AppClient(RawClient(), _portal.Time));
        var activated = await app.ActivateAsync(clinic, code);
        Assert.True(activated.Status == HttpStatusCode.Created, activated.Body?.ToJsonString());
        var login = await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword);
        Assert.True(login.Status == HttpStatusCode.Created, login.Body?.ToJsonString());
        return app;
    }

    /// <summary>A token from a page the caller may see: the menu for signed-in accounts, the login page for everyone else.</summary>
    private async Task<string> AntiforgeryTokenAsync(Caller caller)
    {
        var http = _browsers.TryGetValue(caller, out var browser) ? browser.Http : _devices[caller].Http;
        var url = caller is Caller.Administrator or Caller.General or Caller.MedicalViewer or Caller.OtherAdministrator ? "/" : "/Login";
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        var page = new PortalPage(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location);
        return page.AntiforgeryToken ?? throw new InvalidOperationException($"{caller}: no antiforgery token on {url} ({(int)page.Status})");
    }

    public ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class AuthorizationMatrixTestsOnSqlite(SqlitePortal portal) : AuthorizationMatrixTests(portal), IClassFixture<SqlitePortal>;

public sealed class AuthorizationMatrixTestsOnPostgres(PostgresPortal portal) : AuthorizationMatrixTests(portal), IClassFixture<PostgresPortal>;
