using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Tests.Infrastructure;
using OtpNet;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Security;

/// <summary>
/// Attacks on the per-account lockout (issue 13, items 1 and 2): guessing second-factor codes while resetting the
/// failure count with the known password through the app, and firing guesses in parallel so that optimistic
/// concurrency drops failures. The fixture's limit is 5 consecutive failures.
/// </summary>
public abstract class LockoutAttackTests(PortalFixture portal)
{
    private const int Limit = 5;
    private const string SourceHeader = "X-Test-Source";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CodeGuessesLockTheAccountAfterTheLimitEvenWhenTheAppAcceptsThePasswordInBetween()
    {
        using var clinic = await portal.ClinicAsync();
        var secret = await EnrolStaffAsync(clinic);
        using var device = portal.NewApp();
        Assert.Equal(HttpStatusCode.Created, (await device.ActivateAsync(clinic)).Status);
        using var otherDevice = portal.NewApp();
        portal.Time.Advance(Step);

        using var attacker = portal.NewClient();
        Assert.Equal("/TwoFactor/Verify", (await attacker.LogInAsync(clinic.Code, clinic.StaffUserId, clinic.StaffPassword)).RedirectPath);
        for (var i = 0; i < Limit - 1; i++)
        {
            Assert.Contains("two_factor.failed", (await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret))))).Codes);

            // The password is right: an app login succeeds, an activation with a made-up code fails after the password.
            Assert.Equal(HttpStatusCode.Created, (await device.LogInAsync(clinic.StaffUserId, clinic.StaffPassword)).Status);
            Assert.Equal("activation_code.unknown", (await otherDevice.ActivateAsync(clinic, code: "AAAA-BBBB-CCCC-DDDD")).Code);
        }

        Assert.Equal(Limit - 1, await FailedCountAsync(clinic.Institution, clinic.StaffUserId));
        Assert.Contains("two_factor.failed", (await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret))))).Codes);

        // Locked: the right code is not even checked, and neither the portal nor the app lets the password in.
        var right = await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", CodeNow(secret))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, right.Status);
        Assert.Equal("app.account_locked", (await device.LogInAsync(clinic.StaffUserId, clinic.StaffPassword)).Code);
        using var again = portal.NewClient();
        Assert.Contains("login.failed", (await again.LogInAsync(clinic.Code, clinic.StaffUserId, clinic.StaffPassword)).Codes);
        var reasons = await AuditDetailsAsync(clinic.Institution, "two_factor.failed");
        Assert.Equal([.. Enumerable.Repeat("wrong_code", Limit - 1), "wrong_code_now_locked", "locked"], reasons);
    }

    [Fact]
    public async Task CodeGuessesFromOneAddressAreRateLimited()
    {
        using var clinic = await portal.ClinicAsync();
        var secret = await EnrolStaffAsync(clinic);
        await using var factory = portal.Factory.WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RateLimits:CredentialAttemptsPerSourcePerMinute"] = "3",
                ["RateLimits:WindowSeconds"] = "3600",
                ["Accounts:MaxConsecutiveFailedLogins"] = "100",
            }));
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, TestSourceAddress>());
        });
        using var attacker = new PortalClient(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        attacker.Http.DefaultRequestHeaders.Add(SourceHeader, "192.0.2.40");
        Assert.Equal("/TwoFactor/Verify", (await attacker.LogInAsync(clinic.Code, clinic.StaffUserId, clinic.StaffPassword)).RedirectPath);
        var page = await attacker.GetAsync("/TwoFactor/Verify");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await attacker.PostAsync("/TwoFactor/Verify", Form(("Code", WrongCode(secret)), ("__RequestVerificationToken", page.AntiforgeryToken!)))).Status);
        }

        // The password attempt took one of the three permits: two code guesses, then 429 without checking.
        Assert.Equal([HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(2, await FailedCountAsync(clinic.Institution, clinic.StaffUserId));
        var limited = await attacker.PostAsync("/TwoFactor/Verify", Form(("Code", CodeNow(secret)), ("__RequestVerificationToken", page.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("data-code=\"rate_limited\"", limited.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiftyParallelWrongPasswordsLockTheAccountAfterExactlyTheConfiguredLimit()
    {
        var institution = await portal.CreateInstitutionAsync();
        using (await portal.AdministratorAsync(institution))
        {
        }

        var attackers = Enumerable.Range(0, 50).Select(_ => portal.NewClient()).ToList();
        try
        {
            var tokens = await Task.WhenAll(attackers.Select(async a => (await a.GetAsync("/Login")).AntiforgeryToken!));
            var answers = await Task.WhenAll(attackers.Select((a, i) => a.PostAsync("/Login", Form(
                ("InstitutionCode", institution.Code), ("UserId", "admin"), ("Password", "wrong password number " + i), ("__RequestVerificationToken", tokens[i])))));
            Assert.All(answers, a => Assert.Contains("login.failed", a.Codes));
        }
        finally
        {
            attackers.ForEach(a => a.Dispose());
        }

        // Every guess that was verified is counted: exactly the limit, then the rest meet a locked account.
        var reasons = await AuditDetailsAsync(institution, "login.failed");
        Assert.Equal(50, reasons.Count);
        Assert.Equal(Limit - 1, reasons.Count(r => r == "wrong_password"));
        Assert.Equal(1, reasons.Count(r => r == "wrong_password_now_locked"));
        Assert.Equal(50 - Limit, reasons.Count(r => r == "locked"));
        var lockedUntil = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id).Select(a => a.LockedUntil).SingleAsync());
        Assert.True(lockedUntil > portal.Time.GetUtcNow());
        using var owner = portal.NewClient();
        Assert.Contains("login.failed", (await owner.LogInAsync(institution.Code, "admin", PortalFixture.StrongPassword)).Codes);
    }

    [Fact]
    public async Task FiftyParallelWrongCodesLockTheAccountAfterExactlyTheConfiguredLimit()
    {
        using var clinic = await portal.ClinicAsync();
        var secret = await EnrolStaffAsync(clinic);
        portal.Time.Advance(Step);
        using var attacker = portal.NewClient();
        Assert.Equal("/TwoFactor/Verify", (await attacker.LogInAsync(clinic.Code, clinic.StaffUserId, clinic.StaffPassword)).RedirectPath);
        var token = (await attacker.GetAsync("/TwoFactor/Verify")).AntiforgeryToken!;
        var wrong = WrongCode(secret);
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => attacker.PostAsync("/TwoFactor/Verify", Form(("Code", wrong), ("__RequestVerificationToken", token)))));
        Assert.All(answers, a => Assert.Contains("two_factor.failed", a.Codes));

        var reasons = await AuditDetailsAsync(clinic.Institution, "two_factor.failed");
        Assert.Equal(50, reasons.Count);
        Assert.Equal(Limit - 1, reasons.Count(r => r == "wrong_code"));
        Assert.Equal(1, reasons.Count(r => r == "wrong_code_now_locked"));
        Assert.Equal(50 - Limit, reasons.Count(r => r == "locked"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await attacker.SubmitAsync("/TwoFactor/Verify", Form(("Code", CodeNow(secret))))).Status);
    }

    /// <summary>The clinic's staff member enrols an authenticator from the menu; returns its secret.</summary>
    private async Task<byte[]> EnrolStaffAsync(Clinic clinic)
    {
        using var staff = portal.NewClient();
        Assert.Equal("/", (await staff.LogInAsync(clinic.Code, clinic.StaffUserId, clinic.StaffPassword)).RedirectPath);
        var page = await staff.GetAsync("/TwoFactor/Enrol");
        var secret = Base32Encoding.ToBytes(page.TestId("two-factor-secret")!);
        var token = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"Token\" value=\"([^\"]+)\"").Groups[1].Value;
        var done = await staff.PostAsync("/TwoFactor/Enrol", Form(("Token", WebUtility.HtmlDecode(token)), ("Code", CodeNow(secret)), ("__RequestVerificationToken", page.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        return secret;
    }

    private string CodeNow(byte[] secret) => new Totp(secret).ComputeTotp(portal.Time.GetUtcNow().UtcDateTime);

    private string WrongCode(byte[] secret)
    {
        var now = portal.Time.GetUtcNow();
        var accepted = new[] { -1, 0, 1 }.Select(s => new Totp(secret).ComputeTotp((now + (Step * s)).UtcDateTime)).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !accepted.Contains(c));
    }

    private Task<int> FailedCountAsync(TestInstitution institution, string userId) =>
        portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == institution.Id && a.UserId == userId).Select(a => a.ConsecutiveFailedLogins).SingleAsync());

    private async Task<List<string?>> AuditDetailsAsync(TestInstitution institution, string action) =>
        await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(e => e.InstitutionId == institution.Id && e.Action == action)
            .OrderBy(e => e.Id).Select(e => e.Detail).ToListAsync());

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

public sealed class LockoutAttackTestsOnSqlite(SqlitePortal portal) : LockoutAttackTests(portal), IClassFixture<SqlitePortal>;

public sealed class LockoutAttackTestsOnPostgres(PostgresPortal portal) : LockoutAttackTests(portal), IClassFixture<PostgresPortal>;
