namespace Onshi.Card.Applications;

/// <summary>How a VERIFY (or a tries query) ended. Wrong PINs and blocked keys are answers, not exceptions.</summary>
public enum PinVerificationOutcome
{
    /// <summary>9000: verified; the key is open until the card is reset or another application is selected.</summary>
    Verified = 1,

    /// <summary>63Cx with x &gt; 0: wrong value, <see cref="PinVerification.TriesLeft"/> tries remain.</summary>
    WrongPin = 2,

    /// <summary>6984, or 63C0: no tries left; the card will refuse this PIN for good.</summary>
    Blocked = 3,

    /// <summary>Only from a tries query: the count of tries left (nothing was consumed).</summary>
    TriesRemaining = 4,

    /// <summary>The value typed is not in the credential's format; nothing was sent to the card.</summary>
    InvalidFormat = 5,
}

/// <summary>The result of a VERIFY or an empty VERIFY (tries query).</summary>
public sealed record PinVerification(PinVerificationOutcome Outcome, int? TriesLeft, string? Message = null)
{
    public bool IsVerified => Outcome == PinVerificationOutcome.Verified;

    public bool IsBlocked => Outcome == PinVerificationOutcome.Blocked;

    /// <summary>A sentence for staff and patients.</summary>
    public string JapaneseMessage => Message ?? Outcome switch
    {
        PinVerificationOutcome.Verified => "照合しました。",
        PinVerificationOutcome.WrongPin => $"暗証番号が違います。あと{TriesLeft}回間違えるとロックされます。",
        PinVerificationOutcome.Blocked => "暗証番号がロックされています。お住まいの市区町村窓口で初期化の手続きが必要です。",
        PinVerificationOutcome.TriesRemaining => $"暗証番号の残り試行回数は{TriesLeft}回です。",
        _ => "暗証番号の形式が正しくありません。",
    };
}
