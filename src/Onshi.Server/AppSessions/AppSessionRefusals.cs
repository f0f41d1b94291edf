using Onshi.Server.Common;

namespace Onshi.Server.AppSessions;

/// <summary>
/// Refusals of staff login on a device (activation shares them through CheckStaffCredentials); HTTP statuses are assigned by the app API. The app branches only on <c>Code</c> and shows <c>Message</c> (docs/app-api.md), so both are stable and
/// each message says what the staff member should do next.
/// </summary>
public static class AppSessionRefusals
{
    public static readonly Refusal CredentialsInvalid = new("app.credentials_invalid", "機関コード、ユーザーID又はパスワードが正しくないか、現在このアカウントは利用できません。");
    public static readonly Refusal AccountLocked = new("app.account_locked", "パスワードの誤りが続いたため、このアカウントはロックされています。しばらく待つか、管理者にロック解除を依頼してください。");
    public static readonly Refusal AccountOutsidePeriod = new("app.account_outside_period", "このアカウントは利用期間外です。管理者に利用期間の確認を依頼してください。");
    public static readonly Refusal AccountNeverLoggedIn = new("app.account_never_logged_in", "このアカウントはまだ資格確認端末でログインしていません。資格確認端末で一度ログインし、パスワードを変更してください。");
    public static readonly Refusal RoleNotAllowed = new("app.role_not_allowed", "このアカウントの権限区分ではマイナ資格確認アプリを利用できません。「一般利用者」又は「医療情報閲覧」のアカウントを使用してください。");
    public static readonly Refusal NoPurposeEnabled = new("app.no_purpose_enabled", "外来診療等・訪問診療等・オンライン診療等のいずれの機能も利用する設定になっていません。管理者に環境設定情報の確認を依頼してください。");
    public static readonly Refusal SessionExpired = new("session.expired", "一定時間操作がなかったため、又はログアウトしたため、ログインし直してください。");
}
