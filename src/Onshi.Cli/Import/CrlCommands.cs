using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Revocation;

namespace Onshi.Cli.Import;

/// <summary><c>onshi crl load FILE</c>: verifies a CRL against the configured trust anchors and stores it for every server.</summary>
public static class CrlCommands
{
    public static Command Create()
    {
        var crl = new Command("crl", "失効リスト（CRL）");
        var load = new Command("load", "失効リストを検証してデータベースに登録する（稼働中のサーバーは数秒以内に使い始める）");
        var file = new Argument<FileInfo>("FILE") { Description = "DER または PEM の CRL" };
        load.Arguments.Add(file);
        CliDatabase.AddTo(load);
        var anchors = new Option<string?>("--trust-anchors") { Description = "信頼アンカー（PEMファイルまたはフォルダ）。省略時は設定 Jpki:TrustAnchors" };
        load.Options.Add(anchors);
        load.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"ファイル {path.FullName} が見つかりません。").ConfigureAwait(false);
                return 2;
            }

            if (parseResult.GetValue(anchors) is { } anchorPath)
            {
                Environment.SetEnvironmentVariable("Jpki__TrustAnchors", anchorPath);
            }

            await using var services = CliDatabase.Services(parseResult);
            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<StoreRevocationList>()
                .ExecuteAsync(await File.ReadAllBytesAsync(path.FullName, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync($"{result.Refusal!.Message} [{result.Refusal.Code}]").ConfigureAwait(false);
                return 1;
            }

            var info = result.Value!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"失効リストを登録しました: 発行者 {info.AnchorId[..16]}…, 発行 {info.ThisUpdate:yyyy-MM-dd HH:mm}Z, 失効 {info.RevokedCount:N0} 件"));
            return 0;
        });
        crl.Subcommands.Add(load);
        return crl;
    }
}
