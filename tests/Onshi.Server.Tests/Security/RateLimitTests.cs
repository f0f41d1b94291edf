using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Security;

/// <summary>
/// Brute-force limits: password and activation-code attempts per source address, challenges per session; 429 with
/// Retry-After, machine code rate_limited and a Japanese sentence. The in-process server sees no client address, so
/// these tests give each request one through a test-only header.
/// </summary>
public sealed class RateLimitTests(SqlitePortal portal) : IClassFixture<SqlitePortal>
{
    private const string SourceHeader = "X-Test-Source";

    private WebApplicationFactory<Program> Limited() => portal.Factory.WithWebHostBuilder(builder =>
    {
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimits:CredentialAttemptsPerSourcePerMinute"] = "5",
            ["RateLimits:ChallengesPerSourcePerMinute"] = "1000",
            ["RateLimits:ChallengesPerSessionPerMinute"] = "3",
            // One window for the whole test: a minute boundary passing mid-test would refill the budget and flake it.
            ["RateLimits:WindowSeconds"] = "3600",
        }));
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, TestSourceAddress>());
    });

    private static HttpClient Client(WebApplicationFactory<Program> factory, string source)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(SourceHeader, source);
        return client;
    }

    [Fact]
    public async Task PortalLoginAttemptsBeyondTheLimitAreAnsweredWith429AndAJapaneseMessage()
    {
        portal.SkipIfUnavailable();
        var institution = await portal.CreateInstitutionAsync();
        await using var factory = Limited();
        using var attacker = new PortalClient(Client(factory, "192.0.2.10"));
        for (var i = 0; i < 5; i++)
        {
            var wrong = await attacker.LogInAsync(institution.Code, "guess" + i, "wrong password number " + i);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        }

        var page = await attacker.GetAsync("/Login");
        using var content = new FormUrlEncodedContent(Form(("InstitutionCode", institution.Code), ("UserId", "admin"), ("Password", institution.AdministratorInitialPassword), ("__RequestVerificationToken", page.AntiforgeryToken!)));
        using var limited = await attacker.Http.PostAsync(new Uri("/Login", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 3600); // at most the (test) window
        var html = await limited.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("data-code=\"rate_limited\"", html, StringComparison.Ordinal);
        Assert.Contains("しばらく待ってから", html, StringComparison.Ordinal);

        // Even the right password is not tried from that address; another address is unaffected and signs in.
        using var colleague = new PortalClient(Client(factory, "192.0.2.11"));
        var login = await colleague.LogInAsync(institution.Code, "admin", institution.AdministratorInitialPassword);
        Assert.Equal("/ChangeInitialPassword", login.RedirectPath);
    }

    [Fact]
    public async Task ActivationAndAppLoginShareTheCredentialLimitAndAnswerWithAProblem()
    {
        portal.SkipIfUnavailable();
        await using var factory = Limited();
        using var app = new AppClient(Client(factory, "192.0.2.20"), portal.Time);
        for (var i = 0; i < 3; i++)
        {
            var guess = await app.PostAsync("/activation", new { institutionCode = "1311234567", userId = "x", password = "y", activationCode = "AAAA-BBBB-CCCC-DDDD" });
            Assert.NotEqual(HttpStatusCode.TooManyRequests, guess.Status);
        }

        for (var i = 0; i < 2; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await app.PostAsync("/sessions", new { userId = "x", password = "y" })).Status);
        }

        foreach (var path in new[] { "/activation", "/sessions" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/app/v1" + path, UriKind.Relative)) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("DPoP", app.Proof("POST", "/api/app/v1" + path));
            using var response = await app.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(response.Headers.GetValues("Retry-After"));
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal("rate_limited", problem["code"]!.GetValue<string>());
            Assert.Equal(429, problem["status"]!.GetValue<int>());
            Assert.Contains("しばらく待ってから", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ChallengesAreLimitedPerSession()
    {
        var clinic = await portal.ClinicAsync();
        using var _ = clinic;
        await using var factory = Limited();
        using var app = new AppClient(Client(factory, "192.0.2.30"), portal.Time);
        Assert.Equal(HttpStatusCode.Created, (await app.ActivateAsync(clinic)).Status);
        Assert.Equal(HttpStatusCode.Created, (await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword)).Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", new { purpose = "outpatient" })).Status);
        }

        var limited = await app.PostAsync("/challenges", new { purpose = "outpatient" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("rate_limited", limited.Code);

        // A new session (a staff member logging in again) has its own budget.
        Assert.Equal(HttpStatusCode.Created, (await app.LogInAsync(clinic.StaffUserId, clinic.StaffPassword)).Status);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", new { purpose = "outpatient" })).Status);
    }

    /// <summary>Test only: takes the client address from a header, as ForwardedHeaders would from a trusted proxy.</summary>
    private sealed class TestSourceAddress : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(inner => context =>
            {
                if (IPAddress.TryParse(context.Request.Headers[SourceHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return inner(context);
            });
            next(app);
        };
    }
}
