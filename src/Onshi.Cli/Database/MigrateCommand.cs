using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Cli.Hosting;
using Onshi.Server.Data;

namespace Onshi.Cli.Database;

/// <summary>`onshi migrate`: applies the provider's migrations. The server itself never does this.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var command = new Command("migrate", "データベースにマイグレーションを適用します") { provider, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliOptions.TryCheckProvider(parse.GetValue(provider)))
            {
                return 2;
            }

            try
            {
                await using var app = CliHost.Build(parse.GetValue(provider), parse.GetValue(connection));
                var applied = await CliHost.InScopeAsync(app, services => services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken)).ConfigureAwait(false);
                var database = CliHost.Database(app);
                Console.WriteLine(applied.Count == 0
                    ? $"データベースは最新です ({database.Provider})。"
                    : $"{applied.Count}件のマイグレーションを適用しました ({database.Provider}): {string.Join(", ", applied)}");
                return 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                CliOptions.PrintError($"マイグレーションを適用できませんでした: {exception.GetBaseException().Message}", "cli.migrate_failed");
                return 1;
            }
        });
        return command;
    }
}
