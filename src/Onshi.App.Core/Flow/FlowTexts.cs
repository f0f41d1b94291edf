using Onshi.Card.Transport;

namespace Onshi.App.Core.Flow;

/// <summary>
/// Every sentence the app's flow says to staff and patients, in one place, so wording is reviewed (and kept consistent:
/// 資格確認書, ユーザーID) without reading the state machine. Refusals from the server bring their own sentence
/// (<c>Detail</c>); the suffixes here say what to do next on this device.
/// </summary>
internal static class FlowTexts
{
    // 初期設定 and ログイン
    public const string InstitutionCodeFormat = "機関コードは10桁の数字（医療機関コード）で入力してください。";
    public const string SetupFieldsRequired = "機関コード、ユーザーID、パスワード、アクティベーションコードをすべて入力してください。";
    public const string LoginFieldsRequired = "ユーザーIDとパスワードを入力してください。";
    public const string LoggedOut = "ログアウトしました。";
    public const string LoggedOutIdle = "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。";
    public const string LogInAgainSuffix = " もう一度ログインしてください。";

    public static string SetupCompleted(string institutionName, string deviceLabel) =>
        $"初期設定が完了しました（{institutionName}・端末「{deviceLabel}」）。ログインしてください。";

    // The device
    public const string DeviceWiped = "この端末の登録情報を削除しました。使うには初期設定をやり直してください。";
    public const string DeviceInvalidatedWiped = "この端末は管理者によって無効化されたため、端末の登録情報を削除しました。引き続き使う場合は、管理者に新しいアクティベーションコードの発行を依頼し、初期設定をやり直してください。";

    // 利用目的
    public const string PurposeNoLongerEnabled = "この利用目的は医療機関の環境設定で「利用する」になっていません（管理者が設定を変更した可能性があります）。利用できる目的を選んでください。";
    public const string NoPurposeEnabled = "外来診療等・訪問診療等・オンライン診療等のいずれも「利用する」になっていないため、資格確認を行えません。管理者に環境設定情報の確認を依頼してください。";

    // 暗証番号
    public const string PinJustBlocked = "入力された暗証番号が違います。暗証番号を続けて間違えたため、このカードの暗証番号はロックされました。";

    public static string PinTriesLeftWarning(int left) => $"暗証番号をあと{left}回間違えるとロックされます。";

    public static string WrongPin(int? triesLeft) => $"暗証番号が違います。もう一度入力してください（残り{triesLeft}回）。";

    // 照合番号B and 目視確認
    public const string BirthDatePrefix = "生年月日：";
    public const string BirthDateInFuture = "生年月日：未来の日付になっています。元号を確認してください。";
    public const string CheckCodeBlocked = "照合番号Bを続けて間違えたため、このカードの券面情報は読み取れなくなりました。患者さんに、お住まいの市区町村窓口での手続きをご案内ください。";
    public const string NotIdentified = "本人と確認できなかったため、資格確認を行いませんでした。資格確認書などほかの方法で確認してください。";

    public static string CheckCodeMismatch(int? triesLeft) =>
        $"照合番号Bが一致しません。生年月日・有効期限の年・セキュリティコードを確認してください（残り{triesLeft}回）。";

    // Sending the result
    public const string PreviousOutcomeUnknown = "前の患者さんの送信結果がまだ確認できていません。「もう一度送信する」を押してください。";
    public const string PreviousOutcomeAbandoned = "前の患者さんの送信結果は確認できないままです。接続が戻ってから、資格確認端末の結果一覧で確認してください。";
    public const string OutcomeUnknownSuffix = " 送信できたかどうか確認できません。「もう一度送信する」を押すと同じ内容で送り直します（二重に記録されることはありません）。";
    public const string ReadCardAgainSuffix = " もう一度カードの読み取りからやり直してください。";
    public const string KeepCardAndRetrySuffix = " カードを置いたまま、もう一度読み取ってください。";
    public const string KeepCardAndRetryWhenBackSuffix = " 読み取った内容はこの端末から消去しました。接続が戻ったら、カードを置いたまま、もう一度読み取ってください。" + OutageAdvice;
    public const string ChallengeMalformed = "サーバーから受け取ったチャレンジの形式が正しくありません。管理者に連絡してください。";

    // No answer from the server (src/Onshi.App.Core/Api: network.* codes). The first sentence says what the device saw,
    // the suffix what to do on the screen it happened on; OutageAdvice names the fallback of docs/operator-guide.md 5-1.
    public const string OutageAdvice = " 接続が戻らないときは、このアプリを使わず、保険証または資格確認書で資格を確認してください（運用ガイド「サーバーにつながらないとき」）。";
    public const string RetrySetupWhenBack = " 接続が戻ったら、もう一度「登録する」を押してください。";
    public const string RetryLoginWhenBack = " 接続が戻ったら、もう一度ログインしてください。" + OutageAdvice;
    public const string RetryWhenBack = " 接続が戻ったら、もう一度同じボタンを押してください。" + OutageAdvice;
    public const string PinNotSentSuffix = " 暗証番号はカードに送っていないため、入力できる回数は減っていません。接続が戻ったら、もう一度入力してください。" + OutageAdvice;

    public static string NoAnswer(string code, int? httpStatus) => code switch
    {
        Api.ApiCodes.NetworkRefused => "サーバーに接続できませんでした（接続を拒否されました）。サーバーが停止しているか、再起動中の可能性があります。",
        Api.ApiCodes.NetworkNameResolution => "サーバーに接続できませんでした（サーバーのアドレスが見つかりません）。ネットワークの接続を確認してください。続く場合は管理者に連絡してください。",
        Api.ApiCodes.NetworkTls => "サーバーに安全に接続できませんでした（サーバーの証明書を確認できません）。管理者に連絡してください。",
        Api.ApiCodes.NetworkTimeout => "サーバーからの応答が時間内にありませんでした。ネットワークの接続を確認してください。",
        Api.ApiCodes.NetworkConnectionLost => "通信の途中でサーバーとの接続が切れました。ネットワークの接続を確認してください。",
        Api.ApiCodes.NetworkServerUnavailable => $"サーバーが一時的に応答できません（HTTP {httpStatus}）。しばらくしてからもう一度お試しください。",
        _ => "サーバーに接続できませんでした。ネットワーク（LANケーブル・Wi-Fi）の接続を確認してください。",
    };

    // The card
    public const string NotAMyNumberCard = "このカードはマイナンバーカードとして読み取れませんでした。カードを確認して置き直してください。";

    public static string CardTransport(CardTransportError error) => error switch
    {
        CardTransportError.NoCard => "カードが置かれていません。カードをカードリーダーに置いてください。",
        CardTransportError.CardRemoved => "読み取りの途中でカードが離れました。カードを置き直して、もう一度お願いします。",
        CardTransportError.ReaderUnavailable => "カードリーダーが見つかりません。接続を確認してください。",
        CardTransportError.Timeout => "カードの応答がありませんでした。カードを置き直してください。",
        _ => "カードを読み取れませんでした。カードを置き直してください。",
    };
}
