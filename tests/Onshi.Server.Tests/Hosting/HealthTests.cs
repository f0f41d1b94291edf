using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Hosting;

public sealed class LegacyHealthTests
{
    [Fact]
    public async Task TheOldHealthzAddressStillAnswersOk()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>
/// /health/live and /health/ready over HTTP: ready is 200 only while the database is reachable and migrated, every
/// anchor's CRL is fresh and the key ring is readable, and a 503 names the failing check. Each test has a server
/// of its own, because the CRL state it changes is per process.
/// </summary>
public abstract class HealthTests
{
    protected abstract PortalFixture NewPortal();

    /// <summary>A connection string of this provider that cannot be opened.</summary>
    protected abstract string UnreachableConnectionString();

    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
        return (response.StatusCode, checks, body);
    }

    [Fact]
    public async Task ReadyIsOkWhenTheDatabaseIsMigratedTheCrlIsFreshAndTheKeysAreReadable()
    {
        await using var portal = NewPortal();
        await portal.InitializeAsync();
        portal.SkipIfUnavailable();
        await portal.LoadCrlAsync();
        using var client = portal.Factory.CreateClient();

        var ready = await GetAsync(client, "/health/ready");
        Assert.True(ready.Status == HttpStatusCode.OK, ready.Body);
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Healthy", ["revocation-lists"] = "Healthy", ["data-protection"] = "Healthy" }, ready.Checks);
        var live = await GetAsync(client, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Empty(live.Checks);
    }

    [Fact]
    public async Task ReadyNamesTheRevocationListsWhileNoCrlIsLoadedAndAgainOnceItIsStaleWhileLiveStaysOk()
    {
        await using var portal = NewPortal();
        await portal.InitializeAsync();
        portal.SkipIfUnavailable();
        using var client = portal.Factory.CreateClient();

        var missing = await GetAsync(client, "/health/ready");
        Assert.True(missing.Status == HttpStatusCode.ServiceUnavailable, missing.Body);
        Assert.Equal("Unhealthy", missing.Checks["revocation-lists"]);
        Assert.Equal("Healthy", missing.Checks["database"]);

        await portal.LoadCrlAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);

        // The test CA's lists say nextUpdate = thisUpdate + 2 days.
        portal.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var stale = await GetAsync(client, "/health/ready");
        Assert.True(stale.Status == HttpStatusCode.ServiceUnavailable, stale.Body);
        Assert.Equal("Unhealthy", stale.Checks["revocation-lists"]);
        Assert.Equal("Healthy", stale.Checks["data-protection"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);
    }

    [Fact]
    public async Task AMissingCrlIsAcceptedOnlyWhenTheOperatorAllowedIt()
    {
        await using var portal = NewPortal();
        await portal.InitializeAsync();
        portal.SkipIfUnavailable();
        await using var allowing = portal.Factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["Jpki:AllowMissingRevocationList"] = "true" })));
        using var client = allowing.CreateClient();

        var ready = await GetAsync(client, "/health/ready");
        Assert.True(ready.Status == HttpStatusCode.OK, ready.Body);
        Assert.Equal("Healthy", ready.Checks["revocation-lists"]);
    }

    [Fact]
    public async Task ReadyNamesTheDatabaseWhenItCannotBeReachedWhileLiveStaysOk()
    {
        await using var portal = NewPortal();
        await portal.InitializeAsync();
        portal.SkipIfUnavailable();
        await using var broken = portal.Factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = UnreachableConnectionString() })));
        using var client = broken.CreateClient();

        var ready = await GetAsync(client, "/health/ready");
        Assert.True(ready.Status == HttpStatusCode.ServiceUnavailable, ready.Body);
        Assert.Equal("Unhealthy", ready.Checks["database"]);
        Assert.DoesNotContain("Data Source", ready.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onshi_missing", ready.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);
    }
}

public sealed class HealthTestsOnSqlite : HealthTests
{
    protected override PortalFixture NewPortal() => new SqlitePortal();

    protected override string UnreachableConnectionString() =>
        "Data Source=" + Path.Combine(Path.GetTempPath(), "onshi-tests", "no-such-folder-" + Guid.NewGuid().ToString("N"), "onshi.db");
}

public sealed class HealthTestsOnPostgres : HealthTests
{
    protected override PortalFixture NewPortal() => new PostgresPortal();

    protected override string UnreachableConnectionString() =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ONSHI_TEST_POSTGRES")) { Database = "onshi_missing_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
}
