using Onshi.Server.Common;

namespace Onshi.Server.Devices;

/// <summary>
/// Refusals of the device proof and of 初期設定 (activation); HTTP statuses are assigned by the app API (AppApi/AppRefusalStatuses.cs). The app branches only on <c>Code</c> and shows <c>Message</c> (docs/app-api.md), so both are stable and
/// each message says what the staff member should do next.
/// </summary>
public static class DeviceRefusals
{
    public static readonly Refusal ProofInvalid = new("dpop.invalid", "端末の認証情報を確認できませんでした。端末の時刻が正しいことを確認し、もう一度操作してください。");
    public static readonly Refusal ProofReplayed = new("dpop.replayed", "同じ要求が再送されたため受け付けませんでした。もう一度操作してください。");
    public static readonly Refusal DeviceUnknown = new("device.unknown", "この端末は利用登録されていません。初期設定を行ってください。");
    public static readonly Refusal DeviceInvalidated = new("device.invalidated", "この端末は管理者により無効化されました。引き続き利用する場合は、管理者に新しいアクティベーションコードの発行を依頼し、初期設定をやり直してください。");
    public static readonly Refusal DeviceKeyAlreadyRegistered = new("device.key_already_registered", "この端末は既に利用登録されています。アプリを再インストールした場合は初期設定をやり直してください。");
    public static readonly Refusal ActivationCodeUnknown = new(Refusals.ActivationCodeUnknown.Code, "アクティベーションコードが正しくありません。入力内容を確認してください。");
    public static readonly Refusal ActivationCodeUsed = new(Refusals.ActivationCodeUsed.Code, "このアクティベーションコードは既に他の端末で使用されています。管理者に新しいコードの発行を依頼してください。");
    public static readonly Refusal ActivationCodeInvalidated = new(Refusals.ActivationCodeInvalidated.Code, "このアクティベーションコードは無効化されています。管理者に新しいコードの発行を依頼してください。");
    public static readonly Refusal ActivationCodeExpired = new(Refusals.ActivationCodeExpired.Code, Refusals.ActivationCodeExpired.Message);

    /// <summary>
    /// The app's wording of an activation-code refusal from RedeemActivationCode (whose messages are the portal's): the
    /// same code, with what the staff member at the device should do. Anything else is "unknown code", as before.
    /// </summary>
    public static Refusal ForActivation(Refusal redeemRefusal) =>
        ActivationWording.TryGetValue(redeemRefusal, out var worded) ? worded : ActivationCodeUnknown;

    private static readonly Dictionary<Refusal, Refusal> ActivationWording = new()
    {
        [Refusals.ActivationCodeUsed] = ActivationCodeUsed,
        [Refusals.ActivationCodeInvalidated] = ActivationCodeInvalidated,
        [Refusals.ActivationCodeExpired] = ActivationCodeExpired,
    };
}
