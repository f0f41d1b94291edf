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
        services.AddSingleton(_ => new PreparedSqliteConnections(DatabaseOptionsOf(configuration).ConnectionString));
        services.AddScoped(serviceProvider => serviceProvider.GetRequiredService<PreparedSqliteConnections>().Rent());
        services.AddDbContext<AppDbContext>((serviceProvider, options) =>
        {
            var database = DatabaseOptionsOf(configuration);
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // The scope's connection keeps its compiled statements between requests (PreparedSqliteConnections).
                ConfigureSqlite(options, serviceProvider.GetRequiredService<PreparedSqliteConnections.Lease>().Connection);
            }
            else
            {
                Configure(options, database.Provider, database.ConnectionString);
            }
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
                options.UseNpgsql(WithAutoPrepare(connectionString), npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        // Every saved audit entry is linked into its hash chain (Audit/readme.md).
        options.AddInterceptors(Audit.AuditChainInterceptor.Instance);
    }

    /// <summary>SQLite on a connection the caller owns and has opened (see <see cref="PreparedSqliteConnections"/>).</summary>
    public static void ConfigureSqlite(DbContextOptionsBuilder options, SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseSqlite(connection, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly)).AddInterceptors(WriteAheadLog);
        options.AddInterceptors(Audit.AuditChainInterceptor.Instance);
    }

    /// <summary>
    /// Npgsql prepares a statement on the server once it has been run <c>Auto Prepare Min Usages</c> times on a physical
    /// connection, and then only binds and executes it: PostgreSQL stops parsing and planning the hot path's statements
    /// on every request (docs/performance.md). A value set in the configured connection string wins.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!ContainsKey(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;
    }

    // Npgsql reads keywords case-insensitively, with or without their spaces.
    private static bool ContainsKey(string connectionString, string key) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    private static DatabaseOptions DatabaseOptionsOf(IConfiguration configuration) =>
        configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

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
