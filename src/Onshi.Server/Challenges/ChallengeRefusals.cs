using Onshi.Server.Common;

namespace Onshi.Server.Challenges;

/// <summary>
/// Refusals about challenges and purposes; HTTP statuses are assigned by the app API. The app branches only on <c>Code</c> and shows <c>Message</c> (docs/app-api.md), so both are stable and
/// each message says what the staff member should do next.
/// </summary>
public static class ChallengeRefusals
{
    public static readonly Refusal PurposeNotEnabled = new("purpose.not_enabled", "この利用目的は医療機関の環境設定で「利用する」になっていません。管理者に確認してください。");
    public static readonly Refusal ChallengeUnknown = new("challenge.unknown", "本人確認の要求が見つかりません。最初からやり直してください。");
    public static readonly Refusal ChallengeExpired = new("challenge.expired", "本人確認の有効時間(5分)を過ぎました。最初からやり直してください。");
    public static readonly Refusal ChallengeUsed = new("challenge.used", "この本人確認の要求は既に使用されています。最初からやり直してください。");
    public static readonly Refusal ChallengeOtherDevice = new("challenge.other_device", "この本人確認の要求は別の端末又は別のログインで発行されたものです。最初からやり直してください。");
    public static readonly Refusal PurposeMismatch = new("challenge.purpose_mismatch", "本人確認の要求と利用目的が一致しません。最初からやり直してください。");
}
