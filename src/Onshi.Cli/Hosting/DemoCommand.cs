using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Core.Identifiers;
using Onshi.Server.Data;
using Onshi.Server.Institutions;

namespace Onshi.Cli.Hosting;

/// <summary>
/// `onshi demo`: a self-contained demonstration on SQLite under ./data/demo — migrates, seeds one institution with an
/// administrator, starts the server and prints where to log in. The demo administrator's initial password is fixed
/// for convenience but, like any initial password, must be changed at the first login.
/// </summary>
internal static class DemoCommand
{
    public const string DemoInitialPassword = "onshi-demo-initial";
    public const string DemoInstitutionName = "Onshiデモ薬局";

    // 東京都(13) 調剤(4) 郡市区 01 番号 2345 + 検証番号, computed so it is always valid.
    public static readonly string DemoInstitutionCode = MedicalInstitutionCode.FromBody("134012345").Value;

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "待ち受けるURL", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("demo", "デモデータ入りのサーバを起動します (SQLite: ./data/demo/onshi.db)") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var url = parse.GetValue(urls)!;
                await using var app = CliHost.Build("Sqlite", "Data Source=data/demo/onshi.db", url, withPipeline: true);
                var (fresh, pendingFirstLogin) = await CliHost.InScopeAsync(app, async services =>
                {
                    await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
                    var db = services.GetRequiredService<AppDbContext>();
                    var admin = await db.Accounts.IgnoreQueryFilters()
                        .Where(a => a.Institution!.Code == DemoInstitutionCode && a.UserId == CreateInstitution.DefaultAdministratorUserId)
                        .Select(a => new { a.FirstLoginCompletedAt }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                    if (admin is not null)
                    {
                        return (false, admin.FirstLoginCompletedAt is null);
                    }

                    var created = await services.GetRequiredService<CreateInstitution>().ExecuteAsync(
                        DemoInstitutionCode, DemoInstitutionName, CreateInstitution.DefaultAdministratorUserId, DemoInitialPassword, cancellationToken).ConfigureAwait(false);
                    if (!created.Succeeded)
                    {
                        throw new InvalidOperationException(created.Refusal!.Message);
                    }

                    return (true, true);
                }).ConfigureAwait(false);

                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                Console.WriteLine();
                Console.WriteLine("Onshi デモを起動しました" + (fresh ? "" : " (既存のデモデータ: ./data/demo)"));
                Console.WriteLine($"  ポータル:     {url.TrimEnd('/')}/Login");
                Console.WriteLine($"  機関コード:   {DemoInstitutionCode} ({DemoInstitutionName})");
                Console.WriteLine($"  ユーザID:     {CreateInstitution.DefaultAdministratorUserId}");
                Console.WriteLine(pendingFirstLogin
                    ? $"  パスワード:   {DemoInitialPassword} (初期パスワード。初回ログイン時に変更します)"
                    : "  パスワード:   初回ログイン時に設定したもの (やり直すには ./data/demo を削除してください)");
                Console.WriteLine("  終了するには Ctrl+C を押してください。");
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (Exception exception)
            {
                CliOptions.PrintError($"デモを起動できませんでした: {exception.GetBaseException().Message}", "cli.demo_failed");
                return 1;
            }
        });
        return command;
    }
}
