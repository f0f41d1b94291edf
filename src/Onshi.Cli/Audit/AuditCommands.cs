using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Cli.Hosting;
using Onshi.Server.Audit;
using Onshi.Server.Data;

namespace Onshi.Cli.Audit;

/// <summary>
/// `onshi audit verify [--institution CODE] [--checkpoint FILE]`: recomputes the audit hash chains and names the first
/// broken record; with a checkpoint, also checks that every chain still holds the head the checkpoint signed.
/// `onshi audit checkpoint --out FILE`: writes a signed checkpoint of every chain's head.
/// The signing key is an ECDSA P-256 PEM file named by configuration Audit:CheckpointKeyFile (never in the database).
/// Exit code 0 = every chain intact, 3 = a chain is broken, 2 = bad arguments, 1 = the database could not be read.
/// </summary>
internal static class AuditCommands
{
    public const int Broken = 3;

    /// <summary>Configuration key of the checkpoint key file (environment: Audit__CheckpointKeyFile).</summary>
    public const string CheckpointKeySetting = "Audit:CheckpointKeyFile";

    public static Command Create()
    {
        var institution = new Option<string?>("--institution") { Description = "この医療機関コードのチェーンだけを検証します (省略時はすべて)" };
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var checkpointIn = new Option<string?>("--checkpoint") { Description = "署名付きチェックポイントファイル: 各チェーンがその時点の先頭を同じ位置に保持しているかも検証します" };
        var verify = new Command("verify", "監査ログのハッシュチェーンを検証し、最初に壊れている記録を表示します") { institution, checkpointIn, provider, connection };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliOptions.TryCheckProvider(parse.GetValue(provider)))
            {
                return 2;
            }

            try
            {
                await using var app = CliHost.Build(parse.GetValue(provider), parse.GetValue(connection));
                return await CliHost.InScopeAsync(app, async services =>
                {
                    var status = await RunAsync(services, parse.GetValue(institution), cancellationToken).ConfigureAwait(false);
                    if (status is 0 or Broken && parse.GetValue(checkpointIn) is { } file)
                    {
                        var checkpoint = await CheckCheckpointAsync(services, app.Configuration, file, cancellationToken).ConfigureAwait(false);
                        return checkpoint == 0 ? status : checkpoint;
                    }

                    return status;
                }).ConfigureAwait(false);
            }
            catch (AuditCheckpointException exception)
            {
                CliOptions.PrintError(exception.Message, exception.Code);
                return exception.Code == "audit.checkpoint_signature_invalid" ? Broken : 2;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                CliOptions.PrintError($"監査ログを検証できませんでした: {exception.GetBaseException().Message}", "cli.audit_verify_failed");
                return 1;
            }
        });

        var outFile = new Option<string>("--out") { Description = "書き出すチェックポイントファイル", Required = true };
        var checkpointCommand = new Command("checkpoint", "全チェーンの先頭(件数とハッシュ)を署名付きでファイルに書き出します。データベースの外に保管してください") { outFile, provider, connection };
        checkpointCommand.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliOptions.TryCheckProvider(parse.GetValue(provider)))
            {
                return 2;
            }

            try
            {
                await using var app = CliHost.Build(parse.GetValue(provider), parse.GetValue(connection));
                using var key = LoadKey(app.Configuration);
                var checkpoint = await CliHost.InScopeAsync(app, services => Checkpoints(services).CaptureAsync(null, cancellationToken)).ConfigureAwait(false);
                var path = parse.GetValue(outFile)!;
                await File.WriteAllTextAsync(path, AuditCheckpoints.Sign(checkpoint, key), cancellationToken).ConfigureAwait(false);
                foreach (var chain in checkpoint.Chains)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chain {chain.ChainKey}: {chain.Length}件, head {chain.HeadHash}"));
                }

                Console.WriteLine($"チェックポイントを {path} に書き出しました。データベースとは別の場所に保管してください。");
                return 0;
            }
            catch (AuditCheckpointException exception)
            {
                CliOptions.PrintError(exception.Message, exception.Code);
                return exception.Code == "audit.checkpoint_chain_broken" ? Broken : 2;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                CliOptions.PrintError($"チェックポイントを作成できませんでした: {exception.GetBaseException().Message}", "cli.audit_checkpoint_failed");
                return 1;
            }
        });

        return new Command("audit", "監査ログ") { verify, checkpointCommand };
    }

    private static AuditCheckpoints Checkpoints(IServiceProvider services) =>
        new(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<AuditChainVerifier>(), services.GetRequiredService<TimeProvider>());

    private static System.Security.Cryptography.ECDsa LoadKey(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        configuration[CheckpointKeySetting] is { Length: > 0 } path
            ? AuditCheckpoints.LoadKey(path)
            : throw new AuditCheckpointException("audit.checkpoint_key_missing",
                $"チェックポイント用の鍵ファイルが設定されていません({CheckpointKeySetting}、環境変数 Audit__CheckpointKeyFile)。ECDSA P-256 の PEM 鍵を指定してください。");

    private static async Task<int> CheckCheckpointAsync(IServiceProvider services, Microsoft.Extensions.Configuration.IConfiguration configuration, string file, CancellationToken cancellationToken)
    {
        using var key = LoadKey(configuration);
        var checkpoint = AuditCheckpoints.Read(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), key);
        var findings = await Checkpoints(services).CheckAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        foreach (var finding in findings)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NG  chain {finding.ChainKey}: {finding.Position}件目 [{finding.Problem}] {finding.Explanation}"));
        }

        if (findings.Count == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OK  チェックポイント({checkpoint.CreatedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}, {checkpoint.Chains.Count}チェーン)の先頭はすべて保持されています。"));
        }

        return findings.Count == 0 ? 0 : Broken;
    }

    private static async Task<int> RunAsync(IServiceProvider services, string? institutionCode, CancellationToken cancellationToken)
    {
        int? chainKey = null;
        if (institutionCode is not null)
        {
            var db = services.GetRequiredService<AppDbContext>();
            var code = institutionCode.Trim();
            chainKey = await db.Institutions.Where(i => i.Code == code).Select(i => (int?)i.Id).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (chainKey is null)
            {
                CliOptions.PrintError($"医療機関コード {code} は登録されていません。", "cli.institution_unknown");
                return 2;
            }
        }

        var reports = await services.GetRequiredService<AuditChainVerifier>().VerifyAsync(chainKey, cancellationToken).ConfigureAwait(false);
        var broken = 0;
        foreach (var report in reports)
        {
            var name = report.ChainKey == 0 ? "機関なし(chain 0)" : string.Create(CultureInfo.InvariantCulture, $"institution id {report.ChainKey}");
            if (report.Break is not { } failure)
            {
                Console.WriteLine($"OK  {name}: {report.Entries.ToString(CultureInfo.InvariantCulture)}件, head {report.HeadHash}");
                continue;
            }

            broken++;
            var when = failure.OccurredAt is { } at ? at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"NG  {name}: 最初の不整合 id={failure.EntryId?.ToString(CultureInfo.InvariantCulture) ?? "-"} sequence={failure.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "-"} time={when} [{failure.Problem}] {failure.Explanation} (直前まで{report.Entries}件は正常)"));
        }

        if (reports.Count == 0)
        {
            Console.WriteLine("監査ログはまだありません。");
        }

        return broken == 0 ? 0 : Broken;
    }
}
