using Onshi.Server.Common;

namespace Onshi.Server.Receipt;

/// <summary>
/// Refusals of the レセコン interface. Portal refusals use <see cref="Refusal"/>; API refusals carry the HTTP status and
/// the wire code (ONSR####) that the agent writes into ErrorCode / ProcessingResultCode of a response file.
/// </summary>
public static class ReceiptRefusals
{
    // Portal (連携アプリ用アカウント管理)
    public static readonly Refusal LabelRequired = new("machine_account.label_required", "連携アプリ用アカウントの名称(例: 受付レセコン1)を入力してください。", "Label");
    public static readonly Refusal LabelTooLong = new("machine_account.label_too_long", "名称は40文字以内で入力してください。", "Label");
    public static readonly Refusal MachineAccountNotFound = new("machine_account.not_found", "連携アプリ用アカウントが見つかりません。");
    public static readonly Refusal MachineAccountStopped = new("machine_account.stopped", "この連携アプリ用アカウントは利用停止されています。");
    public static readonly Refusal ChangedConcurrently = new("machine_account.changed_concurrently", "他の管理者がこのアカウントを更新しました。一覧を開き直してから操作してください。");

    // API
    public static readonly ApiRefusal CredentialsInvalid = new("receipt.credentials_invalid", "ONSR0001", 401,
        "連携アプリ用アカウントのクライアントIDまたはシークレットが正しくないか、アカウントが利用停止されています。管理者に確認してください。");

    public static readonly ApiRefusal HttpsRequired = new("receipt.https_required", "ONSR0002", 403,
        "連携アプリ用アカウントでの接続には HTTPS が必要です。");

    public static readonly ApiRefusal InstitutionMismatch = new("receipt.institution_mismatch", "ONSR0003", 403,
        "要求の医療機関コードが、この連携アプリ用アカウントの医療機関と一致しません。");

    public static readonly ApiRefusal ReceptionNumberUnknown = new("receipt.reception_number_unknown", "ONSR0004", 404,
        "受付番号に該当する一括要求がありません。");

    public static readonly ApiRefusal RequestInvalid = new("receipt.request_invalid", "ONSR0005", 400,
        "要求の形式が正しくありません。");

    public static readonly ApiRefusal ReceptionNumberOtherKind = new("receipt.reception_number_other_kind", "ONSR0006", 409,
        "受付番号は別の種類の一括要求のものです。");

    public static readonly ApiRefusal BulkJobFailed = new("receipt.bulk_failed", "ONSR0007", 500,
        "一括要求の処理に失敗しました。もう一度要求してください。");

    /// <summary>Row level: no qualification matches the card fields of a 照会番号登録.</summary>
    public static readonly ApiRefusal RegistrationNoQualification = new("receipt.registration_no_qualification", "ONSR0101", 200,
        "被保険者証の記号・番号等に該当する資格が見つかりません。");

    /// <summary>Row level: the card fields match more than one person.</summary>
    public static readonly ApiRefusal RegistrationAmbiguous = new("receipt.registration_ambiguous", "ONSR0102", 200,
        "被保険者証の記号・番号等に該当する方が複数います。枝番を指定してください。");
}

/// <summary>An API refusal: machine code, wire code for response files, HTTP status and a Japanese message.</summary>
public sealed record ApiRefusal(string Code, string WireCode, int Status, string Message);
