using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Import;

namespace Onshi.Cli.Import;

/// <summary>
/// <c>onshi import KIND FILE</c>: validates every row, then applies the whole file or nothing (docs/import.md).
/// Exit codes: 0 applied, 1 refused (each error on stderr with its line), 2 file not readable.
/// </summary>
public static class ImportCommands
{
    public static Command Create()
    {
        var import = new Command("import", "CSVファイルを取り込む（全行を検証し、1行でも誤りがあれば何も取り込まない）");
        var exclusive = new Option<bool>("--exclusive")
        {
            Description = "PostgreSQL: 取込中は対象テーブルの外部キーを外して最後にまとめて検証する（大量の初期投入用）。"
                + "取込が終わるまで対象テーブルを排他ロックするため、稼働中の資格確認はその間待たされる",
        };
        foreach (var kind in ImportFileTypes.Kinds)
        {
            var command = new Command(kind, $"{kind} ファイルを取り込む");
            var file = new Argument<FileInfo>("FILE") { Description = "UTF-8 の CSV ファイル（1行目は見出し）" };
            command.Arguments.Add(file);
            CliDatabase.AddTo(command);
            command.Options.Add(exclusive);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                var path = parseResult.GetValue(file)!;
                if (!path.Exists)
                {
                    await Console.Error.WriteLineAsync($"ファイル {path.FullName} が見つかりません。").ConfigureAwait(false);
                    return 2;
                }

                await using var services = CliDatabase.Services(parseResult);
                await using var scope = services.CreateAsyncScope();
                var importer = scope.ServiceProvider.GetRequiredService<CsvImporter>();
                var result = await importer.ImportAsync(kind, () => new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
                    new ImportOptions { ExclusiveLoad = parseResult.GetValue(exclusive) }, Report, cancellationToken).ConfigureAwait(false);
                return Print(result);
            });
            import.Subcommands.Add(command);
        }

        return import;
    }

    private static void Report(ImportProgress p)
    {
        var seconds = Math.Max(p.PhaseElapsed.TotalSeconds, 0.001);
        var percent = p.TotalBytes > 0 ? string.Create(CultureInfo.InvariantCulture, $" {100.0 * p.BytesRead / p.TotalBytes,5:0.0}%") : "";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{p.Phase}] {p.Rows,12:N0} 行{percent}  {p.Rows / seconds,10:N0} 行/秒（通算 {p.Elapsed.TotalSeconds:0.0} 秒）"));
    }

    internal static int Print(ImportResult result)
    {
        if (result.Applied)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Kind}: {result.Rows:N0} 行を取り込みました（{result.Elapsed.TotalSeconds:0.0} 秒、{result.Rows / Math.Max(result.Elapsed.TotalSeconds, 0.001):N0} 行/秒）。"));
            return 0;
        }

        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine(error.ToString());
        }

        if (result.ErrorCount > result.Errors.Count)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"…ほか {result.ErrorCount - result.Errors.Count:N0} 件の誤り"));
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Kind}: 誤りが {result.ErrorCount:N0} 件あったため、何も取り込みませんでした。"));
        return 1;
    }
}
