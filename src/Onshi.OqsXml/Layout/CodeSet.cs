namespace Onshi.OqsXml.Layout;

/// <summary>
/// A 業務コード table (別紙5-1, OQSCDxxx) as far as it is publicly known. These are local copies so this library
/// stays independent; once Onshi.Core.Codes has the shared tables, <see cref="OqsCodeSets"/> should read from them.
/// </summary>
public sealed class CodeSet
{
    private readonly HashSet<string> _codes;

    public CodeSet(string id, string name, params (string Code, string Meaning)[] entries)
    {
        Id = id;
        Name = name;
        Entries = entries;
        _codes = new HashSet<string>(entries.Select(e => e.Code), StringComparer.Ordinal);
    }

    /// <summary>The table id, e.g. <c>OQSCD006</c>.</summary>
    public string Id { get; }

    public string Name { get; }

    public IReadOnlyList<(string Code, string Meaning)> Entries { get; }

    public bool Contains(string code) => _codes.Contains(code);

    public string? MeaningOf(string? code)
    {
        foreach (var (c, meaning) in Entries)
        {
            if (c == code)
            {
                return meaning;
            }
        }

        return null;
    }
}

/// <summary>The code tables the folder interface uses (values from oqs-system.md §3.5).</summary>
public static class OqsCodeSets
{
    public static CodeSet ConsentFlag { get; } = new("OQSCD001", "同意フラグ（限度額）", ("0", "未同意"), ("1", "同意"));

    public static CodeSet ReferenceClassification { get; } = new("OQSCD002", "照会区分", ("1", "マイナンバーカード"), ("2", "被保険者証情報"));

    public static CodeSet SegmentOfResult { get; } = new("OQSCD003", "処理結果区分", ("1", "正常終了"), ("2", "処理中"), ("9", "異常終了"));

    public static CodeSet ProcessingResultStatus { get; } = new("OQSCD004", "処理結果状況", ("1", "正常終了"), ("2", "エラー"));

    public static CodeSet CharacterCodeIdentifier { get; } = new("OQSCD005", "文字コード識別", ("0", "UTF-8"), ("1", "Shift_JIS"));

    public static CodeSet QualificationValidity { get; } = new(
        "OQSCD006", "資格有効性",
        ("1", "有効"), ("2", "無効"), ("3", "無効（新しい資格あり）"), ("4", "該当資格なし"), ("5", "複数該当"), ("6", "有効（未登録）"));

    public static CodeSet Sex { get; } = new("OQSCD007", "性別", ("1", "男"), ("2", "女"), ("3", "未設定"));

    public static CodeSet ReasonOfLoss { get; } = new(
        "OQSCD008", "資格喪失事由", ("01", "死亡"), ("02", "生活保護受給開始"), ("03", "医療保険等の資格取得"), ("99", "その他"));

    public static CodeSet PersonalFamilyClassification { get; } = new("OQSCD009", "本人・家族の別", ("1", "本人"), ("2", "家族"));

    public static CodeSet InsuredCardClassification { get; } = new(
        "OQSCD010", "被保険者証区分",
        ("01", "被保険者証（一般）"), ("02", "被保険者証（退職）"), ("03", "短期被保険者証（一般）"), ("04", "短期被保険者証（退職）"),
        ("05", "被保険者資格証明書"), ("06", "特例退職被保険者証"), ("07", "自衛官診療証"), ("A1", "医療扶助"));

    public static CodeSet LimitCertificateClassification { get; } = new(
        "OQSCD011", "限度額適用認定証区分",
        ("01", "限度額適用認定証"), ("02", "限度額適用・標準負担額減額認定証"), ("03", "標準負担額減額認定証"));

    public static CodeSet LimitCertificateClassificationFlag { get; } = new(
        "OQSCD012", "限度額適用認定証適用区分",
        ("A01", "ア"), ("A02", "イ"), ("A03", "ウ"), ("A04", "エ"), ("A05", "オ"), ("A06", "オ（境）"),
        ("B01", "現役並みⅢ"), ("B02", "現役並みⅡ"), ("B03", "現役並みⅠ"), ("B04", "一般"), ("B05", "低所得Ⅱ"),
        ("B06", "低所得Ⅰ"), ("B07", "低所得Ⅰ（老福）"), ("B08", "低所得Ⅰ（境）"), ("B09", "一般Ⅱ"), ("B10", "一般Ⅰ"));

    public static CodeSet SpecificDiseaseCategory { get; } = new(
        "OQSCD013", "特定疾病区分",
        ("1", "人工透析を必要とする慢性腎不全"), ("2", "先天性血液凝固因子障害"), ("3", "血液凝固因子製剤の投与に起因するHIV感染症"));

    public static CodeSet LimitCertificateChanged { get; } = new("OQSCD014", "限度額適用認定証情報変更有無", ("0", "変更なし"), ("1", "変更あり／判定不能"));

    public static CodeSet PreschoolClassification { get; } = new("OQSCD015", "未就学区分", ("1", "未就学該当"));

    public static CodeSet InformationConsentFlag { get; } = new(
        "OQSCD016", "閲覧同意フラグ", ("0", "同意なし"), ("1", "同意あり"), ("2", "同意有効期限切れ"), ("3", "同意取得困難"));

    public static CodeSet PrescriptionIssueSelect { get; } = new("OQSCD017", "処方箋発行形態", ("1", "電子処方箋"), ("2", "紙の処方箋"));

    public static CodeSet TicketType { get; } = new("OQSCD018", "医療券・調剤券別", ("01", "医療券"), ("02", "調剤券"));

    public static CodeSet MedicalTreatmentType { get; } = new(
        "OQSCD019", "診療別", ("01", "入院"), ("02", "入院外"), ("03", "歯科"), ("04", "調剤"), ("05", "訪問看護"));

    public static CodeSet SingleOrCombinedUse { get; } = new("OQSCD020", "単独・併用別", ("01", "単独"), ("02", "併用"));

    public static CodeSet StatusOfSocialInsurance { get; } = new("OQSCD021", "社会保険状況", ("01", "あり"), ("02", "なし"));

    public static CodeSet ConsistencyFlag { get; } = new("OQSCD022", "社会保険状況の整合性フラグ", ("1", "不整合あり"));

    // OQSCD023–025: only the table names are public; the values are our guess (01 該当, 02 非該当), docs/receipt-xml.md.
    public static CodeSet StatusOfInfection { get; } = new("OQSCD023", "感染症法第37条の2の該当状況（値は推定）", ("01", "該当"), ("02", "非該当"));

    public static CodeSet StatusOfElderlyMedicalCare { get; } = new("OQSCD024", "後期高齢者医療の該当状況（値は推定）", ("01", "該当"), ("02", "非該当"));

    public static CodeSet StatusOfPrefecturalExpenses { get; } = new("OQSCD025", "都道府県費の該当状況（値は推定）", ("01", "該当"), ("02", "非該当"));

    public static CodeSet DesignatedMedicalInstitutionFlag { get; } = new("OQSCD026", "指定医療機関確認フラグ", ("0", "一致"), ("1", "不一致"));

    /// <summary>Only 2 and 3 are meaningful in the 同意済資格情報一括取得 requests.</summary>
    public static CodeSet MedicalTreatmentFlag { get; } = new("OQSCD028", "診療区分", ("2", "訪問診療等"), ("3", "オンライン診療等"));
}
