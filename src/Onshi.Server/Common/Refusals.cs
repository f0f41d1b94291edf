namespace Onshi.Server.Common;

/// <summary>
/// Every refusal the server can give, in one place: the machine code is stable (programs, logs and later issues
/// rely on it), the Japanese message is what a person sees. Add new codes here rather than inventing strings inline.
/// </summary>
public static class Refusals
{
    // 権限 / 所属
    public static readonly Refusal NotAdministrator = new("auth.not_administrator", "この操作は管理者のみ行えます。") { Forbids = true };
    public static readonly Refusal OtherInstitution = new("auth.other_institution", "対象が見つかりません。");

    // 医療機関 (operator tool)
    public static readonly Refusal InstitutionNameRequired = new("institution.name_required", "機関名を入力してください。", "Name");
    public static readonly Refusal InstitutionNameTooLong = new("institution.name_too_long", "機関名は100文字以内で入力してください。", "Name");
    public static readonly Refusal InstitutionCodeTaken = new("institution.code_taken", "この医療機関コードは既に登録されています。", "Code");

    /// <summary>Wraps an identifier error from Onshi.Core (its own precise Japanese message).</summary>
    public static Refusal InstitutionCodeInvalid(string message) => new("institution.code_invalid", message, "Code");

    // ログイン: one message for every failure, whatever the real reason (the audit log keeps the reason).
    public static readonly Refusal LoginFailed = new("login.failed", "機関コード、ユーザーID又はパスワードが正しくないか、現在このアカウントは利用できません。");

    // 二要素認証: the login step shows one message for every failure, like the password step.
    public static readonly Refusal TwoFactorFailed = new("two_factor.failed", "確認コードが正しくないか、現在このアカウントは利用できません。", "Code");
    public static readonly Refusal TwoFactorCodeWrong = new("two_factor.code_wrong", "確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。", "Code");
    public static readonly Refusal TwoFactorEnrolmentExpired = new("two_factor.enrolment_expired", "登録画面の有効期限が切れました。新しく表示されたシークレットを認証アプリに登録し直してください。", "Code");
    public static readonly Refusal TwoFactorNotEnrolled = new("two_factor.not_enrolled", "このアカウントには二要素認証が登録されていません。");
    public static readonly Refusal TwoFactorCurrentFactorWrong = new("two_factor.current_factor_wrong", "現在の認証アプリの確認コードまたはリカバリーコードが正しくないか、現在このアカウントは利用できません。", "CurrentCode");
    public static readonly Refusal TwoFactorSecretUnreadable = new("two_factor.secret_unreadable", "二要素認証の設定を読み取れません。リカバリーコードを入力するか、システム管理者に連絡してください。", "Code");
    public static readonly Refusal NotSignedIn = new("auth.not_signed_in", "ログインしてください。");

    // アカウント
    public static readonly Refusal UserIdRequired = new("account.user_id_required", "ユーザーIDを入力してください。", "UserId");
    public static readonly Refusal UserIdLength = new("account.user_id_length", "ユーザーIDは2桁以上8桁以下で入力してください。", "UserId");
    public static readonly Refusal UserIdCharacters = new("account.user_id_characters", "ユーザーIDは半角英数字で入力してください。", "UserId");
    public static readonly Refusal UserIdTaken = new("account.user_id_taken", "このユーザーIDは既に使用されています。", "UserId");
    public static readonly Refusal NameRequired = new("account.name_required", "ユーザ名を入力してください。", "Name");
    public static readonly Refusal NameTooLong = new("account.name_too_long", "ユーザ名は50文字以内で入力してください。", "Name");
    public static readonly Refusal KanaRequired = new("account.kana_required", "ユーザ名(カナ)を入力してください。", "Kana");
    public static readonly Refusal KanaTooLong = new("account.kana_too_long", "ユーザ名(カナ)は50文字以内で入力してください。", "Kana");
    public static readonly Refusal KanaNotKatakana = new("account.kana_not_katakana", "ユーザ名(カナ)は全角カタカナで入力してください。", "Kana");
    public static readonly Refusal RoleNotAssignable = new("account.role_not_assignable", "権限区分は「一般利用者」又は「医療情報閲覧」を選択してください。", "Role");
    public static readonly Refusal StartDateRequired = new("account.start_date_required", "利用開始年月日を入力してください。", "StartDate");
    public static readonly Refusal StartDateInvalid = new("account.start_date_invalid", "利用開始年月日は年/月/日の形式で入力してください。", "StartDate");
    public static readonly Refusal EndDateInvalid = new("account.end_date_invalid", "利用終了年月日は年/月/日の形式で入力してください。", "EndDate");
    public static readonly Refusal EndBeforeStart = new("account.end_before_start", "利用終了年月日は利用開始年月日以降の日付を入力してください。", "EndDate");
    public static readonly Refusal AccountNotFound = new("account.not_found", "アカウントが見つかりません。");
    public static readonly Refusal AccountStopped = new("account.stopped", "このアカウントは利用停止されています。");
    public static readonly Refusal AccountNotLocked = new("account.not_locked", "このアカウントはロックされていません。");
    public static readonly Refusal CannotChangeOwnAccount = new("account.cannot_change_self", "自分自身のアカウントに対してこの操作は行えません。");
    public static readonly Refusal AdministratorManagedByOperator = new("account.administrator_not_editable", "管理者アカウントの権限区分・利用期間はこの画面では変更できません。");
    public static readonly Refusal AccountChangedConcurrently = new("account.changed_concurrently", "他の利用者がこのアカウントを更新しました。画面を開き直してから操作してください。");

    // パスワード
    public static readonly Refusal PasswordRequired = new("password.required", "新しいパスワードを入力してください。", "NewPassword");
    public static Refusal PasswordTooShort(int minimum) => new("password.too_short", $"パスワードは{minimum}文字以上で入力してください。", "NewPassword");
    public static Refusal PasswordTooLong(int maximum) => new("password.too_long", $"パスワードは{maximum}文字以内で入力してください。", "NewPassword");
    public static readonly Refusal PasswordCommon = new("password.common", "推測されやすいパスワードは使用できません。別のパスワードを入力してください。", "NewPassword");
    public static readonly Refusal PasswordRepetitive = new("password.repetitive", "同じ文字や同じ並びの繰り返しだけのパスワードは使用できません。", "NewPassword");
    public static readonly Refusal PasswordContainsUserId = new("password.contains_user_id", "ユーザーIDを含むパスワードは使用できません。", "NewPassword");
    public static readonly Refusal PasswordContainsInstitutionCode = new("password.contains_institution_code", "機関コードを含むパスワードは使用できません。", "NewPassword");
    public static readonly Refusal PasswordSameAsCurrent = new("password.same_as_current", "現在のパスワードと異なるパスワードを入力してください。", "NewPassword");
    public static readonly Refusal PasswordConfirmationMismatch = new("password.confirmation_mismatch", "確認用パスワードが一致しません。", "ConfirmPassword");
    public static readonly Refusal CurrentPasswordWrong = new("password.current_wrong", "現在のパスワードが正しくありません。", "CurrentPassword");

    // 環境設定情報
    public static readonly Refusal TermsNotAgreed = new("settings.terms_not_agreed", "外来診療等(通常とは異なる動線)機能を利用するには、オンライン資格確認等システム利用規約に同意してください。", "AgreeToTerms");
    public static readonly Refusal TermsVersionOutdated = new("settings.terms_version_outdated", "利用規約が改訂されました。最新の利用規約を確認した上で同意してください。", "AgreeToTerms");
    public static readonly Refusal SettingsChangedConcurrently = new("settings.changed_concurrently", "他の管理者が環境設定情報を更新しました。画面を開き直してから操作してください。");

    // マイナ資格確認アプリ API: a body or field the app should never send (shared by the API's edge and its operations)
    public static readonly Refusal AppRequestInvalid = new("app.request_invalid", "要求の内容が正しくありません。アプリを最新の状態にしてから、もう一度操作してください。");

    // アクティベーションコード
    public static readonly Refusal ActivationLabelRequired = new("activation_code.label_required", "端末を識別できる情報(例: Aのスマホ1)を入力してください。", "Label");
    public static readonly Refusal ActivationLabelTaken = new("activation_code.label_taken", "この端末識別情報は、未使用又は使用中のアクティベーションコードで既に使われています。一覧で区別できるよう、別の名前(例: Aのスマホ2)を入力してください。", "Label");
    public static readonly Refusal ActivationLabelTooLong = new("activation_code.label_too_long", "端末を識別できる情報は40文字以内で入力してください。", "Label");
    public static readonly Refusal ActivationCodeNotFound = new("activation_code.not_found", "アクティベーションコードが見つかりません。");
    public static readonly Refusal ActivationCodeMalformed = new("activation_code.malformed", "アクティベーションコードの形式が正しくありません。XXXX-XXXX-XXXX-XXXX の16文字を入力してください。");
    public static readonly Refusal ActivationCodeUnknown = new("activation_code.unknown", "アクティベーションコードが正しくありません。");
    public static readonly Refusal ActivationCodeUsed = new("activation_code.used", "このアクティベーションコードは既に他の端末で使用されています。");
    public static readonly Refusal ActivationCodeInvalidated = new("activation_code.invalidated", "このアクティベーションコードは無効化されています。");
    public static readonly Refusal ActivationCodeExpired = new("activation_code.expired", "このアクティベーションコードは有効期限が切れています。管理者に再発行を依頼してください。");
    public static readonly Refusal ActivationCodeAlreadyInvalidated = new("activation_code.already_invalidated", "このアクティベーションコードは既に無効化されています。");
    public static readonly Refusal ActivationCodeChangedConcurrently = new("activation_code.changed_concurrently", "他の操作によりこのアクティベーションコードの状態が変わりました。一覧を開き直してください。");
}
