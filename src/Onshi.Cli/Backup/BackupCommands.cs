using System.CommandLine;
using System.Globalization;
using Onshi.Cli.Hosting;
using Onshi.Server.Backup;
using Onshi.Server.Common;

namespace Onshi.Cli.Backup;

/// <summary>
/// `onshi backup --out FILE` (consistent while the server runs) and `onshi restore --in FILE` (only into an empty
/// store). Exit code 0 = done, 2 = refused (the message says why), 1 = unexpected failure.
/// </summary>
internal static class BackupCommands
{
    public static Command CreateBackup()
    {
        var output = new Option<string>("--out") { Description = "バックアップの出力先ファイル (既存のファイルは上書きしません)", Required = true };
        var pgBin = PgBin();
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var command = new Command("backup", "データベース全体をバックアップします (稼働中でも一貫した内容)") { output, pgBin, provider, connection };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(provider), parse.GetValue(connection), "バックアップ",
            (backup, database) => backup.BackupAsync(database, parse.GetValue(output)!, cancellationToken), parse.GetValue(pgBin)));
        return command;
    }

    public static Command CreateRestore()
    {
        var input = new Option<string>("--in") { Description = "onshi backup で作成したファイル", Required = true };
        var pgBin = PgBin();
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var command = new Command("restore", "バックアップを空のデータベースに復元します") { input, pgBin, provider, connection };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(provider), parse.GetValue(connection), "復元",
            (backup, database) => backup.RestoreAsync(database, parse.GetValue(input)!, cancellationToken), parse.GetValue(pgBin)));
        return command;
    }

    private static Option<string?> PgBin() => new("--pg-bin") { Description = "pg_dump / pg_restore のあるフォルダ (PostgreSQL のみ。既定: PATH、次に /usr/lib/postgresql/*/bin)" };

    private static async Task<int> RunAsync(string? provider, string? connection, string what,
        Func<DatabaseBackup, Server.Data.DatabaseOptions, Task<OperationResult<BackupSummary>>> work, string? pgBin)
    {
        if (!CliOptions.TryCheckProvider(provider))
        {
            return 2;
        }

        try
        {
            await using var app = CliHost.Build(provider, connection);
            var result = await work(new DatabaseBackup { PostgresToolsFolder = pgBin }, CliHost.Database(app)).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                CliOptions.PrintError(result.Refusal!.Message, result.Refusal.Code);
                return 2;
            }

            var summary = result.Value!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}が完了しました ({summary.Provider}): {summary.File} ({summary.Bytes:N0} バイト)"));
            return 0;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            CliOptions.PrintError($"{what}できませんでした: {exception.GetBaseException().Message}", "cli.backup_failed");
            return 1;
        }
    }
}
