using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Core.Identifiers;
using Onshi.Server.Data;
using Onshi.Server.Hosting;
using Onshi.Server.Institutions;
using Onshi.Demo;
using Onshi.App.Hosting;
using Onshi.Card.Issuing;

namespace Onshi.Cli.Hosting;

/// <summary>
/// `onshi demo`: a self-contained demonstration on SQLite under ./data/demo — migrates, seeds one institution with an
/// administrator, starts the server and prints where to log in. The demo administrator's initial password is fixed
/// for convenience but, like any initial password, must be changed at the first login.
/// </summary>
internal static class DemoCommand
{
    public const string DemoInitialPassword = "onshi-demo-initial";
    private const string DemoDirectory = "data/demo";
    public const string DemoInstitutionName = "Onshiデモ薬局";
    public const string DemoEnvironment = "Demo";

    // 東京都(13) 調剤(4) 郡市区 01 番号 2345 + 検証番号, computed so it is always valid.
    public static readonly string DemoInstitutionCode = MedicalInstitutionCode.FromBody("134012345").Value;

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "サーバ（ポータル）の URL", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var appUrls = new Option<string>("--app-urls") { Description = "マイナ資格確認アプリ（端末側画面）の URL", DefaultValueFactory = _ => "http://127.0.0.1:5081" };
        var command = new Command("demo", "デモデータ入りのサーバとマイナ資格確認アプリを起動します (SQLite: ./data/demo/onshi.db)") { urls, appUrls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var url = parse.GetValue(urls)!;
                var appUrl = parse.GetValue(appUrls)!;
                // The demo's cards are issued by a test CA of its own; the server trusts exactly that CA.
                var trustAnchor = DemoPopulation.PrepareCertificateAuthority(DemoDirectory, TimeProvider.System);
                var (certificate, password) = PrepareKeyEncryptionCertificate();
                await using var app = CliHost.Build("Sqlite", "Data Source=data/demo/onshi.db", url, withPipeline: true,
                    new Dictionary<string, string?>
                    {
                        ["Jpki:TrustAnchors"] = trustAnchor,
                        ["Jpki:CardFaceTrustAnchors"] = Path.Combine(Path.GetDirectoryName(trustAnchor)!, TestCertificateAuthority.VisualCaFile),
                        ["DataProtection:KeyEncryptionCertificate"] = certificate,
                        ["DataProtection:KeyEncryptionCertificatePassword"] = password,
                    },
                    // A demonstration on loopback with a test CA is not a Production installation (ProductionSafety).
                    environment: DemoEnvironment);
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

                if (fresh)
                {
                    var population = await DemoPopulation.CreateAsync(app.Services, DemoDirectory, TimeProvider.System, cancellationToken)
                        .ConfigureAwait(false);
                    if (population.RevocationListRefusal is not null)
                    {
                        Console.Error.WriteLine($"注意: デモの失効リストを登録できませんでした: {population.RevocationListRefusal}");
                    }
                }

                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await using var device = OnshiApp.Build(new AppOptions
                {
                    Server = new Uri(url.TrimEnd('/') + "/"),
                    Url = new Uri(appUrl),
                    DataFolder = Path.GetFullPath(Path.Combine(DemoDirectory, "app")),
                    Reader = "simulated",
                    CardsFolder = Path.GetFullPath(Path.Combine(DemoDirectory, "cards")),
                });
                await device.StartAsync(cancellationToken).ConfigureAwait(false);
                Console.WriteLine();
                Console.WriteLine("Onshi デモを起動しました" + (fresh ? "" : " (既存のデモデータ: ./data/demo)"));
                Console.WriteLine($"  ポータル:     {url.TrimEnd('/')}/Login");
                Console.WriteLine($"  機関コード:   {DemoInstitutionCode} ({DemoInstitutionName})");
                Console.WriteLine($"  ユーザーID:   {CreateInstitution.DefaultAdministratorUserId}");
                Console.WriteLine(pendingFirstLogin
                    ? $"  パスワード:   {DemoInitialPassword} (初期パスワード。初回ログイン時に変更します)"
                    : "  パスワード:   初回ログイン時に設定したもの (やり直すには ./data/demo を削除してください)");
                Console.WriteLine($"  アプリ:       {appUrl.TrimEnd('/')}/  (端末側の画面)");
                Console.WriteLine($"  カード:       {appUrl.TrimEnd('/')}/Panel  (模擬カードリーダー。アプリ画面右上の「模擬カードリーダー（デモ用）を開く」からも開けます)");
                Console.WriteLine($"  デモカード:   {Path.GetFullPath(Path.Combine(DemoDirectory, "cards.csv"))} (氏名・想定・暗証番号・照合番号Bの一覧)");
                Console.WriteLine("  アプリを使う前に、ポータルで事前準備（環境設定・アクティベーションコード発行・アカウント登録と初回ログイン）をしてください。");
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

    /// <summary>
    /// The demo's key-encryption certificate (Data Protection keys are stored encrypted with it), created on the first
    /// run under ./data/demo. Its password sits in a file next to it, which is acceptable for a demonstration only: a
    /// real installation passes it in DataProtection__KeyEncryptionCertificatePassword (docs/security.md).
    /// </summary>
    private static (string Certificate, string Password) PrepareKeyEncryptionCertificate()
    {
        var certificate = Path.GetFullPath(Path.Combine(DemoDirectory, "key-encryption.pfx"));
        var passwordFile = certificate + ".password";
        if (!File.Exists(certificate))
        {
            var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            KeyEncryption.CreateCertificateFile(certificate, password, TimeProvider.System.GetUtcNow());
            File.WriteAllText(passwordFile, password);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return (certificate, File.ReadAllText(passwordFile).Trim());
    }
}
