namespace Onshi.Jpki;

/// <summary>
/// Why a card did not prove who it is. One distinct value per rule, so logs and the app can tell them apart
/// (house-style.md §5, openiddict). The numbers are stable; do not renumber.
/// </summary>
public enum JpkiFailureReason
{
    /// <summary>The certificate bytes are not a parseable X.509 certificate.</summary>
    MalformedCertificate = 1,

    /// <summary>The subject key is not RSA.</summary>
    UnsupportedKeyAlgorithm = 2,

    /// <summary>The RSA key is shorter than 2048 bits.</summary>
    KeyTooSmall = 3,

    /// <summary>KeyUsage lacks digitalSignature, or the certificate is a CA certificate.</summary>
    WrongKeyUsage = 4,

    /// <summary>The user-authentication certificate policy is missing (e.g. a 署名用 certificate).</summary>
    WrongCertificatePolicy = 5,

    /// <summary>The verification time is before notBefore.</summary>
    NotYetValid = 6,

    /// <summary>The verification time is more than three months after notAfter.</summary>
    ExpiredBeyondGrace = 7,

    /// <summary>The certificate does not chain directly to a configured trust anchor.</summary>
    UntrustedChain = 8,

    /// <summary>The issuing anchor's CRL lists the certificate.</summary>
    Revoked = 9,

    /// <summary>No CRL is loaded for the issuing anchor.</summary>
    RevocationListUnavailable = 10,

    /// <summary>The loaded CRL is past its nextUpdate.</summary>
    RevocationListStale = 11,

    /// <summary>The signature over the challenge message does not verify with the certificate's key.</summary>
    BadSignature = 12,
}

/// <summary>Informational facts about a successful verification.</summary>
[Flags]
public enum JpkiNotices
{
    /// <summary>Nothing to report.</summary>
    None = 0,

    /// <summary>
    /// The certificate expired, but less than three months ago: it identifies for 資格情報の提供のみ
    /// (qualification only, oqs-system.md §7 rule 7). Callers must not use it for anything else.
    /// </summary>
    ExpiredWithinGrace = 1,

    /// <summary>The certificate expires within three months (oqs-system.md §3.5 ProcessingResultCode 付帯情報).</summary>
    ExpiresWithinThreeMonths = 2,

    /// <summary>No CRL was loaded and the policy allowed it (<see cref="CrlFreshnessPolicy.AllowMissingRevocationList"/>).</summary>
    RevocationNotChecked = 4,
}

/// <summary>How the patient was identified.</summary>
public enum JpkiIdentificationMode
{
    /// <summary>暗証番号: the card signed the challenge after PIN verification.</summary>
    Pin = 1,

    /// <summary>目視確認: the staff compared the card's face photo with the patient; no signature exists.</summary>
    Visual = 2,
}

/// <summary>The facts of the presented certificate, set whenever it could be parsed.</summary>
/// <param name="SubjectName">Subject DN (for JPKI auth certificates an opaque CN, no personal data).</param>
/// <param name="IssuerName">Issuer DN. Shared by all CA generations: never use it alone as a key.</param>
/// <param name="SerialNumber">Upper-case hex serial, leading zero octets removed.</param>
/// <param name="NotBefore">Validity start.</param>
/// <param name="NotAfter">Validity end.</param>
/// <param name="Sha256Thumbprint">Upper-case hex SHA-256 of the DER.</param>
/// <param name="TrustAnchorId">The anchor the chain ended at, when chain validation succeeded.</param>
public sealed record JpkiCertificateInfo(
    string SubjectName,
    string IssuerName,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Thumbprint,
    string? TrustAnchorId)
{
    /// <summary>
    /// The key for 健康保険証利用登録 (card linkage): issuing anchor + serial. Issuer DN + serial is not enough
    /// because every J-LIS generation has the same DN (card-protocol.md §7). Null until the chain is trusted.
    /// </summary>
    public string? LinkageKey => TrustAnchorId is null ? null : TrustAnchorId + ":" + SerialNumber;
}

/// <summary>The outcome of <see cref="JpkiVerifier.Verify"/> or <see cref="JpkiVerifier.VerifyForVisualIdentification"/>.</summary>
public sealed record JpkiVerificationResult
{
    /// <summary>The mode that was verified.</summary>
    public required JpkiIdentificationMode Mode { get; init; }

    /// <summary>The first rule the card broke, or null on success.</summary>
    public JpkiFailureReason? Failure { get; init; }

    /// <summary>True when every rule held.</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>Informational notices (meaningful on success).</summary>
    public JpkiNotices Notices { get; init; }

    /// <summary>The certificate's facts, when it could be parsed.</summary>
    public JpkiCertificateInfo? Certificate { get; init; }

    /// <summary>The CRL entry, when <see cref="JpkiFailureReason.Revoked"/>.</summary>
    public RevokedCertificate? Revocation { get; init; }

    /// <summary>Diagnostic detail in English for logs; never shown to patients.</summary>
    public string? Detail { get; init; }

    /// <summary>Stable machine code of the failure, e.g. <c>jpki.revoked</c>.</summary>
    public string? MachineCode => Failure is { } failure ? JpkiFailures.MachineCode(failure) : null;

    /// <summary>Japanese message for the staff member, or null on success.</summary>
    public string? Message => Failure is { } failure ? JpkiFailures.Message(failure) : null;
}

/// <summary>Machine codes and Japanese messages for <see cref="JpkiFailureReason"/>.</summary>
public static class JpkiFailures
{
    /// <summary>The stable machine code (<c>jpki.*</c>).</summary>
    public static string MachineCode(JpkiFailureReason reason) => reason switch
    {
        JpkiFailureReason.MalformedCertificate => "jpki.malformed_certificate",
        JpkiFailureReason.UnsupportedKeyAlgorithm => "jpki.unsupported_key_algorithm",
        JpkiFailureReason.KeyTooSmall => "jpki.key_too_small",
        JpkiFailureReason.WrongKeyUsage => "jpki.wrong_key_usage",
        JpkiFailureReason.WrongCertificatePolicy => "jpki.wrong_certificate_policy",
        JpkiFailureReason.NotYetValid => "jpki.not_yet_valid",
        JpkiFailureReason.ExpiredBeyondGrace => "jpki.expired",
        JpkiFailureReason.UntrustedChain => "jpki.untrusted_chain",
        JpkiFailureReason.Revoked => "jpki.revoked",
        JpkiFailureReason.RevocationListUnavailable => "jpki.revocation_list_unavailable",
        JpkiFailureReason.RevocationListStale => "jpki.revocation_list_stale",
        JpkiFailureReason.BadSignature => "jpki.bad_signature",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The Japanese message shown to the staff member.</summary>
    public static string Message(JpkiFailureReason reason) => reason switch
    {
        JpkiFailureReason.MalformedCertificate => "マイナンバーカードの電子証明書を読み取れませんでした。もう一度カードを読み取ってください。",
        JpkiFailureReason.UnsupportedKeyAlgorithm => "電子証明書の鍵の種類が利用者証明用電子証明書と異なるため、本人確認に使用できません。",
        JpkiFailureReason.KeyTooSmall => "電子証明書の鍵長が不足しているため、本人確認に使用できません。",
        JpkiFailureReason.WrongKeyUsage => "この電子証明書は利用者証明用ではないため、本人確認に使用できません。",
        JpkiFailureReason.WrongCertificatePolicy => "この電子証明書は利用者証明用電子証明書ではありません（署名用電子証明書などは使用できません）。",
        JpkiFailureReason.NotYetValid => "電子証明書の有効期間がまだ始まっていません。",
        JpkiFailureReason.ExpiredBeyondGrace => "利用者証明用電子証明書の有効期限から3か月を過ぎているため、本人確認に使用できません。お住まいの市区町村で電子証明書の更新手続きをしてください。",
        JpkiFailureReason.UntrustedChain => "電子証明書の発行元を確認できません（信頼できる認証局が発行した証明書ではありません）。",
        JpkiFailureReason.Revoked => "利用者証明用電子証明書は失効しているため、本人確認に使用できません。",
        JpkiFailureReason.RevocationListUnavailable => "電子証明書の失効情報が登録されていないため、本人確認を完了できません。システム管理者に連絡してください。",
        JpkiFailureReason.RevocationListStale => "電子証明書の失効情報の有効期限が切れているため、本人確認を完了できません。システム管理者に連絡してください。",
        JpkiFailureReason.BadSignature => "カードの電子署名を検証できませんでした。もう一度カードを読み取ってください。",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
