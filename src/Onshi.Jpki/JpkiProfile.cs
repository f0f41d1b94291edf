namespace Onshi.Jpki;

/// <summary>
/// The facts of the JPKI 利用者証明用電子証明書 (user-authentication certificate) profile that the verifier
/// enforces, with their sources. Card simulators issue test certificates with these values so that the
/// same rules hold for virtual and real cards.
/// </summary>
public static class JpkiProfile
{
    /// <summary>
    /// Certificate policy of the user-authentication certificate (class 30).
    /// card-protocol.md §7 "Policy OIDs" (jsrsasign-oid-jpki).
    /// </summary>
    public const string UserAuthenticationPolicyOid = "1.2.392.200149.8.5.1.3.30";

    /// <summary>Certificate policy of the 署名用電子証明書 (digital-signature certificate, class 20); never accepted here.</summary>
    public const string DigitalSignaturePolicyOid = "1.2.392.200149.8.5.1.1.20";

    /// <summary>The organisational unit that names the J-LIS user-authentication CA (card-protocol.md §7 "Auth CA (root) DN").</summary>
    public const string UserAuthenticationCaUnit = "JPKI for user authentication";

    /// <summary>The organisational unit that names the J-LIS digital-signature CA.</summary>
    public const string DigitalSignatureCaUnit = "JPKI for digital signature";

    /// <summary>The only key the profile uses is RSA-2048 (card-protocol.md §7 "Keys"); smaller keys are refused.</summary>
    public const int MinimumRsaKeySizeBits = 2048;

    /// <summary>
    /// An expired user-authentication certificate still identifies the holder for 資格情報の提供のみ for
    /// three months after its notAfter (oqs-system.md §7 rule 7, source S-40).
    /// </summary>
    public const int ExpiryGraceMonths = 3;

    /// <summary>
    /// Success carries an informational flag when the certificate expires within this many months
    /// (oqs-system.md §3.5 ProcessingResultCode "マイナンバーカードの失効期限3か月前", §7 rule 6).
    /// </summary>
    public const int ExpiryWarningMonths = 3;

    /// <summary>
    /// Calendar arithmetic (the "three months") is done in Japan Standard Time: J-LIS writes notAfter as
    /// 14:59:59Z, i.e. 23:59:59 JST of the last valid day, and the grace ends on the same JST calendar day.
    /// </summary>
    public static readonly TimeSpan JapanStandardTimeOffset = TimeSpan.FromHours(9);

    /// <summary>notAfter + three calendar months (JST), the last instant an expired certificate may identify.</summary>
    public static DateTimeOffset GraceEnd(DateTimeOffset notAfter) =>
        notAfter.ToOffset(JapanStandardTimeOffset).AddMonths(ExpiryGraceMonths);

    /// <summary>notAfter − three calendar months (JST), from when success carries the "expiring soon" flag.</summary>
    public static DateTimeOffset WarningStart(DateTimeOffset notAfter) =>
        notAfter.ToOffset(JapanStandardTimeOffset).AddMonths(-ExpiryWarningMonths);
}
