using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Cli.Hosting;
using Onshi.Server.Institutions;

namespace Onshi.Cli.Institutions;

/// <summary>`onshi institution create`: registers a 医療機関等 and its first 管理者 (prints the one-time password once).</summary>
internal static class InstitutionCommands
{
    public static Command Create()
    {
        var code = new Option<string>("--code") { Description = "医療機関コード (10桁)", Required = true };
        var name = new Option<string>("--name") { Description = "機関名", Required = true };
        var adminUserId = new Option<string>("--admin-user-id")
        {
            Description = "最初の管理者のユーザID (半角英数字2〜8桁)",
            DefaultValueFactory = _ => CreateInstitution.DefaultAdministratorUserId,
        };
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var create = new Command("create", "医療機関等と最初の管理者アカウントを登録します") { code, name, adminUserId, provider, connection };
        create.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliOptions.TryCheckProvider(parse.GetValue(provider)))
            {
                return 2;
            }

            try
            {
                await using var app = CliHost.Build(parse.GetValue(provider), parse.GetValue(connection));
                var result = await CliHost.InScopeAsync(app, services => services.GetRequiredService<CreateInstitution>()
                    .ExecuteAsync(parse.GetValue(code), parse.GetValue(name), parse.GetValue(adminUserId), null, cancellationToken)).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    foreach (var refusal in result.Refusals)
                    {
                        CliOptions.PrintError(refusal.Message, refusal.Code);
                    }

                    return 2;
                }

                var created = result.Value!;
                Console.WriteLine($"医療機関等を登録しました: {created.Institution.Code} {created.Institution.Name}");
                Console.WriteLine($"管理者ユーザID:   {created.Administrator.UserId}");
                Console.WriteLine($"初期パスワード:   {created.InitialPassword}");
                Console.WriteLine("初期パスワードはこの一度だけ表示されます。初回ログイン時に変更が必要です。");
                return 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                CliOptions.PrintError($"登録できませんでした: {exception.GetBaseException().Message} (先に onshi migrate を実行しましたか)", "cli.institution_create_failed");
                return 1;
            }
        });

        return new Command("institution", "医療機関等の管理") { create };
    }
}
