using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Onshi.Server.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "Onshi.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Onshi.Migrations.Postgres";

    private static readonly SqliteWriteAheadLog WriteAheadLog = new();

    /// <summary>Registers <see cref="AppDbContext"/> on the provider named in the "Database" section.</summary>
    public static IServiceCollection AddOnshiDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<IInstitutionScope, HttpInstitutionScope>();
        services.AddDbContext<AppDbContext>((serviceProvider, options) =>
        {
            var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
            Configure(options, database.Provider, database.ConnectionString);
        });
        return services;
    }

    /// <summary>The one place that knows how each provider is set up (also used by the design-time factories).</summary>
    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly)).AddInterceptors(WriteAheadLog);
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        // Every saved audit entry is linked into its hash chain (Audit/readme.md).
        options.AddInterceptors(Audit.AuditChainInterceptor.Instance);
    }

    /// <summary>SQLite will not create the folder of its file; do it before migrating.</summary>
    public static void EnsureSqliteFolderExists(DatabaseOptions database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        var dataSource = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && !string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
