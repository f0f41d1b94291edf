using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Data;

namespace Onshi.Cli.Hosting;

/// <summary>`onshi serve`: runs the server in this process. It refuses to start on a database that is not migrated.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "待ち受けるURL (例: http://127.0.0.1:5080)" };
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var command = new Command("serve", "サーバを起動します") { urls, provider, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliOptions.TryCheckProvider(parse.GetValue(provider)))
            {
                return 2;
            }

            try
            {
                await using var app = CliHost.Build(parse.GetValue(provider), parse.GetValue(connection), parse.GetValue(urls), withPipeline: true);
                var pending = await CliHost.InScopeAsync(app, async services =>
                    (await services.GetRequiredService<AppDbContext>().Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList()).ConfigureAwait(false);
                if (pending.Count > 0)
                {
                    CliOptions.PrintError($"未適用のマイグレーションが{pending.Count}件あります。先に onshi migrate を実行してください。", "cli.migrations_pending");
                    return 3;
                }

                await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (Onshi.Server.Hosting.UnsafeProductionSettingsException exception)
            {
                CliOptions.PrintError(exception.Message, Onshi.Server.Hosting.UnsafeProductionSettingsException.MachineCode);
                return 4;
            }
            catch (Exception exception)
            {
                CliOptions.PrintError($"サーバを起動できませんでした: {exception.GetBaseException().Message}", "cli.serve_failed");
                return 1;
            }
        });
        return command;
    }
}
