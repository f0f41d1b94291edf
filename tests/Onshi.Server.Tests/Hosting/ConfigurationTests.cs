using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Onshi.Server.Hosting;
using Onshi.Server.Revocation;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Hosting;

/// <summary>
/// A misspelt Jpki key must stop the server instead of silently falling back to the real J-LIS roots: an operator who
/// meant a test CA (or a production one) would otherwise run with anchors they never chose.
/// </summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task AServerWithAMisspeltJpkiKeyRefusesToStart()
    {
        var folder = Directory.CreateTempSubdirectory("onshi-config-");
        try
        {
            var builder = OnshiServer.CreateBuilder(
            [
                // Not Production: these tests are about binding, and Production also refuses SQLite and plain HTTP.
                "--environment", "Testing",
                "--urls", "http://127.0.0.1:0",
                "--Database:Provider", "Sqlite",
                "--Database:ConnectionString", $"Data Source={Path.Combine(folder.FullName, "onshi.db")}",
                "--Jpki:TrustAnchor", "/nonexistent/auth-ca.pem",
                "--DataProtection:KeyEncryptionCertificate", TestKeyEncryption.CertificatePath,
                "--DataProtection:KeyEncryptionCertificatePassword", TestKeyEncryption.Password,
            ]);
            await using var app = OnshiServer.Build(builder);

            var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("TrustAnchor", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheKnownJpkiKeysStillBind()
    {
        var builder = OnshiServer.CreateBuilder(["--environment", "Testing", "--Jpki:AllowMissingRevocationList", "true", "--Jpki:RevocationPollSeconds", "7"]);
        using var app = OnshiServer.Build(builder);

        var options = app.Services.GetRequiredService<IOptions<JpkiOptions>>().Value;

        Assert.True(options.AllowMissingRevocationList);
        Assert.Equal(7, options.RevocationPollSeconds);
    }
}
