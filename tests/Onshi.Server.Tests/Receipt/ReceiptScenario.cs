using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Onshi.Agent;
using Onshi.Core.Identifiers;
using Onshi.Server.Common;
using Onshi.Server.Receipt;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Insurance;

namespace Onshi.Server.Tests.Receipt;

/// <summary>A machine account of an institution, with the secret the portal showed once.</summary>
public sealed record Machine(TestInstitution Institution, int Id, string ClientId, string Secret);

/// <summary>An insured person seeded for the レセコン tests, with the card fields a レセコン would send.</summary>
public sealed record SeededPerson(long PersonId, InsurerNumber Insurer, string Symbol, string Number, string Branch, DateOnly Birthdate);

public static class ReceiptScenario
{
    public static readonly DateOnly Birthdate = new(1980, 2, 17);

    public static async Task<Machine> MachineAsync(this PortalFixture portal, TestInstitution? institution = null, string label = "受付レセコン1")
    {
        institution ??= await portal.CreateInstitutionAsync("レセコン医院");
        var issued = await portal.WithServiceAsync<CreateMachineAccount, OperationResult<IssuedMachineCredentials>>(create =>
            create.ExecuteAsync(new Actor(1, institution.Id, Server.Accounts.AccountRole.Administrator, "admin"), label, TestContext.Current.CancellationToken));
        Assert.True(issued.Succeeded, issued.Refusal?.Message);
        return new Machine(institution, issued.Value!.Account.Id, issued.Value.Account.ClientId, issued.Value.Secret);
    }

    /// <summary>An HttpClient into the in-process server that sends the machine's Basic credentials.</summary>
    public static HttpClient MachineClient(this PortalFixture portal, Machine machine, string? secret = null)
    {
        var http = portal.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(machine.ClientId + ":" + (secret ?? machine.Secret))));
        return http;
    }

    /// <summary>A person with one valid qualification (and a 限度額 certificate) under <paramref name="insurer"/>.</summary>
    public static Task<SeededPerson> PersonAsync(this PortalFixture portal, InsurerNumber? insurer = null, string name = "山田 太郎", bool limitCertificate = true) =>
        portal.QueryAsync(async db =>
        {
            await InsuranceSeed.EnsureInsurersAsync(db);
            var id = InsuranceSeed.NextPersonId();
            var number = InsuranceSeed.NextNumber();
            var chosen = insurer ?? InsuranceSeed.Kyokai;
            db.InsuredPersons.Add(InsuranceSeed.Person(id, Birthdate, name));
            db.Qualifications.Add(InsuranceSeed.Qualification(id, chosen, number, new DateOnly(2020, 4, 1)));
            if (limitCertificate)
            {
                db.LimitCertificates.Add(new Server.Insurance.LimitCertificate
                {
                    PersonId = id,
                    InsurerNumber = chosen.Value,
                    Classification = Core.Codes.LimitCertificateClassification.LimitApplication,
                    Bracket = Core.Codes.LimitApplicationBracket.BracketU,
                    IssuedOn = new DateOnly(2025, 4, 1),
                    ValidFrom = new DateOnly(2025, 4, 1),
                    ValidUntil = new DateOnly(2026, 3, 31),
                });
            }

            await db.SaveChangesAsync();
            return new SeededPerson(id, chosen, "記号1", number, "00", Birthdate);
        });

    /// <summary>Many persons in one transaction (the 10,000-person bulk test).</summary>
    public static Task<List<SeededPerson>> PersonsAsync(this PortalFixture portal, int count) =>
        portal.QueryAsync(async db =>
        {
            await InsuranceSeed.EnsureInsurersAsync(db);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var persons = new List<SeededPerson>(count);
            for (var i = 0; i < count; i++)
            {
                var id = InsuranceSeed.NextPersonId();
                var number = InsuranceSeed.NextNumber();
                db.InsuredPersons.Add(InsuranceSeed.Person(id, Birthdate));
                db.Qualifications.Add(InsuranceSeed.Qualification(id, InsuranceSeed.Kyokai, number, new DateOnly(2020, 4, 1)));
                persons.Add(new SeededPerson(id, InsuranceSeed.Kyokai, "記号1", number, "00", Birthdate));
            }

            await db.SaveChangesAsync();
            return persons;
        });

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(this HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(ReceiptApi.Prefix + path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>An agent over a fresh temporary OQS folder, talking to the in-process server.</summary>
    public static TestAgent Agent(this PortalFixture portal, Machine machine, string? root = null, int feedPollMilliseconds = 100, ILoggerProvider? logs = null) =>
        new(portal, machine, root ?? Path.Combine(Path.GetTempPath(), "onshi-oqs", Guid.NewGuid().ToString("N")), feedPollMilliseconds, logs);

    public static Task<int> CountAsync<T>(this PortalFixture portal, Func<IQueryable<T>, IQueryable<T>> filter)
        where T : class =>
        portal.QueryAsync(db => filter(db.Set<T>().IgnoreQueryFilters()).CountAsync());
}

/// <summary>The real agent, run in-process against the test server; Start/StopAsync simulate the process starting and dying.</summary>
public sealed class TestAgent(PortalFixture portal, Machine machine, string root, int feedPollMilliseconds, ILoggerProvider? logs = null) : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _run;
    private ReceiptAgent? _agent;

    public OqsFolders Folders { get; } = new(root);

    /// <summary>Finished passes over the request folder of the running agent.</summary>
    public long RequestScansCompleted => _agent?.RequestScansCompleted ?? 0;

    public ReceiptAgent Create() => new(
        new AgentOptions { Server = new Uri("http://localhost/"), ClientId = machine.ClientId, Secret = machine.Secret, Root = root, FeedPollMilliseconds = feedPollMilliseconds, RescanMilliseconds = 300, StableMilliseconds = 50 },
        new ReceiptApiClient(portal.Factory.CreateClient(), machine.ClientId, machine.Secret),
        TimeProvider.System,
        logs is null ? NullLogger<ReceiptAgent>.Instance : new Logger<ReceiptAgent>(new LoggerFactory([logs])));

    public void Start()
    {
        Folders.EnsureExist();
        _stop = new CancellationTokenSource();
        _agent = Create();
        _run = _agent.RunAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _run!;
        }
        catch (OperationCanceledException)
        {
        }

        _agent!.Dispose();
        _stop.Dispose();
        _stop = null;
    }

    /// <summary>Writes a request as a レセコン does: all bytes at once under its final name.</summary>
    public string WriteRequest(string fileName, ReadOnlySpan<byte> content)
    {
        var path = Path.Combine(Folders.Requests, fileName);
        File.WriteAllBytes(path, content.ToArray());
        return path;
    }

    /// <summary>Waits (bounded) until the file exists in res/ and returns its bytes.</summary>
    public async Task<byte[]> ResponseAsync(string fileName, int timeoutMilliseconds = 20_000)
    {
        var path = Path.Combine(Folders.Responses, fileName);
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (!File.Exists(path))
        {
            Assert.True(Environment.TickCount64 < deadline, $"No response {fileName} within {timeoutMilliseconds} ms.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(Folders.Root))
        {
            Directory.Delete(Folders.Root, recursive: true);
        }
    }
}
