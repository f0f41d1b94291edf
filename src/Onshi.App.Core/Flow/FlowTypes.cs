using Onshi.Card.Applications;

namespace Onshi.App.Core.Flow;

/// <summary>The screens of the app, in the order a confirmation passes through them.</summary>
public enum FlowStep
{
    /// <summary>初期設定: no credentials on this device.</summary>
    Setup = 1,

    /// <summary>ログイン of the staff member.</summary>
    Login = 2,

    /// <summary>利用目的.</summary>
    Purpose = 3,

    /// <summary>本人確認方法: 暗証番号 or 目視確認.</summary>
    Method = 4,

    /// <summary>「カードを置いてください」.</summary>
    Card = 5,

    /// <summary>The patient's PIN pad.</summary>
    Pin = 6,

    /// <summary>The PIN is blocked (or the card has none): reset at the municipality, or 目視確認.</summary>
    PinBlocked = 7,

    /// <summary>Staff enter 照合番号B.</summary>
    CheckCode = 8,

    /// <summary>Face photo and attributes: 本人と確認した / 本人と確認できない.</summary>
    VisualCheck = 9,

    /// <summary>同意: 包括同意, then one screen per offered information type when the patient chooses one by one.</summary>
    Consent = 10,

    /// <summary>The confirmation could not be confirmed as received: retry with the same idempotency key.</summary>
    OutcomeUnknown = 11,

    /// <summary>結果.</summary>
    Result = 12,

    /// <summary>The attempt ended without a result (not identified, refused by the server): 次の患者へ.</summary>
    Ended = 13,

    /// <summary>処方箋の発行形態 (紙 / 電子), after the consent screens, where the institution issues prescriptions.</summary>
    PrescriptionIssue = 14,
}

/// <summary>本人確認方法.</summary>
public enum IdentificationMethod
{
    Pin = 1,
    Visual = 2,
}

/// <summary>How a message on the screen should look.</summary>
public enum MessageKind
{
    Info = 1,
    Warning = 2,
    Error = 3,
}

/// <summary>
/// A sentence shown above the current screen, with the machine code behind it when there is one (the server's
/// refusal code, or <c>network.*</c> when the server could not be reached): stable for tests, support and logs.
/// </summary>
public sealed record FlowMessage(string Text, MessageKind Kind, string? Code = null);

/// <summary>The logged-in staff member's session, as the server granted it.</summary>
public sealed record StaffSession(
    string Token,
    string UserId,
    string UserName,
    string Role,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> OfferedInformation,
    TimeSpan IdleTimeout,
    DateTimeOffset ExpiresAt,
    bool AsksPrescriptionIssue = false);

/// <summary>What the card face shows, ready for a browser: the photo re-encoded as PNG.</summary>
public sealed record CardFaceView(
    byte[]? PhotoPng,
    string? PhotoProblem,
    byte[] NamePng,
    byte[] AddressPng,
    string Name,
    string Address,
    DateOnly BirthDate,
    Sex Sex,
    DateOnly CardExpiry);

/// <summary>Staff's entry of 照合番号B (生年月日 in 和暦 with the era chosen, the card's expiry year, セキュリティコード).</summary>
public sealed record CheckCodeEntry(
    Onshi.Core.Dates.JapaneseEra Era,
    int Year,
    int Month,
    int Day,
    int CardExpiryYear,
    string SecurityCode,
    bool GregorianBirthYear = false);
