using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Onshi.Server.Hosting;

namespace Onshi.Cli.Import;

/// <summary>
/// The database options every data command shares, and the server's own services built over them (so the CLI
/// validates and writes exactly as the server would). Settings: --provider/--connection, else appsettings.json in
/// the current folder, else environment variables (Database__Provider, Database__ConnectionString), else the default
/// SQLite file data/onshi.db.
/// </summary>
internal static class CliDatabase
{
    public static readonly Option<string?> Provider = new("--provider") { Description = "Sqlite または Postgres" };
    public static readonly Option<string?> Connection = new("--connection") { Description = "接続文字列" };

    public static void AddTo(Command command)
    {
        command.Options.Add(Provider);
        command.Options.Add(Connection);
    }

    public static ServiceProvider Services(ParseResult parseResult)
    {
        var overrides = new Dictionary<string, string?>();
        if (parseResult.GetValue(Provider) is { } provider)
        {
            overrides["Database:Provider"] = provider;
        }

        if (parseResult.GetValue(Connection) is { } connection)
        {
            overrides["Database:ConnectionString"] = connection;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddOnshiServices(configuration);
        return services.BuildServiceProvider();
    }
}
