using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Data;
using Onshi.Server.Hosting;

namespace Onshi.Cli.Hosting;

/// <summary>
/// Builds the same host the server uses, with the database taken from (in order) the command's options,
/// environment variables (Database__Provider, Database__ConnectionString) and ./appsettings.json.
/// </summary>
internal static class CliHost
{
    public static WebApplication Build(
        string? provider, string? connectionString, string? urls = null, bool withPipeline = false,
        IReadOnlyDictionary<string, string?>? settings = null, string? environment = null)
    {
        var builder = OnshiServer.CreateBuilder(environment is null ? [] : ["--environment", environment]);
        var overrides = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (!string.IsNullOrWhiteSpace(provider))
        {
            overrides["Database:Provider"] = provider;
        }

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            overrides["Database:ConnectionString"] = connectionString;
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        if (!string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(urls);
        }

        return withPipeline ? OnshiServer.Build(builder) : builder.Build();
    }

    public static DatabaseOptions Database(WebApplication app) =>
        app.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    /// <summary>Runs a piece of work in a service scope, as one web request would.</summary>
    public static async Task<T> InScopeAsync<T>(WebApplication app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider).ConfigureAwait(false);
    }
}
