using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Cli.Hosting;
using Onshi.Server.Audit;
using Onshi.Server.Data;

namespace Onshi.Cli.Audit;

/// <summary>
/// `onshi audit verify [--institution CODE]`: recomputes the audit hash chains and names the first broken record.
/// Exit code 0 = every chain intact, 3 = a chain is broken, 2 = bad arguments, 1 = the database could not be read.
/// </summary>
internal static class AuditCommands
{
    public const int Broken = 3;

    public static Command Create()
    {
        var institution = new Option<string?>("--institution") { Description = "この医療機関コードのチェーンだけを検証します (省略時はすべて)" };
        var provider = CliOptions.Provider();
        var connection = CliOptions.Connection();
        var verify = new Command("verify", "監査ログのハッシュチェーンを検証し、最初に壊れている記録を表示します") { institution, provider, connection };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliOptions.TryCheckProvider(parse.GetValue(provider)))
            {
                return 2;
            }

            try
            {
                await using var app = CliHost.Build(parse.GetValue(provider), parse.GetValue(connection));
                return await CliHost.InScopeAsync(app, services => RunAsync(services, parse.GetValue(institution), cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                CliOptions.PrintError($"監査ログを検証できませんでした: {exception.GetBaseException().Message}", "cli.audit_verify_failed");
                return 1;
            }
        });

        return new Command("audit", "監査ログ") { verify };
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
