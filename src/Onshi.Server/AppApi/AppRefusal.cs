using Onshi.Jpki;
using Onshi.Server.Common;

namespace Onshi.Server.AppApi;

/// <summary>A refusal of the app API: the machine code and Japanese sentence of <see cref="Refusal"/> plus its HTTP status.</summary>
public sealed record AppRefusal(string Code, string Message, int Status)
{
    public Refusal ToRefusal() => new(Code, Message);
}

/// <summary>
/// Every refusal of the app API (docs/app-api.md). The app branches only on <c>Code</c> and shows <c>Message</c>, so each
/// message says what the staff member should do next.
/// </summary>
public static class AppRefusals
{
    // Proof of possession (DPoP-style)
    public static readonly AppRefusal ProofInvalid = new("dpop.invalid", "端末の認証情報を確認できませんでした。端末の時刻が正しいことを確認し、もう一度操作してください。", 401);
    public static readonly AppRefusal ProofReplayed = new("dpop.replayed", "同じ要求が再送されたため受け付けませんでした。もう一度操作してください。", 401);

    // Devices
    public static readonly AppRefusal DeviceUnknown = new("device.unknown", "この端末は利用登録されていません。初期設定を行ってください。", 401);
    public static readonly AppRefusal DeviceInvalidated = new("device.invalidated", "この端末は管理者により無効化されました。引き続き利用する場合は、管理者に新しいアクティベーションコードの発行を依頼し、初期設定をやり直してください。", 401);
    public static readonly AppRefusal DeviceKeyAlreadyRegistered = new("device.key_already_registered", "この端末は既に利用登録されています。アプリを再インストールした場合は初期設定をやり直してください。", 409);

    // Accounts (activation and staff login)
    public static readonly AppRefusal CredentialsInvalid = new("app.credentials_invalid", "機関コード、ユーザーID又はパスワードが正しくないか、現在このアカウントは利用できません。", 401);
    public static readonly AppRefusal AccountLocked = new("app.account_locked", "パスワードの誤りが続いたため、このアカウントはロックされています。しばらく待つか、管理者にロック解除を依頼してください。", 403);
    public static readonly AppRefusal AccountOutsidePeriod = new("app.account_outside_period", "このアカウントは利用期間外です。管理者に利用期間の確認を依頼してください。", 403);
    public static readonly AppRefusal AccountNeverLoggedIn = new("app.account_never_logged_in", "このアカウントはまだ資格確認端末でログインしていません。資格確認端末で一度ログインし、パスワードを変更してください。", 403);
    public static readonly AppRefusal RoleNotAllowed = new("app.role_not_allowed", "このアカウントの権限区分ではマイナ資格確認アプリを利用できません。「一般利用者」又は「医療情報閲覧」のアカウントを使用してください。", 403);
    public static readonly AppRefusal NoPurposeEnabled = new("app.no_purpose_enabled", "外来診療等・訪問診療等・オンライン診療等のいずれの機能も利用する設定になっていません。管理者に環境設定情報の確認を依頼してください。", 403);
    public static readonly AppRefusal RequestInvalid = new("app.request_invalid", "要求の内容が正しくありません。アプリを最新の状態にしてから、もう一度操作してください。", 400);

    // Activation codes (messages of the portal catalogue, with what to do)
    public static readonly AppRefusal ActivationCodeUnknown = new(Refusals.ActivationCodeUnknown.Code, "アクティベーションコードが正しくありません。入力内容を確認してください。", 400);
    public static readonly AppRefusal ActivationCodeUsed = new(Refusals.ActivationCodeUsed.Code, "このアクティベーションコードは既に他の端末で使用されています。管理者に新しいコードの発行を依頼してください。", 409);
    public static readonly AppRefusal ActivationCodeInvalidated = new(Refusals.ActivationCodeInvalidated.Code, "このアクティベーションコードは無効化されています。管理者に新しいコードの発行を依頼してください。", 409);
    public static readonly AppRefusal ActivationCodeExpired = new(Refusals.ActivationCodeExpired.Code, Refusals.ActivationCodeExpired.Message, 409);

    // Sessions
    public static readonly AppRefusal SessionExpired = new("session.expired", "一定時間操作がなかったため、又はログアウトしたため、ログインし直してください。", 401);

    // Purposes and challenges
    public static readonly AppRefusal PurposeNotEnabled = new("purpose.not_enabled", "この利用目的は医療機関の環境設定で「利用する」になっていません。管理者に確認してください。", 403);
    public static readonly AppRefusal ChallengeUnknown = new("challenge.unknown", "本人確認の要求が見つかりません。最初からやり直してください。", 404);
    public static readonly AppRefusal ChallengeExpired = new("challenge.expired", "本人確認の有効時間(5分)を過ぎました。最初からやり直してください。", 409);
    public static readonly AppRefusal ChallengeUsed = new("challenge.used", "この本人確認の要求は既に使用されています。最初からやり直してください。", 409);
    public static readonly AppRefusal ChallengeOtherDevice = new("challenge.other_device", "この本人確認の要求は別の端末又は別のログインで発行されたものです。最初からやり直してください。", 409);

    // Confirmations
    public static readonly AppRefusal IdempotencyKeyRequired = new("idempotency.key_required", "要求に再送用の識別子(Idempotency-Key)がありません。アプリを最新の状態にしてください。", 400);
    public static readonly AppRefusal IdempotencyConflict = new("idempotency.conflict", "同じ識別子で異なる内容の要求が送られました。最初からやり直してください。", 422);
    public static readonly AppRefusal VisualAttestationRequired = new("confirmation.visual_attestation_required", "目視確認では、顔写真が本人と一致することの確認が必要です。", 422);
    public static readonly AppRefusal SignatureRequired = new("confirmation.signature_required", "暗証番号による本人確認では、カードの電子署名が必要です。もう一度カードを読み取ってください。", 422);
    public static readonly AppRefusal CardNotLinked = new("card.not_linked", "このマイナンバーカードは健康保険証として利用登録されていません。患者さんに保険証利用登録をご案内し、資格確認書等で確認してください。", 422);
    public static readonly AppRefusal ConfirmationNotFound = new("confirmation.not_found", "資格確認結果が見つかりません。", 404);

    // 目視確認: the card must prove it is in the reader (Confirmations/readme.md, docs/security.md).
    public static readonly AppRefusal VisualNotAllowedForPurpose = new("visual.not_allowed_for_purpose",
        "オンライン診療等では目視確認は使えません。患者さんご本人に暗証番号を入力していただいてください。", 422);
    public static readonly AppRefusal CardProofRequired = new("visual.card_proof_required",
        "目視確認では、カードがその場にあることの確認(カードによる署名)が必要です。カードをもう一度読み取ってください。", 422);

    /// <summary>The refusal for a failed 目視確認 card-presence proof: a stable <c>visual.*</c> code and a Japanese message.</summary>
    public static AppRefusal CardPresence(CardPresenceFailure failure) => failure switch
    {
        CardPresenceFailure.NotConfigured => new("visual.not_configured",
            "このサーバーでは目視確認のカード確認が設定されていないため、目視確認は使えません。暗証番号で本人確認するか、資格確認書等で確認してください。", 503),
        CardPresenceFailure.MalformedCertificate => new("visual.card_certificate_malformed",
            "カードの券面事項確認用の証明書を読み取れませんでした。カードをもう一度読み取ってください。", 422),
        CardPresenceFailure.UntrustedCertificate => new("visual.card_certificate_untrusted",
            "カードの券面事項確認用の証明書を確認できませんでした。正規のマイナンバーカードではない可能性があります。資格確認書等で確認してください。", 422),
        CardPresenceFailure.CertificateExpired => new("visual.card_certificate_expired",
            "カードの券面事項確認用の証明書が有効期間外です。カードの有効期限を確認し、資格確認書等で確認してください。", 422),
        CardPresenceFailure.BadSignature => new("visual.card_signature_invalid",
            "カードによる署名を確認できませんでした。カードをかざし直して、最初からやり直してください。", 422),
        CardPresenceFailure.CardFaceInvalid => new("visual.card_face_invalid",
            "カードの券面情報の署名を確認できませんでした。カードをかざし直して、最初からやり直してください。", 422),
        CardPresenceFailure.OtherCard => new("visual.other_card",
            "署名したカードと、読み取った電子証明書のカードが一致しません。同じカードで最初からやり直してください。", 422),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>The refusal for a JPKI verification failure: its stable <c>jpki.*</c> code and Japanese message.</summary>
    public static AppRefusal Jpki(JpkiFailureReason reason) => new(JpkiFailures.MachineCode(reason), JpkiFailures.Message(reason), reason switch
    {
        JpkiFailureReason.RevocationListUnavailable or JpkiFailureReason.RevocationListStale => 503,
        _ => 422,
    });
}
