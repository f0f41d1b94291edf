using Onshi.Jpki;
using Onshi.Server.Common;

namespace Onshi.Server.Confirmations;

/// <summary>
/// Refusals of 事前確認 and 資格確認 (including 目視確認 and JPKI verification); HTTP statuses are assigned by the app API. The app branches only on <c>Code</c> and shows <c>Message</c> (docs/app-api.md), so both are stable and
/// each message says what the staff member should do next.
/// </summary>
public static class ConfirmationRefusals
{
    public static readonly Refusal IdempotencyKeyRequired = new("idempotency.key_required", "要求に再送用の識別子(Idempotency-Key)がありません。アプリを最新の状態にしてください。");
    public static readonly Refusal IdempotencyConflict = new("idempotency.conflict", "同じ識別子で異なる内容の要求が送られました。最初からやり直してください。");
    public static readonly Refusal VisualAttestationRequired = new("confirmation.visual_attestation_required", "目視確認では、顔写真が本人と一致することの確認が必要です。");
    public static readonly Refusal SignatureRequired = new("confirmation.signature_required", "暗証番号による本人確認では、カードの電子署名が必要です。もう一度カードを読み取ってください。");
    public static readonly Refusal CardNotLinked = new("card.not_linked", "このマイナンバーカードは健康保険証として利用登録されていません。患者さんに保険証利用登録をご案内し、資格確認書等で確認してください。");
    public static readonly Refusal ConfirmationNotFound = new("confirmation.not_found", "資格確認結果が見つかりません。");
    public static readonly Refusal VisualNotAllowedForPurpose = new("visual.not_allowed_for_purpose",
        "オンライン診療等では目視確認は使えません。患者さんご本人に暗証番号を入力していただいてください。");
    public static readonly Refusal CardProofRequired = new("visual.card_proof_required",
        "目視確認では、カードがその場にあることの確認(カードによる署名)が必要です。カードをもう一度読み取ってください。");

    public static readonly Refusal PrescriptionIssueRequired = new("confirmation.prescription_issue_required",
        "処方箋の発行形態(紙の処方箋/電子処方箋)が選択されていません。患者さんに選択していただいてから、もう一度送信してください。");

    public static readonly Refusal PrescriptionIssueUnknown = new("confirmation.prescription_issue_unknown",
        "処方箋の発行形態は「紙の処方箋」か「電子処方箋」のどちらかを選択してください。アプリを最新の状態にしてください。");

    public static readonly Refusal PinBlocked = new("card.pin_blocked",
        "このカードでは暗証番号による本人確認ができません（暗証番号のロック、又は暗証番号のない顔認証マイナンバーカード）。目視確認又は資格確認書等で確認してください。");

    /// <summary>The refusal for a failed 目視確認 card-presence proof: a stable <c>visual.*</c> code and a Japanese message.</summary>
    public static Refusal CardPresence(CardPresenceFailure failure) => failure switch
    {
        CardPresenceFailure.NotConfigured => new("visual.not_configured",
            "このサーバーでは目視確認のカード確認が設定されていないため、目視確認は使えません。暗証番号で本人確認するか、資格確認書等で確認してください。"),
        CardPresenceFailure.MalformedCertificate => new("visual.card_certificate_malformed",
            "カードの券面事項確認用の証明書を読み取れませんでした。カードをもう一度読み取ってください。"),
        CardPresenceFailure.UntrustedCertificate => new("visual.card_certificate_untrusted",
            "カードの券面事項確認用の証明書を確認できませんでした。正規のマイナンバーカードではない可能性があります。資格確認書等で確認してください。"),
        CardPresenceFailure.CertificateExpired => new("visual.card_certificate_expired",
            "カードの券面事項確認用の証明書が有効期間外です。カードの有効期限を確認し、資格確認書等で確認してください。"),
        CardPresenceFailure.BadSignature => new("visual.card_signature_invalid",
            "カードによる署名を確認できませんでした。カードをかざし直して、最初からやり直してください。"),
        CardPresenceFailure.CardFaceInvalid => new("visual.card_face_invalid",
            "カードの券面情報の署名を確認できませんでした。カードをかざし直して、最初からやり直してください。"),
        CardPresenceFailure.OtherCard => new("visual.other_card",
            "署名したカードと、読み取った電子証明書のカードが一致しません。同じカードで最初からやり直してください。"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>The refusal for a JPKI verification failure: its stable <c>jpki.*</c> code and Japanese message.</summary>
    public static Refusal Jpki(JpkiFailureReason reason) => new(JpkiFailures.MachineCode(reason), JpkiFailures.Message(reason));
}
