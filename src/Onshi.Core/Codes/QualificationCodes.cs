namespace Onshi.Core.Codes;

/// <summary>資格有効性 (OQSCD006), oqs-system.md §3.5.</summary>
public enum QualificationValidity
{
    /// <summary>1 有効.</summary>
    Valid = 1,

    /// <summary>2 無効 (資格喪失).</summary>
    Invalid = 2,

    /// <summary>3 無効（新しい資格あり）.</summary>
    InvalidNewQualificationExists = 3,

    /// <summary>4 該当資格なし.</summary>
    NoQualification = 4,

    /// <summary>5 複数該当 (医療保険のみ).</summary>
    MultipleMatches = 5,

    /// <summary>6 有効（未登録）(医療扶助のみ).</summary>
    ValidUnregistered = 6,
}

/// <summary>被保険者証区分 (OQSCD010), oqs-system.md §3.5.</summary>
public enum InsuredCardClassification
{
    /// <summary>01 被保険者証(一般); 欠番 after 2024-12-02 but still returned for back-dated queries (§7 rule 4).</summary>
    General = 1,

    /// <summary>02 被保険者証(退職).</summary>
    Retired = 2,

    /// <summary>03 短期被保険者証(一般).</summary>
    ShortTermGeneral = 3,

    /// <summary>04 短期被保険者証(退職).</summary>
    ShortTermRetired = 4,

    /// <summary>05 被保険者資格証明書/特別療養費支給対象者.</summary>
    QualificationCertificate = 5,

    /// <summary>06 特例退職被保険者証.</summary>
    SpecialRetired = 6,

    /// <summary>07 自衛官診療証.</summary>
    SelfDefenseForces = 7,

    /// <summary>A1 医療扶助.</summary>
    MedicalAssistance = 8,
}

/// <summary>本人・家族の別 (OQSCD009).</summary>
public enum PersonalFamilyClassification
{
    /// <summary>1 本人 (the insured person).</summary>
    Insured = 1,

    /// <summary>2 家族 (a dependant).</summary>
    Dependant = 2,
}

/// <summary>性別 (OQSCD007), Sex1 / Sex2.</summary>
public enum Sex
{
    /// <summary>1 男.</summary>
    Male = 1,

    /// <summary>2 女.</summary>
    Female = 2,

    /// <summary>3 未設定.</summary>
    NotSet = 3,
}

/// <summary>資格喪失事由 (OQSCD008).</summary>
public enum ReasonOfLoss
{
    /// <summary>01 死亡.</summary>
    Death = 1,

    /// <summary>02 生活保護受給開始.</summary>
    PublicAssistanceStarted = 2,

    /// <summary>03 医療保険等の資格取得.</summary>
    OtherInsuranceAcquired = 3,

    /// <summary>99 その他.</summary>
    Other = 99,
}

/// <summary>
/// 一部負担金割合 (InsuredPartialContributionRatio and the 高齢受給者証 ratio): 3 digits, tenths of the cost
/// the patient pays. The documented values are "010", "020", "030" (oqs-system.md §3.5).
/// </summary>
public enum PartialContributionRatio
{
    /// <summary>"010" 1割.</summary>
    OneTenth = 1,

    /// <summary>"020" 2割.</summary>
    TwoTenths = 2,

    /// <summary>"030" 3割.</summary>
    ThreeTenths = 3,
}

/// <summary>未就学区分 (OQSCD015).</summary>
public enum PreschoolClassification
{
    /// <summary>1 未就学該当 (義務教育就学前).</summary>
    Preschool = 1,
}

/// <summary>特定疾病 区分 (OQSCD013), SpecificDiseasesCertificateInfo/DiseaseCategory.</summary>
public enum SpecificDiseaseCategory
{
    /// <summary>1 人工透析を必要とする慢性腎不全.</summary>
    ChronicRenalFailureOnDialysis = 1,

    /// <summary>2 先天性血液凝固因子障害(第VIII/IX因子).</summary>
    CongenitalCoagulationFactorDisorder = 2,

    /// <summary>3 血液凝固因子製剤の投与に起因するHIV感染症.</summary>
    HivFromCoagulationFactorProducts = 3,
}

/// <summary>限度額適用認定証 区分 (OQSCD011).</summary>
public enum LimitCertificateClassification
{
    /// <summary>01 限度額適用認定証.</summary>
    LimitApplication = 1,

    /// <summary>02 限度額適用・標準負担額減額認定証.</summary>
    LimitApplicationAndStandardBurdenReduction = 2,

    /// <summary>03 標準負担額減額認定証.</summary>
    StandardBurdenReduction = 3,
}

/// <summary>限度額適用認定証 適用区分 (OQSCD012): income brackets under 70 (A01–A06) and from 70 (B01–B10).</summary>
public enum LimitApplicationBracket
{
    /// <summary>A01 ア.</summary>
    BracketA = 1,

    /// <summary>A02 イ.</summary>
    BracketI = 2,

    /// <summary>A03 ウ.</summary>
    BracketU = 3,

    /// <summary>A04 エ.</summary>
    BracketE = 4,

    /// <summary>A05 オ.</summary>
    BracketO = 5,

    /// <summary>A06 オ(境).</summary>
    BracketOBoundary = 6,

    /// <summary>B01 現役並みⅢ.</summary>
    WorkingAgeLevel3 = 11,

    /// <summary>B02 現役並みⅡ.</summary>
    WorkingAgeLevel2 = 12,

    /// <summary>B03 現役並みⅠ.</summary>
    WorkingAgeLevel1 = 13,

    /// <summary>B04 一般.</summary>
    General = 14,

    /// <summary>B05 低所得Ⅱ.</summary>
    LowIncome2 = 15,

    /// <summary>B06 低所得Ⅰ.</summary>
    LowIncome1 = 16,

    /// <summary>B07 低所得Ⅰ(老福).</summary>
    LowIncome1ElderlyWelfare = 17,

    /// <summary>B08 低所得Ⅰ(境).</summary>
    LowIncome1Boundary = 18,

    /// <summary>B09 一般Ⅱ.</summary>
    General2 = 19,

    /// <summary>B10 一般Ⅰ.</summary>
    General1 = 20,
}

/// <summary>限度額適用認定証提供同意フラグ (OQSCD001).</summary>
public enum LimitCertificateConsentFlag
{
    /// <summary>0 未同意.</summary>
    NotConsented = 0,

    /// <summary>1 同意.</summary>
    Consented = 1,
}

/// <summary>限度額適用認定証情報変更有無 (OQSCD014), bulk results.</summary>
public enum LimitCertificateChanged
{
    /// <summary>0 変更なし.</summary>
    Unchanged = 0,

    /// <summary>1 変更あり/判定不能.</summary>
    ChangedOrUnknown = 1,
}
