using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Onshi.Core.Identifiers;
using Onshi.Server.Data;
using Onshi.Server.Institutions;

namespace Onshi.Server.Tests.Infrastructure;

/// <summary>
/// One running Onshi server over one fresh database, shared by the tests of one class. The schema is created by
/// applying the provider's real migrations, so every test run also tests the migrations.
/// </summary>
public abstract class PortalFixture : IAsyncLifetime
{
    public const string StrongPassword = "plum blossoms open at dawn 2025";

    private static int _institutionCounter;
    private WebApplicationFactory<Program>? _factory;

    /// <summary>All tests start on 2025-06-02 09:00 JST and move time only forward.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero));

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Null when the database is available; otherwise why the tests of this fixture are skipped.</summary>
    public string? UnavailableReason { get; protected set; }

    /// <summary>Page size of the activation-code list in tests: 3, so paging shows up with a handful of codes.</summary>
    public virtual int PageSize => 3;

    /// <summary>A real browser keeps cookies by the real clock, so browser fixtures run on real time.</summary>
    protected virtual bool UsesFakeTime => true;

    public WebApplicationFactory<Program> Factory =>
        _factory ?? throw new InvalidOperationException(UnavailableReason ?? "The fixture is not initialised.");

    protected abstract Task<string?> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>Configuration a fixture adds or overrides (later entries win).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected virtual void Configure(WebApplicationFactory<Program> factory)
    {
    }

    /// <summary>Services a fixture adds to the server (e.g. a capturing logger provider).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async ValueTask InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        if (connectionString is null)
        {
            return;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            var settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = Provider.ToString(),
                ["Database:ConnectionString"] = connectionString,
                ["ActivationCodes:PageSize"] = PageSize.ToString(CultureInfo.InvariantCulture),
                ["Accounts:MaxConsecutiveFailedLogins"] = "5",
                ["Accounts:LockoutMinutes"] = "30",
                ["Portal:IdleTimeoutMinutes"] = "15",
                ["Jpki:TrustAnchors"] = TestJpki.AnchorFolder,
                ["Jpki:CardFaceTrustAnchors"] = TestJpki.CardFaceAnchorFile,
                // Every in-process request comes from one (unknown) address: only the rate-limit tests lower these.
                ["RateLimits:CredentialAttemptsPerSourcePerMinute"] = "1000000",
                ["RateLimits:ChallengesPerSourcePerMinute"] = "1000000",
                ["RateLimits:ChallengesPerSessionPerMinute"] = "1000000",
            };

            // A fixture's Settings override the defaults above (a second Add of the same key would throw).
            foreach (var (key, value) in TestKeyEncryption.Settings.Concat(Settings))
            {
                settings[key] = value;
            }

            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(ConfigureServices);
            if (UsesFakeTime)
            {
                builder.ConfigureTestServices(services =>
                {
                    services.RemoveAll<TimeProvider>();
                    services.AddSingleton<TimeProvider>(Time);
                });
            }
        });
        Configure(_factory);

        await using var scope = _factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await DropDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    public void SkipIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            Onshi.Tests.MissingService.Skip(UnavailableReason);
        }
    }

    /// <summary>Registers a new institution (unique, valid 医療機関コード) with its first administrator, as `onshi institution create` does.</summary>
    public async Task<TestInstitution> CreateInstitutionAsync(string name = "テスト薬局")
    {
        SkipIfUnavailable();
        var number = Interlocked.Increment(ref _institutionCounter);
        var code = MedicalInstitutionCode.FromBody("134" + (number % 100).ToString("00", CultureInfo.InvariantCulture) + (number / 100 % 10000).ToString("0000", CultureInfo.InvariantCulture)).Value;
        await using var scope = Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<CreateInstitution>().ExecuteAsync(code, name, "admin", null, CancellationToken.None);
        Assert.True(result.Succeeded, result.Refusal?.Message);
        return new TestInstitution(result.Value!.Institution.Id, code, name, "admin", result.Value.InitialPassword);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests assert them).</summary>
    public PortalClient NewClient()
    {
        SkipIfUnavailable();
        return new PortalClient(Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
    }

    /// <summary>An administrator who has logged in and replaced the initial password.</summary>
    public async Task<PortalClient> AdministratorAsync(TestInstitution institution)
    {
        var client = NewClient();
        await client.LogInAndChangeInitialPasswordAsync(institution.Code, institution.AdministratorUserId, institution.AdministratorInitialPassword, StrongPassword);
        return client;
    }

    /// <summary>Reads the database directly, across institutions, to check what the HTTP layer did.</summary>
    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await query(db);
    }

    /// <summary>Runs one operation class (e.g. RedeemActivationCode, which gets its HTTP endpoint in issue 4) in its own scope.</summary>
    public async Task<TResult> WithServiceAsync<TService, TResult>(Func<TService, Task<TResult>> use)
        where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }
}

public sealed record TestInstitution(int Id, string Code, string Name, string AdministratorUserId, string AdministratorInitialPassword);

public class SqlitePortal : PortalFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onshi-tests", Guid.NewGuid().ToString("N"));

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string?> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult<string?>($"Data Source={Path.Combine(_folder, "onshi.db")}");
    }

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A fresh database on the server named by ONSHI_TEST_POSTGRES (a connection string without Database=).</summary>
public class PostgresPortal : PortalFixture
{
    private readonly string _database = "onshi_test_" + Guid.NewGuid().ToString("N")[..16];
    private string? _adminConnectionString;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable("ONSHI_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            UnavailableReason = "ONSHI_TEST_POSTGRES is not set (scripts/test sets it); PostgreSQL tests skipped.";
            return null;
        }

        _adminConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\" ENCODING 'UTF8'", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_adminConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
