using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Onshi.Card.Issuing;
using Onshi.Server.Common;
using Onshi.Demo;

namespace Onshi.Cli.Generate;

/// <summary>
/// <c>onshi generate --persons N --seed S --out DIR [--cards K --ca DIR]</c>: テスト用データセットアップ. Writes the import
/// CSV files for a synthetic population; with --cards also issues virtual cards for the first K persons (PINs in
/// cards.csv) and writes card-links.csv, so importing everything gives a linked population.
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "テスト用の被保険者データ（CSV）と仮想マイナンバーカードを生成する");
        var persons = new Option<int>("--persons") { Description = "人数", Required = true };
        var seed = new Option<int>("--seed") { Description = "乱数の種（同じ値なら同じデータ）", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "出力フォルダ", Required = true };
        var cards = new Option<int>("--cards") { Description = "先頭から何人分のカードを発行するか", DefaultValueFactory = _ => 0 };
        var caOption = new Option<string?>("--ca") { Description = "テストCAのフォルダ（なければ作成）。--cards と一緒に指定" };
        var noMedical = new Option<bool>("--no-medical") { Description = "医療情報（薬剤・健診・診療・手術）を生成しない" };
        var todayOption = new Option<string?>("--today") { Description = "基準日 yyyy-MM-dd（省略時は今日）" };
        foreach (var option in new Option[] { persons, seed, output, cards, caOption, noMedical, todayOption })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var count = parseResult.GetValue(persons);
            var cardCount = parseResult.GetValue(cards);
            var directory = parseResult.GetValue(output)!;
            var caDirectory = parseResult.GetValue(caOption);
            if (count < 1 || cardCount < 0 || cardCount > count)
            {
                Console.Error.WriteLine("--persons は1以上、--cards は0以上かつ人数以下にしてください。");
                return 1;
            }

            if (cardCount > 0 && caDirectory is null)
            {
                Console.Error.WriteLine("--cards を指定するときは --ca でテストCAのフォルダを指定してください。");
                return 1;
            }

            var today = JapanTime.Today(TimeProvider.System);
            if (parseResult.GetValue(todayOption) is { } text && !JapanTime.TryParseDate(text, out today))
            {
                Console.Error.WriteLine("--today は yyyy-MM-dd で指定してください。");
                return 1;
            }

            var clock = Stopwatch.StartNew();
            var summary = SyntheticDataWriter.Write(directory, new SyntheticOptions
            {
                Persons = count,
                Seed = parseResult.GetValue(seed),
                Today = today,
                MedicalRecords = !parseResult.GetValue(noMedical),
                KeepFirst = cardCount,
            });
            foreach (var (file, rows) in summary.Rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}.csv: {rows:N0} 行"));
            }

            if (cardCount > 0)
            {
                if (!File.Exists(Path.Combine(caDirectory!, TestCertificateAuthority.AuthCaKeyFile)))
                {
                    using var created = TestCertificateAuthority.Create(TimeProvider.System);
                    created.Save(caDirectory!, TimeProvider.System);
                }

                using var ca = TestCertificateAuthority.Load(caDirectory!);
                var issued = SyntheticCards.IssueAndWrite(summary.FirstPersons.Select(p => (p, p.Valid ? "有効" : "資格喪失", (Func<CardIssueRequest, CardIssueRequest>)(r => r), (int?)null)),
                    ca, directory, TimeProvider.System, parseResult.GetValue(seed));
                ca.Save(caDirectory!, TimeProvider.System);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cards: {issued.Count:N0} 枚（暗証番号は cards.csv、利用登録は card-links.csv）"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(directory)} に出力しました（{clock.Elapsed.TotalSeconds:0.0} 秒）。取り込み順: insurers → persons → 証・医療情報 → card-links"));
            return 0;
        });
        return command;
    }
}
