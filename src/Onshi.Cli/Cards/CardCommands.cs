using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Issuing;
using Onshi.Card.Transport;
using Onshi.Card.Transport.Vpcd;
using Onshi.Card.Virtual;
using Onshi.Core.Dates;

namespace Onshi.Cli.Cards;

/// <summary>
/// <c>onshi card …</c>: test CAs, issuing virtual My Number cards, inspecting card images. Exit codes: 0 done,
/// 1 refused input (message in Japanese on stderr), 2 unreadable files.
/// </summary>
public static class CardCommands
{
    public static Command Create()
    {
        var card = new Command("card", "テスト用の仮想マイナンバーカード（発行・表示）");
        card.Subcommands.Add(CreateCaCommand());
        card.Subcommands.Add(CreateIssueCommand());
        card.Subcommands.Add(CreateShowCommand());
        card.Subcommands.Add(CreateInsertCommand());
        return card;
    }

    private static Command CreateCaCommand()
    {
        var ca = new Command("ca", "テスト用JPKI認証局");
        var create = new Command("create", "テスト用の利用者証明用CA・署名用CAを作成する");
        var output = new Option<string>("--out") { Description = "CAを書き出すフォルダ", Required = true };
        var noSign = new Option<bool>("--no-sign-ca") { Description = "署名用CAを作らない" };
        create.Options.Add(output);
        create.Options.Add(noSign);
        create.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(output)!;
            if (File.Exists(Path.Combine(directory, TestCertificateAuthority.AuthCaKeyFile)))
            {
                Console.Error.WriteLine($"{directory} には既にCAがあります。上書きしません。");
                return 1;
            }

            using var authority = TestCertificateAuthority.Create(TimeProvider.System, withSignCa: !parseResult.GetValue(noSign));
            authority.Save(directory, TimeProvider.System);
            Console.WriteLine($"テストCAを作成しました: {Path.GetFullPath(directory)}");
            Console.WriteLine($"  利用者証明用CA: {authority.AuthCa.Subject}");
            Console.WriteLine($"  券面AP CA（目視確認でカードの存在を確かめる鍵の認証局。サーバ設定 Jpki:CardFaceTrustAnchors に {TestCertificateAuthority.VisualCaFile}）: {authority.VisualCa!.Subject}");
            return 0;
        });
        ca.Subcommands.Add(create);
        return ca;
    }

    private static Command CreateIssueCommand()
    {
        var issue = new Command("issue", "仮想マイナンバーカードを発行してカードイメージ(JSON)に保存する");
        var caDir = new Option<string>("--ca") { Description = "onshi card ca create で作ったフォルダ", Required = true };
        var output = new Option<string>("--out") { Description = "カードイメージの保存先", Required = true };
        var name = new Option<string>("--name") { Description = "氏名（姓と名の間は全角スペース）", Required = true };
        var kana = new Option<string?>("--kana") { Description = "フリガナ（任意）" };
        var address = new Option<string>("--address") { Description = "住所", DefaultValueFactory = _ => "東京都千代田区霞が関１－１－１" };
        var birthDate = new Option<string>("--birth-date") { Description = "生年月日 YYYY-MM-DD", Required = true };
        var sex = new Option<string>("--sex") { Description = "male / female / na", DefaultValueFactory = _ => "na" };
        var pin = new Option<string>("--pin") { Description = "暗証番号（数字4桁、利用者証明用と券面事項入力補助用）", DefaultValueFactory = _ => "1234" };
        var securityCode = new Option<string?>("--security-code") { Description = "セキュリティコード（数字4桁、省略時は乱数）" };
        var cardExpiry = new Option<string?>("--card-expiry") { Description = "カード有効期限 YYYY-MM-DD（省略時は10回目の誕生日、18歳未満は5回目）" };
        var myNumber = new Option<string?>("--my-number") { Description = "個人番号12桁（省略時は検査用数字の正しい乱数）" };
        var expired = new Option<bool>("--expired-cert") { Description = "期限切れの利用者証明用電子証明書" };
        var revoked = new Option<bool>("--revoked-cert") { Description = "失効した利用者証明用電子証明書（CAのCRLに載せる）" };
        var faceOnly = new Option<bool>("--face-only") { Description = "顔認証マイナンバーカード（暗証番号なし）" };
        var foreign = new Option<bool>("--foreign-resident") { Description = "外国人住民（照合番号Bの生年月日が西暦）" };
        var photo = new Option<string?>("--photo") { Description = "顔写真 JPEG 2000 ファイル（省略時は合成画像）" };
        var municipality = new Option<string>("--municipality") { Description = "全国地方公共団体コード5桁", DefaultValueFactory = _ => "13221" };
        foreach (var option in new Option[] { caDir, output, name, kana, address, birthDate, sex, pin, securityCode, cardExpiry, myNumber, expired, revoked, faceOnly, foreign, photo, municipality })
        {
            issue.Options.Add(option);
        }

        issue.SetAction(parseResult =>
        {
            if (!TryDate(parseResult.GetValue(birthDate), "生年月日", out var birth))
            {
                return 1;
            }

            DateOnly? expiry = null;
            if (parseResult.GetValue(cardExpiry) is { } expiryText)
            {
                if (!TryDate(expiryText, "カード有効期限", out var parsed))
                {
                    return 1;
                }

                expiry = parsed;
            }

            Sex? parsedSex = parseResult.GetValue(sex) switch
            {
                "male" or "1" => Sex.Male,
                "female" or "2" => Sex.Female,
                "na" or "9" => Sex.NotApplicable,
                _ => null,
            };
            if (parsedSex is null)
            {
                Console.Error.WriteLine("--sex は male / female / na のいずれかです。");
                return 1;
            }

            byte[]? photoBytes = null;
            if (parseResult.GetValue(photo) is { } photoPath)
            {
                if (!File.Exists(photoPath))
                {
                    Console.Error.WriteLine($"顔写真ファイル {photoPath} がありません。");
                    return 2;
                }

                photoBytes = File.ReadAllBytes(photoPath);
            }

            var request = new CardIssueRequest
            {
                Name = parseResult.GetValue(name)!,
                NameKana = parseResult.GetValue(kana),
                Address = parseResult.GetValue(address)!,
                BirthDate = birth,
                Sex = parsedSex.Value,
                Pin = parseResult.GetValue(pin)!,
                SecurityCode = parseResult.GetValue(securityCode),
                CardExpiry = expiry,
                MyNumber = parseResult.GetValue(myNumber),
                ExpiredCertificate = parseResult.GetValue(expired),
                RevokedCertificate = parseResult.GetValue(revoked),
                FaceAuthenticationOnly = parseResult.GetValue(faceOnly),
                ForeignResident = parseResult.GetValue(foreign),
                FacePhotoJpeg2000 = photoBytes,
                MunicipalityCode = parseResult.GetValue(municipality)!,
            };
            var errors = CardIssuer.Validate(request, TimeProvider.System);
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine(error);
                }

                return 1;
            }

            TestCertificateAuthority authority;
            try
            {
                authority = TestCertificateAuthority.Load(parseResult.GetValue(caDir)!);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            using (authority)
            {
                var image = CardIssuer.Issue(request, authority, TimeProvider.System);
                var path = parseResult.GetValue(output)!;
                CardImageFile.Save(path, image);
                if (request.RevokedCertificate)
                {
                    authority.Save(parseResult.GetValue(caDir)!, TimeProvider.System);
                    Console.WriteLine($"証明書を失効させ、CRLを更新しました: {Path.Combine(parseResult.GetValue(caDir)!, TestCertificateAuthority.AuthCrlFile)}");
                }

                Console.WriteLine($"カードを発行しました: {Path.GetFullPath(path)}");
                PrintSummary(image);
            }

            return 0;
        });
        return issue;
    }

    private static Command CreateShowCommand()
    {
        var show = new Command("show", "カードイメージの内容を表示する");
        var file = new Argument<string>("file") { Description = "カードイメージ(JSON)" };
        var measure = new Option<bool>("--measure") { Description = "暗証番号モードと目視確認モードのAPDU往復回数を測る（ファイルは変更しない）" };
        show.Arguments.Add(file);
        show.Options.Add(measure);
        show.SetAction(async (parseResult, cancellationToken) =>
        {
            CardImage image;
            try
            {
                image = CardImageFile.Load(parseResult.GetValue(file)!);
            }
            catch (CardImageException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            PrintSummary(image);
            if (parseResult.GetValue(measure))
            {
                await MeasureAsync(image, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return show;
    }

    /// <summary>Runs both app operations against an in-memory copy and prints exchanges and bytes.</summary>
    private static async Task MeasureAsync(CardImage image, CancellationToken cancellationToken)
    {
        var copy = CardImageFile.Deserialize(CardImageFile.Serialize(image));
        using var card = new VirtualMyNumberCard(copy);
        using var inner = new InMemoryCardTransport(card);
        using var transport = new CountingCardTransport(inner, ownsInner: false);
        if (copy.AuthPin is { } pin)
        {
            var reader = new MyNumberCardReader(transport);
            var result = await reader.IdentifyWithPinAsync(pin, RandomNumberGenerator.GetBytes(32), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"暗証番号モード: {transport.Exchanges} exchanges, {transport.BytesSent} bytes sent, {transport.BytesReceived} bytes received ({result.Pin.Outcome})"));
        }

        transport.ResetCounts();
        inner.Reset();
        var visualReader = new MyNumberCardReader(transport);
        var code = CheckCodeB.Compose(copy.BirthDate, copy.CardExpiry.Year, copy.SecurityCode, copy.ForeignResident);
        var visual = await visualReader.ReadForVisualCheckAsync(code, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"目視確認モード: {transport.Exchanges} exchanges, {transport.BytesSent} bytes sent, {transport.BytesReceived} bytes received ({visual.CheckCode.Outcome})"));
    }

    private static void PrintSummary(CardImage image)
    {
        var era = image.ForeignResident ? "" : $"（{JapaneseDate.FromGregorian(image.BirthDate).ToDisplayString()}）";
        using var certificate = X509CertificateLoader.LoadCertificate(image.AuthCertificate);
        var lines = new[]
        {
            $"種類: {(image.Kind == CardKind.FaceAuthenticationOnly ? "顔認証マイナンバーカード" : "通常")}",
            $"氏名: {image.Name}",
            $"住所: {image.Address}",
            $"生年月日: {image.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{era}",
            $"性別: {image.Sex}",
            $"個人番号: {image.MyNumber}",
            $"カード有効期限: {image.CardExpiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            $"セキュリティコード: {image.SecurityCode}",
            $"照合番号B: {CheckCodeB.Compose(image.BirthDate, image.CardExpiry.Year, image.SecurityCode, image.ForeignResident).Value}",
            $"暗証番号: {image.AuthPin ?? "（なし）"}",
            $"利用者証明用電子証明書: {certificate.Subject} serial {certificate.SerialNumber} " +
                $"{certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}〜{certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            $"署名用電子証明書: {(image.SignCertificate is null ? "なし" : "あり")}",
            image.RetryCounters.Count == 0 ? "残り試行回数: すべて初期値" : $"残り試行回数: {string.Join(", ", image.RetryCounters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}")))}",
        };
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        if (!image.TextImagesRendered)
        {
            Console.WriteLine("注意: 氏名・住所の画像は空の仮画像です（発行時に ImageMagick または Noto CJK フォントがありませんでした）。");
        }
    }

    private static bool TryDate(string? text, string what, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        Console.Error.WriteLine($"{what}は YYYY-MM-DD の形式で入力してください（例: 1980-02-17）。");
        return false;
    }

    private static Command CreateInsertCommand()
    {
        var insert = new Command("insert", "カードイメージを vpcd のリーダースロットに挿入する（Ctrl+C で取り出す）");
        var file = new Argument<string>("file") { Description = "カードイメージ(JSON)。暗証番号の残り回数はこのファイルに保存される" };
        var host = new Option<string>("--host") { Description = "vpcd のホスト", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "vpcd のポート（35963 = Virtual PCD 00 00, 35964 = 00 01）", DefaultValueFactory = _ => 35963 };
        insert.Arguments.Add(file);
        insert.Options.Add(host);
        insert.Options.Add(port);
        insert.SetAction(async (parseResult, cancellationToken) =>
        {
            VirtualMyNumberCard card;
            try
            {
                card = VirtualMyNumberCard.Open(parseResult.GetValue(file)!);
            }
            catch (CardImageException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            var portNumber = parseResult.GetValue(port);
            if (portNumber is <= 0 or > 65535)
            {
                Console.Error.WriteLine("ポート番号は 1〜65535 で指定してください。");
                return 1;
            }

            var hostName = parseResult.GetValue(host)!;
            Console.WriteLine($"カードを {hostName}:{portNumber.ToString(CultureInfo.InvariantCulture)} の vpcd に挿入しました。Ctrl+C で取り出します。");
            await VpcdCardHolder.RunAsync(card, hostName, portNumber, cancellationToken, message => Console.WriteLine(message))
                .ConfigureAwait(false);
            Console.WriteLine("カードを取り出しました。");
            return 0;
        });
        return insert;
    }
}
