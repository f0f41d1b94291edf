using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Onshi.Server.Auth;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.TwoFactor;
using OtpNet;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Security;

/// <summary>
/// Issue 13, item 3: someone holding a copy of the database (a backup, a stolen disk) but not the key-encryption
/// certificate runs Onshi on it. The Data Protection keys are in the copy, but encrypted with the certificate: no TOTP
/// secret can be decrypted and no onshi_session cookie can be made that the real server accepts.
/// </summary>
public abstract class DatabaseCopyTests(PortalFixture portal)
{
    [Fact]
    public async Task ACopyOfTheDatabaseWithoutTheCertificateNeitherDecryptsTotpSecretsNorForgesASessionCookie()
    {
        var institution = await portal.CreateInstitutionAsync();
        using (var admin = await portal.AdministratorAsync(institution))
        {
            var page = await admin.GetAsync("/TwoFactor/Enrol");
            var secret = Base32Encoding.ToBytes(page.TestId("two-factor-secret")!);
            var token = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"Token\" value=\"([^\"]+)\"").Groups[1].Value;
            var code = new Totp(secret).ComputeTotp(portal.Time.GetUtcNow().UtcDateTime);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/TwoFactor/Enrol", Form(("Token", WebUtility.HtmlDecode(token)), ("Code", code), ("__RequestVerificationToken", page.AntiforgeryToken!)))).Status);
        }

        var account = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Include(a => a.Institution).SingleAsync(a => a.InstitutionId == institution.Id));
        var stored = await portal.QueryAsync(db => db.TwoFactorCredentials.IgnoreQueryFilters().Where(c => c.AccountId == account.Id).Select(c => c.ProtectedSecret).SingleAsync());

        // The real server (with the certificate) reads it; the key ring in the database holds only encrypted keys.
        Assert.NotNull(await portal.WithServiceAsync<TwoFactorSecrets, byte[]?>(s => Task.FromResult(s.Unprotect(stored))));
        var keys = await portal.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });

        // The attacker: the same program on the same data, without the certificate, never writing a key of its own.
        await using var copy = portal.Factory.WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DataProtection:KeyEncryptionCertificate"] = "",
                ["DataProtection:KeyEncryptionCertificatePassword"] = "",
            }));
            builder.ConfigureTestServices(services => services.Configure<KeyManagementOptions>(o => o.AutoGenerateKeys = false));
        });
        var provider = copy.Services.GetRequiredService<IDataProtectionProvider>();
        Assert.ThrowsAny<CryptographicException>(() => provider.CreateProtector(TwoFactorSecrets.SecretPurpose).Unprotect(stored));
        await using (var scope = copy.Services.CreateAsyncScope())
        {
            Assert.Null(scope.ServiceProvider.GetRequiredService<TwoFactorSecrets>().Unprotect(stored));
        }

        var now = portal.Time.GetUtcNow();
        var ticket = new AuthenticationTicket(PortalClaims.For(account, now), new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddMinutes(15) }, PortalAuthentication.Scheme);
        var format = copy.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalAuthentication.Scheme).TicketDataFormat;
        string? forged = null;
        try
        {
            forged = format.Protect(ticket);
        }
        catch (CryptographicException)
        {
            // No usable key in the copy: nothing can be signed.
        }

        // Whatever the copy produced, the real server does not take it as a session.
        using var http = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/Settings/Edit", UriKind.Relative));
        request.Headers.Add("Cookie", PortalAuthentication.CookieName + "=" + (forged ?? "none"));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Login", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Null(forged);
    }
}

public sealed class DatabaseCopyTestsOnSqlite(SqlitePortal portal) : DatabaseCopyTests(portal), IClassFixture<SqlitePortal>;

public sealed class DatabaseCopyTestsOnPostgres(PostgresPortal portal) : DatabaseCopyTests(portal), IClassFixture<PostgresPortal>;
