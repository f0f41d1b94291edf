using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Onshi.Server.Hosting;
using Onshi.Server.Tests.Reliability;

namespace Onshi.Server.Tests.Hosting;

/// <summary>In Production the server refuses unsafe settings (Hosting/ProductionSafety.cs), each named in the message.</summary>
public sealed class ProductionSafetyTests
{
    /// <summary>Safe settings: PostgreSQL, an https listener, revocation fail-closed, a key-encryption certificate.</summary>
    private static string[] Safe =>
    [
        "--environment", "Production",
        "--Database:Provider", "Postgres",
        "--Database:ConnectionString", "Host=127.0.0.1;Port=1;Username=nobody",
        "--urls", "https://127.0.0.1:5443",
        "--DataProtection:KeyEncryptionCertificate", Infrastructure.TestKeyEncryption.CertificatePath,
        "--DataProtection:KeyEncryptionCertificatePassword", Infrastructure.TestKeyEncryption.Password,
    ];

    private static string[] With(params string[] overrides) => [.. Safe, .. overrides];

    [Fact]
    public async Task ProductionWithSafeSettingsBuilds()
    {
        await using var app = OnshiServer.Build(OnshiServer.CreateBuilder(Safe));
        Assert.True(app.Environment.IsProduction());
    }

    [Fact]
    public async Task AnHttpListenerIsAcceptedBehindATrustedProxy()
    {
        await using var app = OnshiServer.Build(OnshiServer.CreateBuilder(With("--urls", "http://127.0.0.1:5080", "--ForwardedHeaders:KnownProxies:0", "127.0.0.1")));
        Assert.True(app.Environment.IsProduction());
    }

    [Fact]
    public async Task SqliteIsAcceptedWithTheExplicitOptIn()
    {
        await using var app = OnshiServer.Build(OnshiServer.CreateBuilder(With("--Database:Provider", "Sqlite", "--Database:ConnectionString", "Data Source=unused.db", "--Production:AllowSqlite", "true")));
        Assert.True(app.Environment.IsProduction());
    }

    public static TheoryData<string, string[]> Unsafe => new()
    {
        { "Jpki:AllowMissingRevocationList", ["--Jpki:AllowMissingRevocationList", "true"] },
        { "Production:AllowSqlite", ["--Database:Provider", "Sqlite", "--Database:ConnectionString", "Data Source=unused.db"] },
        { "ForwardedHeaders:KnownProxies", ["--urls", "http://0.0.0.0:5080"] },
    };

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void ProductionRefusesEachUnsafeSettingAndNamesIt(string named, string[] overrides)
    {
        var builder = OnshiServer.CreateBuilder(With(overrides));
        var refused = Assert.Throws<UnsafeProductionSettingsException>(() => OnshiServer.Build(builder));
        var problem = Assert.Single(refused.Problems);
        Assert.Contains(named, problem, StringComparison.Ordinal);
        Assert.Contains("本番環境", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Production", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherEnvironmentsAreNotChecked()
    {
        await using var app = OnshiServer.Build(OnshiServer.CreateBuilder(["--environment", "Demo", "--Jpki:AllowMissingRevocationList", "true", "--urls", "http://127.0.0.1:5080"]));
        Assert.Equal("Demo", app.Environment.EnvironmentName);
    }

    [Fact]
    public async Task TheServerProcessRefusesToStartWithEveryProblemListed()
    {
        // The defaults (SQLite, http://localhost:5000) are a developer's; in Production they are refused.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ServerProcess.ServerAssembly },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Jpki__AllowMissingRevocationList"] = "true";
        start.Environment.Remove("ASPNETCORE_URLS");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var message = await stderr;
        Assert.True(process.ExitCode == 4, $"exit {process.ExitCode}: {message}");
        Assert.Contains(UnsafeProductionSettingsException.MachineCode, message, StringComparison.Ordinal);
        Assert.Contains("Jpki:AllowMissingRevocationList", message, StringComparison.Ordinal);
        Assert.Contains("Production:AllowSqlite", message, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeaders:KnownProxies", message, StringComparison.Ordinal);
    }
}
