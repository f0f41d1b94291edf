using System.Collections.Frozen;
using Onshi.Server.Common;

namespace Onshi.Server.Receipt;

/// <summary>
/// Refusals of the レセコン interface, portal and API alike as <see cref="Refusal"/>. The API's HTTP status and the wire
/// code (ONSR####) that the agent writes into ErrorCode / ProcessingResultCode of a response file come from
/// <see cref="ReceiptWire"/>, at the edge.
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
    public static readonly Refusal CredentialsInvalid = new("receipt.credentials_invalid",
        "連携アプリ用アカウントのクライアントIDまたはシークレットが正しくないか、アカウントが利用停止されています。管理者に確認してください。");

    public static readonly Refusal HttpsRequired = new("receipt.https_required",
        "連携アプリ用アカウントでの接続には HTTPS が必要です。");

    public static readonly Refusal InstitutionMismatch = new("receipt.institution_mismatch",
        "要求の医療機関コードが、この連携アプリ用アカウントの医療機関と一致しません。");

    public static readonly Refusal ReceptionNumberUnknown = new("receipt.reception_number_unknown",
        "受付番号に該当する一括要求がありません。");

    public static readonly Refusal RequestInvalid = new("receipt.request_invalid",
        "要求の形式が正しくありません。");

    public static readonly Refusal ReceptionNumberOtherKind = new("receipt.reception_number_other_kind",
        "受付番号は別の種類の一括要求のものです。");

    public static readonly Refusal BulkJobFailed = new("receipt.bulk_failed",
        "一括要求の処理に失敗しました。もう一度要求してください。");

    /// <summary>Row level: no qualification matches the card fields of a 照会番号登録.</summary>
    public static readonly Refusal RegistrationNoQualification = new("receipt.registration_no_qualification",
        "被保険者証の記号・番号等に該当する資格が見つかりません。");

    /// <summary>Row level: the card fields match more than one person.</summary>
    public static readonly Refusal RegistrationAmbiguous = new("receipt.registration_ambiguous",
        "被保険者証の記号・番号等に該当する方が複数います。枝番を指定してください。");
}

/// <summary>Where a refusal of the レセコン API goes on the wire: the ONSR code of response files and the HTTP status.</summary>
public sealed record ReceiptWire(string WireCode, int Status)
{
    private static readonly FrozenDictionary<string, ReceiptWire> ByCode = new Dictionary<string, ReceiptWire>(StringComparer.Ordinal)
    {
        [ReceiptRefusals.CredentialsInvalid.Code] = new("ONSR0001", 401),
        [ReceiptRefusals.HttpsRequired.Code] = new("ONSR0002", 403),
        [ReceiptRefusals.InstitutionMismatch.Code] = new("ONSR0003", 403),
        [ReceiptRefusals.ReceptionNumberUnknown.Code] = new("ONSR0004", 404),
        [ReceiptRefusals.RequestInvalid.Code] = new("ONSR0005", 400),
        [ReceiptRefusals.ReceptionNumberOtherKind.Code] = new("ONSR0006", 409),
        [ReceiptRefusals.BulkJobFailed.Code] = new("ONSR0007", 500),
        [ReceiptRefusals.RegistrationNoQualification.Code] = new("ONSR0101", 200),
        [ReceiptRefusals.RegistrationAmbiguous.Code] = new("ONSR0102", 200),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The wire code and status of <paramref name="refusal"/>; a refusal missing from the table is a programming error.</summary>
    public static ReceiptWire Of(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return ByCode.TryGetValue(refusal.Code, out var wire)
            ? wire
            : throw new InvalidOperationException($"The レセコン API has no wire code for the refusal '{refusal.Code}'.");
    }
}
