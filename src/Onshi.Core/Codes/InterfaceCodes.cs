namespace Onshi.Core.Codes;

/// <summary>照会区分 (OQSCD002).</summary>
public enum ReferenceClassification
{
    /// <summary>1 マイナンバーカード.</summary>
    MyNumberCard = 1,

    /// <summary>2 被保険者証情報.</summary>
    InsuranceCardInformation = 2,
}

/// <summary>処理結果区分 (OQSCD003), MessageHeader/SegmentOfResult: the whole request.</summary>
public enum SegmentOfResult
{
    /// <summary>1 正常終了.</summary>
    Normal = 1,

    /// <summary>2 処理中 (bulk results not ready yet).</summary>
    Processing = 2,

    /// <summary>9 異常終了 (ErrorCode / ErrorMessage set). One source says 3; three say 9.</summary>
    Abnormal = 9,
}

/// <summary>処理結果状況 (OQSCD004), MessageBody/ProcessingResultStatus: one person's result (§7 rule 5).</summary>
public enum ProcessingResultStatus
{
    /// <summary>1 正常終了.</summary>
    Normal = 1,

    /// <summary>2 エラー(異常終了).</summary>
    Error = 2,
}

/// <summary>文字コード識別 (OQSCD005).</summary>
public enum CharacterCodeIdentifier
{
    /// <summary>0 UTF-8.</summary>
    Utf8 = 0,

    /// <summary>1 Shift_JIS.</summary>
    ShiftJis = 1,
}

/// <summary>処方箋発行形態 (OQSCD017).</summary>
public enum PrescriptionIssueSelect
{
    /// <summary>1 電子処方箋.</summary>
    Electronic = 1,

    /// <summary>2 紙の処方箋.</summary>
    Paper = 2,
}

/// <summary>利用設定区分 (OQSCD037), the generic use / do-not-use switch of 環境設定情報.</summary>
public enum UsageSetting
{
    /// <summary>0 利用しない.</summary>
    NotUsed = 0,

    /// <summary>1 利用する.</summary>
    Used = 1,
}

/// <summary>電子処方箋 利用区分 (OQSCD038).</summary>
public enum ElectronicPrescriptionUsage
{
    /// <summary>0 利用しない.</summary>
    NotUsed = 0,

    /// <summary>1 電子処方箋のみ.</summary>
    ElectronicOnly = 1,

    /// <summary>2 電子+紙併用.</summary>
    ElectronicAndPaper = 2,

    /// <summary>3 紙のみ.</summary>
    PaperOnly = 3,
}

/// <summary>処方箋発行形態選択タイミング (OQSCD039).</summary>
public enum PrescriptionSelectionTiming
{
    /// <summary>1 資格確認時以外.</summary>
    OutsideQualificationConfirmation = 1,

    /// <summary>2 資格確認時.</summary>
    AtQualificationConfirmation = 2,
}

/// <summary>URL取得区分 (OQSCD033), 医療機関別URL取得.</summary>
public enum AccessUrlKind
{
    /// <summary>2 訪問診療等.</summary>
    HomeVisit = 2,

    /// <summary>3 オンライン診療等.</summary>
    Online = 3,
}

/// <summary>URL 出力形式 (OQSCD034).</summary>
public enum AccessUrlFormat
{
    /// <summary>1 PDF.</summary>
    Pdf = 1,

    /// <summary>2 PNG.</summary>
    Png = 2,
}

/// <summary>URL変更 (OQSCD035).</summary>
public enum AccessUrlChange
{
    /// <summary>0 変更しない.</summary>
    Keep = 0,

    /// <summary>1 変更する.</summary>
    Change = 1,
}

/// <summary>二要素認証 要素 (OQSCD041).</summary>
public enum AuthenticationFactorKind
{
    /// <summary>1 記憶.</summary>
    Knowledge = 1,

    /// <summary>2 生体情報.</summary>
    Biometric = 2,

    /// <summary>3 物理媒体.</summary>
    Possession = 3,
}

/// <summary>
/// Onshi's informational / per-person processing result codes. The real 処理結果コード catalogue (別紙6-1) is not
/// public (oqs-system.md §8), so these codes are Onshi's own, prefixed <c>ONS</c> so they can never be mistaken for
/// official ones. They carry the 付帯情報 the real system reports on success (§3.5, §7 rule 6).
/// </summary>
public enum OnshiProcessingResultCode
{
    /// <summary>ONSI0001 利用者証明用電子証明書の有効期限まで3か月以内.</summary>
    CertificateExpiresWithinThreeMonths = 1,

    /// <summary>ONSI0002 利用者証明用電子証明書の有効期限切れ（3か月以内のため資格情報の提供のみ）.</summary>
    CertificateExpiredWithinGrace = 2,
}
