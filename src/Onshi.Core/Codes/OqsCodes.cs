namespace Onshi.Core.Codes;

/// <summary>
/// Every code table Onshi uses, with wire codes and labels from oqs-system.md §1.5, §2.2, §2.3, §3.4, §3.5
/// (業務コード 別紙5-1 as reproduced by third-party code, tagged [C-3p] there). Tables the document lists only
/// partially (OQSCD023–025, 040, 042–044) are left out rather than guessed.
/// </summary>
public static class OqsCodes
{
    /// <summary>OQSCD001 限度額適用認定証提供同意フラグ.</summary>
    public static readonly CodeTable<LimitCertificateConsentFlag> LimitCertificateConsentFlag = new("OQSCD001", "限度額適用認定証提供同意フラグ",
        (Codes.LimitCertificateConsentFlag.NotConsented, "0", "未同意"),
        (Codes.LimitCertificateConsentFlag.Consented, "1", "同意"));

    /// <summary>OQSCD002 照会区分.</summary>
    public static readonly CodeTable<ReferenceClassification> ReferenceClassification = new("OQSCD002", "照会区分",
        (Codes.ReferenceClassification.MyNumberCard, "1", "マイナンバーカード"),
        (Codes.ReferenceClassification.InsuranceCardInformation, "2", "被保険者証情報"));

    /// <summary>OQSCD003 処理結果区分.</summary>
    public static readonly CodeTable<SegmentOfResult> SegmentOfResult = new("OQSCD003", "処理結果区分",
        (Codes.SegmentOfResult.Normal, "1", "正常終了"),
        (Codes.SegmentOfResult.Processing, "2", "処理中"),
        (Codes.SegmentOfResult.Abnormal, "9", "異常終了"));

    /// <summary>OQSCD004 処理結果状況.</summary>
    public static readonly CodeTable<ProcessingResultStatus> ProcessingResultStatus = new("OQSCD004", "処理結果状況",
        (Codes.ProcessingResultStatus.Normal, "1", "正常終了"),
        (Codes.ProcessingResultStatus.Error, "2", "エラー(異常終了)"));

    /// <summary>OQSCD005 文字コード識別.</summary>
    public static readonly CodeTable<CharacterCodeIdentifier> CharacterCodeIdentifier = new("OQSCD005", "文字コード識別",
        (Codes.CharacterCodeIdentifier.Utf8, "0", "UTF-8"),
        (Codes.CharacterCodeIdentifier.ShiftJis, "1", "Shift_JIS"));

    /// <summary>OQSCD006 資格有効性.</summary>
    public static readonly CodeTable<QualificationValidity> QualificationValidity = new("OQSCD006", "資格有効性",
        (Codes.QualificationValidity.Valid, "1", "有効"),
        (Codes.QualificationValidity.Invalid, "2", "無効"),
        (Codes.QualificationValidity.InvalidNewQualificationExists, "3", "無効（新しい資格あり）"),
        (Codes.QualificationValidity.NoQualification, "4", "該当資格なし"),
        (Codes.QualificationValidity.MultipleMatches, "5", "複数該当"),
        (Codes.QualificationValidity.ValidUnregistered, "6", "有効（未登録）"));

    /// <summary>OQSCD007 性別.</summary>
    public static readonly CodeTable<Sex> Sex = new("OQSCD007", "性別",
        (Codes.Sex.Male, "1", "男"),
        (Codes.Sex.Female, "2", "女"),
        (Codes.Sex.NotSet, "3", "未設定"));

    /// <summary>OQSCD008 資格喪失事由.</summary>
    public static readonly CodeTable<ReasonOfLoss> ReasonOfLoss = new("OQSCD008", "資格喪失事由",
        (Codes.ReasonOfLoss.Death, "01", "死亡"),
        (Codes.ReasonOfLoss.PublicAssistanceStarted, "02", "生活保護受給開始"),
        (Codes.ReasonOfLoss.OtherInsuranceAcquired, "03", "医療保険等の資格取得"),
        (Codes.ReasonOfLoss.Other, "99", "その他"));

    /// <summary>OQSCD009 本人・家族の別.</summary>
    public static readonly CodeTable<PersonalFamilyClassification> PersonalFamilyClassification = new("OQSCD009", "本人・家族の別",
        (Codes.PersonalFamilyClassification.Insured, "1", "本人"),
        (Codes.PersonalFamilyClassification.Dependant, "2", "家族"));

    /// <summary>OQSCD010 被保険者証区分.</summary>
    public static readonly CodeTable<InsuredCardClassification> InsuredCardClassification = new("OQSCD010", "被保険者証区分",
        (Codes.InsuredCardClassification.General, "01", "被保険者証(一般)"),
        (Codes.InsuredCardClassification.Retired, "02", "被保険者証(退職)"),
        (Codes.InsuredCardClassification.ShortTermGeneral, "03", "短期被保険者証(一般)"),
        (Codes.InsuredCardClassification.ShortTermRetired, "04", "短期被保険者証(退職)"),
        (Codes.InsuredCardClassification.QualificationCertificate, "05", "被保険者資格証明書/特別療養費支給対象者"),
        (Codes.InsuredCardClassification.SpecialRetired, "06", "特例退職被保険者証"),
        (Codes.InsuredCardClassification.SelfDefenseForces, "07", "自衛官診療証"),
        (Codes.InsuredCardClassification.MedicalAssistance, "A1", "医療扶助"));

    /// <summary>OQSCD011 限度額適用認定証 区分.</summary>
    public static readonly CodeTable<LimitCertificateClassification> LimitCertificateClassification = new("OQSCD011", "限度額適用認定証区分",
        (Codes.LimitCertificateClassification.LimitApplication, "01", "限度額適用認定証"),
        (Codes.LimitCertificateClassification.LimitApplicationAndStandardBurdenReduction, "02", "限度額適用・標準負担額減額認定証"),
        (Codes.LimitCertificateClassification.StandardBurdenReduction, "03", "標準負担額減額認定証"));

    /// <summary>OQSCD012 限度額適用認定証 適用区分.</summary>
    public static readonly CodeTable<LimitApplicationBracket> LimitApplicationBracket = new("OQSCD012", "限度額適用認定証適用区分",
        (Codes.LimitApplicationBracket.BracketA, "A01", "ア"),
        (Codes.LimitApplicationBracket.BracketI, "A02", "イ"),
        (Codes.LimitApplicationBracket.BracketU, "A03", "ウ"),
        (Codes.LimitApplicationBracket.BracketE, "A04", "エ"),
        (Codes.LimitApplicationBracket.BracketO, "A05", "オ"),
        (Codes.LimitApplicationBracket.BracketOBoundary, "A06", "オ(境)"),
        (Codes.LimitApplicationBracket.WorkingAgeLevel3, "B01", "現役並みⅢ"),
        (Codes.LimitApplicationBracket.WorkingAgeLevel2, "B02", "現役並みⅡ"),
        (Codes.LimitApplicationBracket.WorkingAgeLevel1, "B03", "現役並みⅠ"),
        (Codes.LimitApplicationBracket.General, "B04", "一般"),
        (Codes.LimitApplicationBracket.LowIncome2, "B05", "低所得Ⅱ"),
        (Codes.LimitApplicationBracket.LowIncome1, "B06", "低所得Ⅰ"),
        (Codes.LimitApplicationBracket.LowIncome1ElderlyWelfare, "B07", "低所得Ⅰ(老福)"),
        (Codes.LimitApplicationBracket.LowIncome1Boundary, "B08", "低所得Ⅰ(境)"),
        (Codes.LimitApplicationBracket.General2, "B09", "一般Ⅱ"),
        (Codes.LimitApplicationBracket.General1, "B10", "一般Ⅰ"));

    /// <summary>OQSCD013 特定疾病 区分.</summary>
    public static readonly CodeTable<SpecificDiseaseCategory> SpecificDiseaseCategory = new("OQSCD013", "特定疾病区分",
        (Codes.SpecificDiseaseCategory.ChronicRenalFailureOnDialysis, "1", "人工透析を必要とする慢性腎不全"),
        (Codes.SpecificDiseaseCategory.CongenitalCoagulationFactorDisorder, "2", "先天性血液凝固因子障害(第VIII因子障害又は第IX因子障害)"),
        (Codes.SpecificDiseaseCategory.HivFromCoagulationFactorProducts, "3", "血液凝固因子製剤の投与に起因するHIV感染症"));

    /// <summary>OQSCD014 限度額適用認定証情報変更有無.</summary>
    public static readonly CodeTable<LimitCertificateChanged> LimitCertificateChanged = new("OQSCD014", "限度額適用認定証情報変更有無",
        (Codes.LimitCertificateChanged.Unchanged, "0", "変更なし"),
        (Codes.LimitCertificateChanged.ChangedOrUnknown, "1", "変更あり/判定不能"));

    /// <summary>OQSCD015 未就学区分.</summary>
    public static readonly CodeTable<PreschoolClassification> PreschoolClassification = new("OQSCD015", "未就学区分",
        (Codes.PreschoolClassification.Preschool, "1", "未就学該当"));

    /// <summary>OQSCD016 同意フラグ.</summary>
    public static readonly CodeTable<ConsentFlag> ConsentFlag = new("OQSCD016", "同意フラグ",
        (Codes.ConsentFlag.NotGiven, "0", "同意なし"),
        (Codes.ConsentFlag.Given, "1", "同意あり"),
        (Codes.ConsentFlag.Expired, "2", "同意有効期限切れ"),
        (Codes.ConsentFlag.Difficult, "3", "同意取得困難"));

    /// <summary>OQSCD017 処方箋発行形態.</summary>
    public static readonly CodeTable<PrescriptionIssueSelect> PrescriptionIssueSelect = new("OQSCD017", "処方箋発行形態",
        (Codes.PrescriptionIssueSelect.Electronic, "1", "電子処方箋"),
        (Codes.PrescriptionIssueSelect.Paper, "2", "紙の処方箋"));

    /// <summary>OQSCD018 券種.</summary>
    public static readonly CodeTable<MedicalTicketType> MedicalTicketType = new("OQSCD018", "券種",
        (Codes.MedicalTicketType.MedicalTicket, "01", "医療券"),
        (Codes.MedicalTicketType.DispensingTicket, "02", "調剤券"));

    /// <summary>OQSCD019 診療別.</summary>
    public static readonly CodeTable<MedicalTreatmentType> MedicalTreatmentType = new("OQSCD019", "診療別",
        (Codes.MedicalTreatmentType.Inpatient, "01", "入院"),
        (Codes.MedicalTreatmentType.Outpatient, "02", "入院外"),
        (Codes.MedicalTreatmentType.Dental, "03", "歯科"),
        (Codes.MedicalTreatmentType.Dispensing, "04", "調剤"),
        (Codes.MedicalTreatmentType.HomeNursing, "05", "訪問看護"));

    /// <summary>OQSCD020 単独/併用.</summary>
    public static readonly CodeTable<SingleOrCombinedUse> SingleOrCombinedUse = new("OQSCD020", "単独併用",
        (Codes.SingleOrCombinedUse.SingleUse, "01", "単独"),
        (Codes.SingleOrCombinedUse.CombinedUse, "02", "併用"));

    /// <summary>OQSCD021 社会保険 有無.</summary>
    public static readonly CodeTable<StatusOfSocialInsurance> StatusOfSocialInsurance = new("OQSCD021", "社会保険有無",
        (Codes.StatusOfSocialInsurance.Present, "01", "あり"),
        (Codes.StatusOfSocialInsurance.Absent, "02", "なし"));

    /// <summary>OQSCD022 不整合フラグ.</summary>
    public static readonly CodeTable<ConsistencyFlag> ConsistencyFlag = new("OQSCD022", "不整合フラグ",
        (Codes.ConsistencyFlag.Inconsistent, "1", "不整合あり"));

    /// <summary>OQSCD026 指定医療機関一致フラグ.</summary>
    public static readonly CodeTable<DesignatedInstitutionFlag> DesignatedInstitutionFlag = new("OQSCD026", "指定医療機関一致フラグ",
        (Codes.DesignatedInstitutionFlag.Matches, "0", "一致"),
        (Codes.DesignatedInstitutionFlag.DoesNotMatch, "1", "不一致"));

    /// <summary>OQSCD027 同一個人有無フラグ.</summary>
    public static readonly CodeTable<SamePersonFlag> SamePersonFlag = new("OQSCD027", "同一個人有無フラグ",
        (Codes.SamePersonFlag.SamePersonExists, "1", "同一個人あり"));

    /// <summary>OQSCD028 診療区分 (MedicalTreatmentFlag).</summary>
    public static readonly CodeTable<MedicalTreatmentFlag> MedicalTreatmentFlag = new("OQSCD028", "診療区分",
        (Codes.MedicalTreatmentFlag.Outpatient, "1", "外来"),
        (Codes.MedicalTreatmentFlag.HomeVisit, "2", "訪問診療等"),
        (Codes.MedicalTreatmentFlag.Online, "3", "オンライン診療等"),
        (Codes.MedicalTreatmentFlag.Emergency, "4", "救急時"));

    /// <summary>OQSCD029 医療情報種別.</summary>
    public static readonly CodeTable<MedicalInformationKind> MedicalInformationKind = new("OQSCD029", "医療情報種別",
        (Codes.MedicalInformationKind.SpecificHealthCheckups, "TKK", "特定健診"),
        (Codes.MedicalInformationKind.Pharmaceutical, "YZK", "薬剤情報等"));

    /// <summary>OQSCD030 薬剤情報等表示.</summary>
    public static readonly CodeTable<MedicalInformationDisplay> MedicalInformationDisplay = new("OQSCD030", "薬剤情報等表示",
        (Codes.MedicalInformationDisplay.Hide, "0", "しない"),
        (Codes.MedicalInformationDisplay.Show, "1", "する"));

    /// <summary>OQSCD031 同意有効期限切れ理由.</summary>
    public static readonly CodeTable<ConsentExpiryReason> ConsentExpiryReason = new("OQSCD031", "同意有効期限切れ理由",
        (Codes.ConsentExpiryReason.PeriodEnded, "0", "診療形態毎に異なる"),
        (Codes.ConsentExpiryReason.WithdrawnByInstitution, "1", "医療機関による同意取り消し"),
        (Codes.ConsentExpiryReason.WithdrawnByPatient, "2", "患者による同意取り消し"),
        (Codes.ConsentExpiryReason.WithdrawnByPurposeChange, "3", "用途変更による同意取り消し"));

    /// <summary>OQSCD032 資格情報変更確認フラグ.</summary>
    public static readonly CodeTable<QualificationChangeFlag> QualificationChangeFlag = new("OQSCD032", "資格情報変更確認フラグ",
        (Codes.QualificationChangeFlag.Same, "0", "一致"),
        (Codes.QualificationChangeFlag.Different, "1", "不一致"));

    /// <summary>OQSCD033 URL取得区分.</summary>
    public static readonly CodeTable<AccessUrlKind> AccessUrlKind = new("OQSCD033", "URL取得区分",
        (Codes.AccessUrlKind.HomeVisit, "2", "訪問診療等"),
        (Codes.AccessUrlKind.Online, "3", "オンライン診療等"));

    /// <summary>OQSCD034 出力形式.</summary>
    public static readonly CodeTable<AccessUrlFormat> AccessUrlFormat = new("OQSCD034", "出力形式",
        (Codes.AccessUrlFormat.Pdf, "1", "PDF"),
        (Codes.AccessUrlFormat.Png, "2", "PNG"));

    /// <summary>OQSCD035 URL変更.</summary>
    public static readonly CodeTable<AccessUrlChange> AccessUrlChange = new("OQSCD035", "URL変更",
        (Codes.AccessUrlChange.Keep, "0", "変更しない"),
        (Codes.AccessUrlChange.Change, "1", "変更する"));

    /// <summary>OQSCD036 閲覧同意情報種別.</summary>
    public static readonly CodeTable<ConsentInformationKind> ConsentInformationKind = new("OQSCD036", "閲覧同意情報種別",
        (Codes.ConsentInformationKind.SpecificDiseaseCertificate, "TSR", "特定疾病療養受療証"),
        (Codes.ConsentInformationKind.SpecificHealthCheckups, "TKK", "特定健診"),
        (Codes.ConsentInformationKind.Pharmaceutical, "YZK", "薬剤・処方"),
        (Codes.ConsentInformationKind.Diagnosis, "SRJ", "診療/その他アレルギー/薬剤アレルギー/検査"),
        (Codes.ConsentInformationKind.Operation, "SHJ", "手術/傷病名/感染症"));

    /// <summary>OQSCD037 利用設定区分.</summary>
    public static readonly CodeTable<UsageSetting> UsageSetting = new("OQSCD037", "利用設定区分",
        (Codes.UsageSetting.NotUsed, "0", "利用しない"),
        (Codes.UsageSetting.Used, "1", "利用する"));

    /// <summary>OQSCD038 電子処方箋利用区分.</summary>
    public static readonly CodeTable<ElectronicPrescriptionUsage> ElectronicPrescriptionUsage = new("OQSCD038", "電子処方箋利用区分",
        (Codes.ElectronicPrescriptionUsage.NotUsed, "0", "利用しない"),
        (Codes.ElectronicPrescriptionUsage.ElectronicOnly, "1", "電子処方箋のみ"),
        (Codes.ElectronicPrescriptionUsage.ElectronicAndPaper, "2", "電子処方箋と紙の処方箋の併用"),
        (Codes.ElectronicPrescriptionUsage.PaperOnly, "3", "紙の処方箋のみ"));

    /// <summary>OQSCD039 処方箋発行形態選択タイミング.</summary>
    public static readonly CodeTable<PrescriptionSelectionTiming> PrescriptionSelectionTiming = new("OQSCD039", "処方箋発行形態選択タイミング",
        (Codes.PrescriptionSelectionTiming.OutsideQualificationConfirmation, "1", "資格確認時以外"),
        (Codes.PrescriptionSelectionTiming.AtQualificationConfirmation, "2", "資格確認時"));

    /// <summary>OQSCD041 二要素認証 要素.</summary>
    public static readonly CodeTable<AuthenticationFactorKind> AuthenticationFactorKind = new("OQSCD041", "二要素認証要素",
        (Codes.AuthenticationFactorKind.Knowledge, "1", "記憶"),
        (Codes.AuthenticationFactorKind.Biometric, "2", "生体情報"),
        (Codes.AuthenticationFactorKind.Possession, "3", "物理媒体"));

    /// <summary>一部負担金割合 (InsuredPartialContributionRatio; not an OQSCD table: a 3-digit ratio in tenths).</summary>
    public static readonly CodeTable<PartialContributionRatio> PartialContributionRatio = new("InsuredPartialContributionRatio", "一部負担金割合",
        (Codes.PartialContributionRatio.OneTenth, "010", "1割"),
        (Codes.PartialContributionRatio.TwoTenths, "020", "2割"),
        (Codes.PartialContributionRatio.ThreeTenths, "030", "3割"));

    /// <summary>Onshi's own 処理結果コード (the official 別紙6-1 catalogue is not public).</summary>
    public static readonly CodeTable<OnshiProcessingResultCode> OnshiProcessingResultCode = new("ONS-PRC", "処理結果コード（Onshi独自）",
        (Codes.OnshiProcessingResultCode.CertificateExpiresWithinThreeMonths, "ONSI0001", "利用者証明用電子証明書の有効期限まで3か月以内です。"),
        (Codes.OnshiProcessingResultCode.CertificateExpiredWithinGrace, "ONSI0002", "利用者証明用電子証明書の有効期限が切れています（有効期限後3か月以内のため資格情報の提供のみ可能）。"));

    /// <summary>Every table, for listings and tests.</summary>
    public static IReadOnlyList<object> All { get; } =
    [
        LimitCertificateConsentFlag, ReferenceClassification, SegmentOfResult, ProcessingResultStatus, CharacterCodeIdentifier,
        QualificationValidity, Sex, ReasonOfLoss, PersonalFamilyClassification, InsuredCardClassification,
        LimitCertificateClassification, LimitApplicationBracket, SpecificDiseaseCategory, LimitCertificateChanged,
        PreschoolClassification, ConsentFlag, PrescriptionIssueSelect, MedicalTicketType, MedicalTreatmentType,
        SingleOrCombinedUse, StatusOfSocialInsurance, ConsistencyFlag, DesignatedInstitutionFlag, SamePersonFlag,
        MedicalTreatmentFlag, MedicalInformationKind, MedicalInformationDisplay, ConsentExpiryReason, QualificationChangeFlag,
        AccessUrlKind, AccessUrlFormat, AccessUrlChange, ConsentInformationKind, UsageSetting, ElectronicPrescriptionUsage,
        PrescriptionSelectionTiming, AuthenticationFactorKind, PartialContributionRatio, OnshiProcessingResultCode,
    ];

    /// <summary>The table for an enum type; throws for an enum that has none.</summary>
    public static CodeTable<TEnum> For<TEnum>() where TEnum : struct, Enum
    {
        // Touching a static member guarantees the field initialisers above (which register each table) have run.
        _ = All.Count;
        return CodeTableRegistry<TEnum>.Table
            ?? throw new ArgumentException($"{typeof(TEnum).Name} has no code table.", nameof(TEnum));
    }
}
