namespace Onshi.Core.Codes;

/// <summary>同意フラグ (OQSCD016): consent to provide 特定疾病/薬剤/診療/特定健診/手術 information.</summary>
public enum ConsentFlag
{
    /// <summary>0 同意なし.</summary>
    NotGiven = 0,

    /// <summary>1 同意あり.</summary>
    Given = 1,

    /// <summary>2 同意有効期限切れ (only in 訪問/オンライン interfaces).</summary>
    Expired = 2,

    /// <summary>3 同意取得困難 (救急 only).</summary>
    Difficult = 3,
}

/// <summary>
/// 診療区分 / purpose of the confirmation (OQSCD028, MedicalTreatmentFlag): 外来, 訪問診療等, オンライン診療等, 救急時.
/// The app's 外来診療等（通常とは異なる動線） uses 1.
/// </summary>
public enum MedicalTreatmentFlag
{
    /// <summary>1 外来.</summary>
    Outpatient = 1,

    /// <summary>2 訪問診療等.</summary>
    HomeVisit = 2,

    /// <summary>3 オンライン診療等.</summary>
    Online = 3,

    /// <summary>4 救急時.</summary>
    Emergency = 4,
}

/// <summary>同意有効期限切れ理由 (OQSCD031).</summary>
public enum ConsentExpiryReason
{
    /// <summary>0 診療形態毎に異なる (the period of the care form ended).</summary>
    PeriodEnded = 0,

    /// <summary>1 医療機関による同意取り消し.</summary>
    WithdrawnByInstitution = 1,

    /// <summary>2 患者による同意取り消し.</summary>
    WithdrawnByPatient = 2,

    /// <summary>3 用途変更による同意取り消し.</summary>
    WithdrawnByPurposeChange = 3,
}

/// <summary>閲覧同意情報種別 (OQSCD036): which information a consent covers.</summary>
public enum ConsentInformationKind
{
    /// <summary>TSR 特定疾病療養受療証.</summary>
    SpecificDiseaseCertificate = 1,

    /// <summary>TKK 特定健診.</summary>
    SpecificHealthCheckups = 2,

    /// <summary>YZK 薬剤・処方.</summary>
    Pharmaceutical = 3,

    /// <summary>SRJ 診療/その他アレルギー/薬剤アレルギー/検査.</summary>
    Diagnosis = 4,

    /// <summary>SHJ 手術/傷病名/感染症.</summary>
    Operation = 5,
}

/// <summary>医療情報種別 (OQSCD029).</summary>
public enum MedicalInformationKind
{
    /// <summary>TKK 特定健診.</summary>
    SpecificHealthCheckups = 1,

    /// <summary>YZK 薬剤情報等.</summary>
    Pharmaceutical = 2,
}

/// <summary>薬剤情報等 表示 (OQSCD030).</summary>
public enum MedicalInformationDisplay
{
    /// <summary>0 しない.</summary>
    Hide = 0,

    /// <summary>1 する.</summary>
    Show = 1,
}

/// <summary>資格情報変更確認フラグ (OQSCD032).</summary>
public enum QualificationChangeFlag
{
    /// <summary>0 一致.</summary>
    Same = 0,

    /// <summary>1 不一致.</summary>
    Different = 1,
}

/// <summary>同一個人有無フラグ (OQSCD027).</summary>
public enum SamePersonFlag
{
    /// <summary>1 同一個人あり.</summary>
    SamePersonExists = 1,
}
