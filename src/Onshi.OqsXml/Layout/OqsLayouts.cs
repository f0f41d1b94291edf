using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using static Onshi.OqsXml.Layout.Occurrence;

namespace Onshi.OqsXml.Layout;

/// <summary>One message layout: the tree under XmlMsg and the model type it maps to.</summary>
public sealed class OqsLayout
{
    internal OqsLayout(OqsMessageKind kind, string title, string files, Type modelType, LayoutNode root, params OqsLayout[] readOnlyForms)
    {
        Kind = kind;
        Title = title;
        Files = files;
        ModelType = modelType;
        Root = root;
        ReadOnlyForms = readOnlyForms;
    }

    /// <summary>
    /// Older or disputed element orders the reader still accepts (tried only when this layout's order fails), never
    /// written. Where public evidence is mixed we write one form and read both (docs/receipt-xml.md).
    /// </summary>
    public IReadOnlyList<OqsLayout> ReadOnlyForms { get; }

    public OqsMessageKind Kind { get; }

    public string Title { get; }

    /// <summary>Which file names use this layout.</summary>
    public string Files { get; }

    public Type ModelType { get; }

    /// <summary>The XmlMsg element.</summary>
    public LayoutNode Root { get; }

    /// <summary>Every element depth-first in document order, with its path (e.g. <c>XmlMsg/MessageHeader/SegmentOfResult</c>).</summary>
    public IEnumerable<(string Path, int Depth, LayoutNode Node)> Flatten()
    {
        var stack = new Stack<(string, int, LayoutNode)>();
        stack.Push((Root.Name, 0, Root));
        while (stack.Count > 0)
        {
            var (path, depth, node) = stack.Pop();
            yield return (path, depth, node);
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((path + "/" + node.Children[i].Name, depth + 1, node.Children[i]));
            }
        }
    }
}

/// <summary>
/// The layout table of every message Onshi reads or writes. Element names and order follow oqs-system.md §3
/// (別紙3-1 as quoted by public implementations); where the public sources say nothing, the node's Note says
/// "推定" (our guess) so docs/receipt-xml.md shows it.
/// </summary>
public static class OqsLayouts
{
    private const string Guess = "推定";

    private static readonly Dictionary<OqsMessageKind, OqsLayout> ByKind = Build().ToDictionary(l => l.Kind);

    public static IReadOnlyList<OqsLayout> All { get; } = [.. ByKind.Values];

    public static OqsLayout For(OqsMessageKind kind) => ByKind[kind];

    private static IEnumerable<OqsLayout> Build()
    {
        yield return Request(OqsMessageKind.QualificationConfirmationRequest, "資格確認要求 (OQS-IF-001)", "OQSsiquc01req_*.xml",
            typeof(QualificationConfirmationRequest), dateRequired: true,
            L.Group<QualificationConfirmSearchInfo>("QualificationConfirmSearchInfo", "資格確認照会用情報", Required, "SearchInfo", null, SearchInfoFields(echo: false)));

        yield return Request(OqsMessageKind.ReferenceNumberRegistrationRequest, "照会番号登録要求 (OQS-IF-003)", "OQSsiimm01req_*.xml",
            typeof(ReferenceNumberRegistrationRequest), dateRequired: false,
            L.Group<ReferenceNumberRegistrationInfo>("ReferenceNumberRegistrationInfo", "照会番号登録情報", Required, "RegistrationInfo", null, RegistrationFields(echo: false)));

        yield return Request(OqsMessageKind.BulkQualificationConfirmationRequest, "資格確認一括照会要求 (OQS-IF-005)", "OQSmuquc01req_*.xml",
            typeof(BulkQualificationConfirmationRequest), dateRequired: true,
            L.Repeated<QualificationConfirmSearchInfo>("QualificationConfirmSearchInfo", "資格確認照会用情報（繰返し）", Required, "SearchInfos", null, SearchInfoFields(echo: false)));

        yield return Request(OqsMessageKind.BulkReferenceNumberRegistrationRequest, "照会番号一括登録要求 (OQS-IF-009)", "OQSmuimm01req_*.xml",
            typeof(BulkReferenceNumberRegistrationRequest), dateRequired: false,
            L.Repeated<ReferenceNumberRegistrationInfo>("ReferenceNumberRegistrationInfo", "照会番号登録情報（繰返し）", Required, "RegistrationInfos", null, RegistrationFields(echo: false)));

        yield return Request(OqsMessageKind.ConsentedQualificationBulkRequest, "同意済資格情報一括取得要求（訪問診療等／オンライン診療等） (OQS-IF-017/021)",
            "OQSmuhvq01req_*.xml, OQSmuonq01req_*.xml", typeof(ConsentedQualificationBulkRequest), dateRequired: false,
            L.Group<ConsentedQualificationSearch>("QualificationConfirmSearchInfo", "検索条件", Required, "Search", null,
                L.Leaf("ConsentDateFrom", "同意年月日（開始）", Conditional, FieldFormat.Date, "同意年月日か受診日のどちらか一方の範囲を指定"),
                L.Leaf("ConsentDateTo", "同意年月日（終了）", Conditional, FieldFormat.Date, "ConsentDateFrom と組で指定"),
                L.Leaf("ExaminationDateFrom", "受診日（開始）", Conditional, FieldFormat.Date, "同意年月日か受診日のどちらか一方の範囲を指定"),
                L.Leaf("ExaminationDateTo", "受診日（終了）", Conditional, FieldFormat.Date, "ExaminationDateFrom と組で指定"),
                L.Leaf("MedicalTreatmentFlag", "診療区分", Optional, FieldFormat.Code(OqsCodeSets.MedicalTreatmentFlag), "指定時は muhvq=2, muonq=3")));

        yield return Request(OqsMessageKind.MedicalAssistanceBulkRequest, "医療扶助 一括取得要求 (OQSmutic01req; IF-013 推定)",
            "OQSmutic01req_*.xml", typeof(MedicalAssistanceBulkRequest), dateRequired: false,
            L.Group<MedicalAssistanceSearch>("QualificationConfirmSearchInfo", "検索条件", Required, "Search", null,
                L.Leaf("MedicalTreatmentMonth", "診療年月", Required, FieldFormat.Month, "公開のレセコン側実装が書く唯一の条件")));

        yield return new OqsLayout(OqsMessageKind.BulkResultRequest, "一括要求の結果取得要求 (02req)", "OQSmuquc02req_, OQSmuimm02req_, OQSmuhvq02req_, OQSmuonq02req_, OQSmutic02req_",
            typeof(BulkResultRequest),
            RequestEnvelope(
                L.Leaf("QualificationConfirmationDate", "資格確認日", Optional, FieldFormat.Date),
                L.Inline("MessageBody", "ボディ部", Required, null,
                    L.Leaf("ReceptionNumber", "受付番号", Required, FieldFormat.ReceptionNumber, Guess + "（形式）")).ToleratingUnknownChildren()));

        yield return Response(OqsMessageKind.QualificationConfirmationResponse, "資格確認結果 (OQS-IF-002) と face ファイル", "OQSsiquc01res_*.xml, OQSsiquc01res_face_*.xml",
            typeof(QualificationConfirmationResponse), withReferenceClassification: true, bulk: false,
            L.Group<QualificationConfirmationResult>("MessageBody", "ボディ部", Required, "Body", null, SingleResultFields(legacy: false)),
            Response(OqsMessageKind.QualificationConfirmationResponse, "資格確認結果（旧形式: 照会番号が ResultOfQualificationConfirmation の中）", "", typeof(QualificationConfirmationResponse),
                withReferenceClassification: true, bulk: false,
                L.Group<QualificationConfirmationResult>("MessageBody", "ボディ部", Required, "Body", null, SingleResultFields(legacy: true))));

        yield return Response(OqsMessageKind.ReferenceNumberRegistrationResponse, "照会番号登録結果 (OQS-IF-004)", "OQSsiimm01res_*.xml",
            typeof(ReferenceNumberRegistrationResponse), withReferenceClassification: false, bulk: false,
            L.Group<ReferenceNumberRegistrationResult>("MessageBody", "ボディ部", Required, "Body", Guess + "（ボディ部の構成は BulkRegistrationUnit と同じとした）", RegistrationResultFields()));

        yield return Response(OqsMessageKind.BulkAcceptedResponse, "一括要求の受付結果 (01res)", "OQSmuquc01res_, OQSmuimm01res_, OQSmuhvq01res_, OQSmuonq01res_, OQSmutic01res_",
            typeof(BulkAcceptedResponse), withReferenceClassification: false, bulk: true,
            L.Inline("MessageBody", "ボディ部", Required, Guess + "（受付番号はヘッダ部に設定、ボディ部は空）"),
            Response(OqsMessageKind.BulkAcceptedResponse, "一括要求の受付結果（旧ヘッダ順）", "", typeof(BulkAcceptedResponse), withReferenceClassification: false, bulk: true,
                L.Inline("MessageBody", "ボディ部", Required, null), legacyHeaderOrder: true));

        yield return Response(OqsMessageKind.BulkQualificationResultResponse, "一括照会結果 (02res)", "OQSmuquc02res_, OQSmuhvq02res_, OQSmuonq02res_, OQSmutic02res_",
            typeof(BulkQualificationResultResponse), withReferenceClassification: false, bulk: true,
            L.Inline("MessageBody", "ボディ部", Required, null,
                L.Repeated<QualificationConfirmationResult>("BulkConfirmUnit", "一括照会結果単位", Optional, "Units", "処理中（SegmentOfResult 2）の間は無し", BulkUnitFields())),
            Response(OqsMessageKind.BulkQualificationResultResponse, "一括照会結果（旧形式: Onshi 2026-11 版）", "", typeof(BulkQualificationResultResponse),
                withReferenceClassification: false, bulk: true,
                L.Inline("MessageBody", "ボディ部", Required, null,
                    L.Repeated<QualificationConfirmationResult>("BulkConfirmUnit", "一括照会結果単位", Optional, "Units", null, SingleResultFields(legacy: true))),
                legacyHeaderOrder: true));

        yield return Response(OqsMessageKind.BulkRegistrationResultResponse, "照会番号一括登録結果 (02res)", "OQSmuimm02res_*.xml",
            typeof(BulkRegistrationResultResponse), withReferenceClassification: false, bulk: true,
            L.Inline("MessageBody", "ボディ部", Required, null,
                L.Repeated<ReferenceNumberRegistrationResult>("BulkRegistrationUnit", "一括登録結果単位", Optional, "Units", "処理中（SegmentOfResult 2）の間は無し", RegistrationResultFields())),
            Response(OqsMessageKind.BulkRegistrationResultResponse, "照会番号一括登録結果（旧ヘッダ順）", "", typeof(BulkRegistrationResultResponse), withReferenceClassification: false, bulk: true,
                L.Inline("MessageBody", "ボディ部", Required, null,
                    L.Repeated<ReferenceNumberRegistrationResult>("BulkRegistrationUnit", "一括登録結果単位", Optional, "Units", null, RegistrationResultFields())),
                legacyHeaderOrder: true));
    }

    /// <summary>
    /// Requests tolerate undefined elements in XmlMsg, the header and the body itself (skipped and reported), never
    /// inside the condition that names the person or the search: ignoring one there could answer for someone else.
    /// </summary>
    private static OqsLayout Request(OqsMessageKind kind, string title, string files, Type modelType, bool dateRequired, LayoutNode body) =>
        new(kind, title, files, modelType,
            RequestEnvelope(
                L.Leaf("QualificationConfirmationDate", "資格確認日", dateRequired ? Required : Optional, FieldFormat.Date),
                L.Inline("MessageBody", "ボディ部", Required, null, body).ToleratingUnknownChildren()));

    private static LayoutNode RequestEnvelope(LayoutNode confirmationDate, LayoutNode body) =>
        L.Inline("XmlMsg", "電文", Required, null,
            L.Group<OqsRequestHeader>("MessageHeader", "ヘッダ部", Required, "Header", null,
                confirmationDate,
                L.Leaf("MedicalInstitutionCode", "医療機関コード", Required, FieldFormat.MedicalInstitutionCode),
                L.Leaf("ArbitraryFileIdentifier", "任意のファイル識別子", Optional, FieldFormat.Text(50), Guess + "（桁数）")).ToleratingUnknownChildren(),
            body).ToleratingUnknownChildren();

    private static OqsLayout Response(OqsMessageKind kind, string title, string files, Type modelType, bool withReferenceClassification, bool bulk, LayoutNode body, params OqsLayout[] readOnlyForms) =>
        Response(kind, title, files, modelType, withReferenceClassification, bulk, body, legacyHeaderOrder: false, readOnlyForms);

    /// <summary>
    /// The bulk header follows the public model of OQSmuquc02res: ReceptionNumber right after ArbitraryFileIdentifier,
    /// the NumberOf* counts between ErrorMessage and CharacterCodeIdentifier. <paramref name="legacyHeaderOrder"/> is
    /// the order Onshi wrote before (all four after CharacterCodeIdentifier), still read.
    /// </summary>
    private static OqsLayout Response(OqsMessageKind kind, string title, string files, Type modelType, bool withReferenceClassification, bool bulk, LayoutNode body, bool legacyHeaderOrder, params OqsLayout[] readOnlyForms)
    {
        var header = new List<LayoutNode>
        {
            L.Leaf("ProcessExecutionTime", "処理実行日時", Required, FieldFormat.DateTime, "日本時間"),
            L.Leaf("QualificationConfirmationDate", "資格確認日", Optional, FieldFormat.Date, "要求の値（正しい場合）"),
            L.Leaf("MedicalInstitutionCode", "医療機関コード", Conditional, FieldFormat.MedicalInstitutionCode, "要求の値が正しい場合に設定"),
            L.Leaf("ArbitraryFileIdentifier", "任意のファイル識別子", Optional, FieldFormat.Text(50), "要求の値をそのまま返す"),
        };
        var reception = L.Leaf("ReceptionNumber", "受付番号", Conditional, FieldFormat.ReceptionNumber, "SegmentOfResult=1,2 のとき必須（位置は公開モデル、形式は" + Guess + "）");
        LayoutNode[] counts =
        [
            L.Leaf("NumberOfProcessingResult", "処理件数", Optional, FieldFormat.Count, "位置は公開モデル"),
            L.Leaf("NumberOfNormalProcessing", "正常件数", Optional, FieldFormat.Count, "位置は公開モデル"),
            L.Leaf("NumberOfError", "エラー件数", Optional, FieldFormat.Count, "位置は公開モデル"),
        ];
        if (bulk && !legacyHeaderOrder)
        {
            header.Add(reception);
        }

        if (withReferenceClassification)
        {
            header.Add(L.Leaf("ReferenceClassification", "照会区分", Conditional, FieldFormat.Code(OqsCodeSets.ReferenceClassification), "SegmentOfResult=1 のとき必須"));
        }

        header.Add(L.Leaf("SegmentOfResult", "処理結果区分", Required, FieldFormat.Code(OqsCodeSets.SegmentOfResult)));
        header.Add(L.Leaf("ErrorCode", "エラーコード", Conditional, FieldFormat.ErrorCode, "SegmentOfResult=9 のとき必須、それ以外は無し（Onshi独自コード ONSX####）"));
        header.Add(L.Leaf("ErrorMessage", "エラーメッセージ", Conditional, FieldFormat.Text(200), "SegmentOfResult=9 のとき必須"));
        if (bulk && !legacyHeaderOrder)
        {
            header.AddRange(counts);
        }

        header.Add(L.Leaf("CharacterCodeIdentifier", "文字コード識別", Required, FieldFormat.Code(OqsCodeSets.CharacterCodeIdentifier), "要求の文字コードに合わせる"));
        if (bulk && legacyHeaderOrder)
        {
            header.Add(reception);
            header.AddRange(counts);
        }

        return new OqsLayout(kind, title, files, modelType,
            L.Inline("XmlMsg", "電文", Required, null,
                L.Group<OqsResponseHeader>("MessageHeader", "ヘッダ部", Required, "Header", null, [.. header]),
                body),
            readOnlyForms);
    }

    private static LayoutNode[] SearchInfoFields(bool echo)
    {
        var required = echo ? Optional : Required;
        return
        [
            L.Leaf("InsurerNumber", "保険者番号", required, FieldFormat.InsurerNumber),
            L.Leaf("InsuredCardSymbol", "被保険者証記号", Optional, FieldFormat.Text(20)),
            L.Leaf("InsuredIdentificationNumber", "被保険者証番号", required, FieldFormat.Text(20)),
            L.Leaf("InsuredBranchNumber", "被保険者証枝番", Optional, FieldFormat.BranchNumber, "後期高齢者以外は設定"),
            L.Leaf("Birthdate", "生年月日", required, FieldFormat.Date),
            L.Leaf("LimitApplicationCertificateRelatedConsFlg", "限度額適用認定証提供同意フラグ", required, FieldFormat.Code(OqsCodeSets.ConsentFlag)),
            L.Leaf("ArbitraryIdentifier", "任意の識別子", Optional, FieldFormat.Text(50), Guess + "（桁数）"),
        ];
    }

    private static LayoutNode[] RegistrationFields(bool echo)
    {
        var required = echo ? Optional : Required;
        return
        [
            L.Leaf("ReferenceNumber", "照会番号", required, FieldFormat.Text(50)),
            L.Leaf("InsurerNumber", "保険者番号", required, FieldFormat.InsurerNumber),
            L.Leaf("InsuredCardSymbol", "被保険者証記号", Optional, FieldFormat.Text(20)),
            L.Leaf("InsuredIdentificationNumber", "被保険者証番号", required, FieldFormat.Text(20)),
            L.Leaf("InsuredBranchNumber", "被保険者証枝番", Optional, FieldFormat.BranchNumber),
        ];
    }

    private static LayoutNode[] RegistrationResultFields() =>
    [
        L.Group<ReferenceNumberRegistrationInfo>("ReferenceNumberRegistrationInfo", "照会番号登録情報（要求の値）", Optional, "RegistrationInfo", "要求の値のうち形式の正しい項目のみ", RegistrationFields(echo: true)),
        L.Leaf("ProcessingResultStatus", "処理結果状況", Conditional, FieldFormat.Code(OqsCodeSets.ProcessingResultStatus), "SegmentOfResult=1 のとき必須"),
        L.Leaf("ProcessingResultCode", "処理結果コード", Conditional, FieldFormat.ErrorCode, "ProcessingResultStatus=2 のとき必須"),
        L.Leaf("ProcessingResultMessage", "処理結果メッセージ", Conditional, FieldFormat.Text(200), "ProcessingResultCode があるとき必須"),
    ];

    private static LayoutNode[] ProcessingResultFields() =>
    [
        L.Leaf("ProcessingResultStatus", "処理結果状況", Conditional, FieldFormat.Code(OqsCodeSets.ProcessingResultStatus), "SegmentOfResult=1 のとき必須"),
        L.Leaf("ProcessingResultCode", "処理結果コード", Conditional, FieldFormat.ErrorCode, "ProcessingResultStatus=2 のとき必須（正常時も付帯情報があれば設定）"),
        L.Leaf("ProcessingResultMessage", "処理結果メッセージ", Conditional, FieldFormat.Text(200), "ProcessingResultCode があるとき必須"),
        L.Leaf("QualificationValidity", "資格有効性", Conditional, FieldFormat.Code(OqsCodeSets.QualificationValidity), "ProcessingResultStatus=1 のとき必須"),
    ];

    private static LayoutNode SearchEcho() =>
        L.Group<QualificationConfirmSearchInfo>("QualificationConfirmSearchInfo", "資格確認照会用情報（要求の値）", Optional, "SearchInfo", "要求の値のうち形式の正しい項目のみ。face では無し", SearchInfoFields(echo: true));

    private static LayoutNode BodyReferenceNumber(string note) => L.Leaf("ReferenceNumber", "照会番号", Optional, FieldFormat.Text(50), note);

    /// <summary>
    /// MessageBody of OQSsiquc01res and the face file, in the order of oqs-system.md §3.5. 照会番号 is at MessageBody
    /// level (§3.5 MessageBody table, and the BulkConfirmUnit of the public model); <paramref name="legacy"/> is the
    /// form Onshi wrote before, with 照会番号 inside ResultOfQualificationConfirmation, still read.
    /// </summary>
    private static LayoutNode[] SingleResultFields(bool legacy) =>
    [
        .. ProcessingResultFields(),
        L.Leaf("PrescriptionIssueSelect", "処方箋発行形態", Optional, FieldFormat.Code(OqsCodeSets.PrescriptionIssueSelect)),
        SearchEcho(),
        L.Inline("ResultList", "資格確認結果リスト", Optional, "QualificationValidity 4（該当資格なし）では無し",
            L.Repeated<ResultOfQualificationConfirmation>("ResultOfQualificationConfirmation", "資格確認結果", Optional, "Results", null, ResultFields(referenceNumberInside: legacy))),
        .. legacy ? Array.Empty<LayoutNode>() : [BodyReferenceNumber("oqs-system.md §3.5 ボディ部の表に従い ResultList の後")],
    ];

    /// <summary>
    /// BulkConfirmUnit as in the public model of OQSmuquc02res: the request echo first, then the outcome, then
    /// ResultOfQualificationConfirmation directly (no ResultList), then 照会番号.
    /// </summary>
    private static LayoutNode[] BulkUnitFields() =>
    [
        SearchEcho(),
        .. ProcessingResultFields(),
        L.Repeated<ResultOfQualificationConfirmation>("ResultOfQualificationConfirmation", "資格確認結果", Optional, "Results", "ResultList で囲まない（公開モデル）。QualificationValidity 4 では無し", ResultFields(referenceNumberInside: false)),
        BodyReferenceNumber("BulkConfirmUnit の子（公開モデル）"),
    ];

    private static LayoutNode[] ResultFields(bool referenceNumberInside) =>
    [
        L.Leaf("InsuredCardClassification", "被保険者証区分", Required, FieldFormat.Code(OqsCodeSets.InsuredCardClassification)),
        L.Leaf("InsurerNumber", "保険者番号", Required, FieldFormat.InsurerNumber, "医療扶助では公費負担者番号"),
        L.Leaf("InsuredCardSymbol", "被保険者証記号", Optional, FieldFormat.Text(20)),
        L.Leaf("InsuredIdentificationNumber", "被保険者証番号", Required, FieldFormat.Text(20)),
        L.Leaf("InsuredBranchNumber", "被保険者証枝番", Optional, FieldFormat.BranchNumber),
        L.Leaf("PersonalFamilyClassification", "本人・家族の別", Optional, FieldFormat.Code(OqsCodeSets.PersonalFamilyClassification)),
        L.Leaf("InsuredName", "被保険者氏名（世帯主氏名）", Optional, FieldFormat.Text(100)),
        L.Leaf("Name", "氏名", Required, FieldFormat.Text(100)),
        L.Leaf("NameOfOther", "氏名（その他）", Optional, FieldFormat.Text(100)),
        L.Leaf("NameKana", "氏名カナ", Optional, FieldFormat.Text(100)),
        L.Leaf("NameOfOtherKana", "氏名カナ（その他）", Optional, FieldFormat.Text(100)),
        L.Leaf("Sex1", "性別1", Required, FieldFormat.Code(OqsCodeSets.Sex)),
        L.Leaf("Sex2", "性別2", Optional, FieldFormat.Code(OqsCodeSets.Sex), "性別表記に配慮する場合のみ"),
        L.Leaf("Birthdate", "生年月日", Required, FieldFormat.Date),
        L.Leaf("Address", "住所", Optional, FieldFormat.Text(200)),
        L.Leaf("PostNumber", "郵便番号", Optional, FieldFormat.PostNumber),
        L.Leaf("QualificationDate", "資格取得年月日", Optional, FieldFormat.Date),
        L.Leaf("DisqualificationDate", "資格喪失年月日", Optional, FieldFormat.Date),
        L.Leaf("InsuredCertificateIssuanceDate", "被保険者証交付年月日", Optional, FieldFormat.Date),
        L.Leaf("InsuredCardValidDate", "被保険者証有効開始年月日", Optional, FieldFormat.Date),
        L.Leaf("InsuredCardExpirationDate", "被保険者証有効終了年月日", Optional, FieldFormat.Date),
        L.Leaf("InsuredPartialContributionRatio", "被保険者証一部負担金割合", Optional, FieldFormat.Ratio),
        L.Leaf("PreschoolClassification", "未就学区分", Optional, FieldFormat.Code(OqsCodeSets.PreschoolClassification)),
        L.Leaf("ReasonOfLoss", "資格喪失事由", Optional, FieldFormat.Code(OqsCodeSets.ReasonOfLoss)),
        L.Leaf("InsurerName", "保険者名称", Optional, FieldFormat.Text(100)),
        L.Group<ElderlyRecipientCertificateInfo>("ElderlyRecipientCertificateInfo", "高齢受給者証情報", Optional, null, "子要素名は" + Guess,
            L.Leaf("ElderlyRecipientCertificateDate", "高齢受給者証交付年月日", Optional, FieldFormat.Date),
            L.Leaf("ElderlyRecipientValidStartDate", "高齢受給者証有効開始年月日", Optional, FieldFormat.Date),
            L.Leaf("ElderlyRecipientValidEndDate", "高齢受給者証有効終了年月日", Optional, FieldFormat.Date),
            L.Leaf("ElderlyRecipientContributionRatio", "高齢受給者証一部負担金割合", Optional, FieldFormat.Ratio)),
        L.Leaf("LimitApplicationCertificateRelatedConsFlg", "限度額適用認定証提供同意フラグ", Optional, FieldFormat.Code(OqsCodeSets.ConsentFlag)),
        L.Leaf("LimitApplicationCertificateRelatedConsTime", "限度額適用認定証提供同意日時", Optional, FieldFormat.DateTime),
        L.Group<LimitApplicationCertificateRelatedInfo>("LimitApplicationCertificateRelatedInfo", "限度額適用認定証関連情報", Optional, null, "子要素名は" + Guess,
            L.Leaf("LimitApplicationCertificateClassification", "限度額適用認定証区分", Optional, FieldFormat.Code(OqsCodeSets.LimitCertificateClassification)),
            L.Leaf("LimitApplicationCertificateClassificationFlag", "限度額適用認定証適用区分", Optional, FieldFormat.Code(OqsCodeSets.LimitCertificateClassificationFlag)),
            L.Leaf("LimitApplicationCertificateDate", "限度額適用認定証交付年月日", Optional, FieldFormat.Date),
            L.Leaf("LimitApplicationCertificateValidStartDate", "限度額適用認定証有効開始年月日", Optional, FieldFormat.Date),
            L.Leaf("LimitApplicationCertificateValidEndDate", "限度額適用認定証有効終了年月日", Optional, FieldFormat.Date),
            L.Leaf("LimitApplicationCertificateLongTermDate", "限度額適用認定証長期入院該当年月日", Optional, FieldFormat.Date)),
        L.Leaf("LimitApplicationCertificateChanged", "限度額適用認定証情報変更有無", Optional, FieldFormat.Code(OqsCodeSets.LimitCertificateChanged), "一括照会結果のみ"),
        L.Leaf("SpecificDiseasesCertificateRelatedConsFlg", "特定疾病療養受療証提供同意フラグ", Optional, FieldFormat.Code(OqsCodeSets.InformationConsentFlag)),
        L.Leaf("SpecificDiseasesCertificateRelatedConsTime", "特定疾病療養受療証提供同意日時", Optional, FieldFormat.DateTime),
        L.Inline("SpecificDiseasesCertificateList", "特定疾病療養受療証リスト", Optional, null,
            L.Repeated<SpecificDiseasesCertificateInfo>("SpecificDiseasesCertificateInfo", "特定疾病療養受療証情報", Optional, "SpecificDiseasesCertificates", "子要素名は" + Guess,
                L.Leaf("SpecificDiseasesDiseaseCategory", "特定疾病区分", Optional, FieldFormat.Code(OqsCodeSets.SpecificDiseaseCategory)),
                L.Leaf("SpecificDiseasesCertificateDate", "特定疾病療養受療証交付年月日", Optional, FieldFormat.Date),
                L.Leaf("SpecificDiseasesValidStartDate", "特定疾病療養受療証有効開始年月日", Optional, FieldFormat.Date),
                L.Leaf("SpecificDiseasesValidEndDate", "特定疾病療養受療証有効終了年月日", Optional, FieldFormat.Date),
                L.Leaf("SpecificDiseasesSelfPay", "自己負担限度額", Optional, FieldFormat.Amount))),
        L.Inline("PublicExpenseResultList", "医療扶助資格確認結果リスト", Optional, "医療扶助（InsuredCardClassification A1）のみ。位置・子要素は公開モデル",
            L.Repeated<MedicalTicketInfo>("MedicalTicketInfo", "医療券・調剤券情報", Optional, "MedicalTickets", null, MedicalTicketFields())),
        .. ConsentTriple("SpecificHealthCheckupsInfo", "特定健診情報閲覧"),
        .. ConsentTriple("PharmacistsInfo", "薬剤情報閲覧"),
        .. ConsentTriple("DiagnosisInfo", "診療情報閲覧"),
        .. ConsentTriple("OperationInfo", "手術情報閲覧"),
        .. referenceNumberInside ? [L.Leaf("ReferenceNumber", "照会番号", Optional, FieldFormat.Text(50))] : Array.Empty<LayoutNode>(),
        L.Leaf("ArbitraryIdentifier", "任意の識別子", Optional, FieldFormat.Text(50)),
        L.Leaf("QualificationConfirmationKey", "資格確認キー", Optional, FieldFormat.Text(100), "face ファイルで観測。位置・桁数は" + Guess),
    ];

    private static LayoutNode[] MedicalTicketFields() =>
    [
        L.Leaf("TicketType", "医療券・調剤券別", Required, FieldFormat.Code(OqsCodeSets.TicketType)),
        L.Leaf("MedicalTicketValidDate", "医療券・調剤券有効開始年月日", Optional, FieldFormat.Date),
        L.Leaf("MedicalTicketExpirationDate", "医療券・調剤券有効終了年月日", Optional, FieldFormat.Date),
        L.Leaf("IssueNumber", "交付番号", Optional, FieldFormat.Text(20), "桁数は" + Guess),
        L.Leaf("MedicalTreatmentMonth", "診療年月", Optional, FieldFormat.Month),
        L.Leaf("DesignatedMedicalInstitutionCode", "指定医療機関コード", Optional, FieldFormat.MedicalInstitutionCode),
        L.Leaf("DesignatedMedicalInstitutionFlag", "指定医療機関確認フラグ", Optional, FieldFormat.Code(OqsCodeSets.DesignatedMedicalInstitutionFlag)),
        L.Leaf("DesignatedMedicalInstitutionName", "指定医療機関名", Optional, FieldFormat.Text(100)),
        L.Leaf("PrescriptionIssuerMedicalInstitutionCode", "処方箋発行元医療機関コード", Optional, FieldFormat.MedicalInstitutionCode),
        L.Leaf("PrescriptionIssuerMedicalInstitutionName", "処方箋発行元医療機関名", Optional, FieldFormat.Text(100)),
        L.Leaf("InjuryName1", "傷病名1", Optional, FieldFormat.Text(100)),
        L.Leaf("InjuryName2", "傷病名2", Optional, FieldFormat.Text(100)),
        L.Leaf("InjuryName3", "傷病名3", Optional, FieldFormat.Text(100)),
        L.Leaf("MedicalTreatmentType", "診療別", Optional, FieldFormat.Code(OqsCodeSets.MedicalTreatmentType)),
        L.Leaf("SelfPayAmount", "本人支払額（自己負担額）", Optional, FieldFormat.Amount),
        L.Leaf("DistrictContactName", "地区担当員名", Optional, FieldFormat.Text(100)),
        L.Leaf("HandlingContactName", "取扱担当者名", Optional, FieldFormat.Text(100)),
        L.Leaf("SingleOrCombinedUse", "単独・併用別", Optional, FieldFormat.Code(OqsCodeSets.SingleOrCombinedUse)),
        L.Leaf("StatusOfSocialInsurance", "社会保険状況", Optional, FieldFormat.Code(OqsCodeSets.StatusOfSocialInsurance)),
        L.Leaf("ConsistencyFlag", "社会保険状況の整合性フラグ", Optional, FieldFormat.Code(OqsCodeSets.ConsistencyFlag)),
        L.Leaf("StatusOfInfecton", "感染症法第37条の2の該当状況", Optional, FieldFormat.Code(OqsCodeSets.StatusOfInfection), "要素名の綴りは仕様のまま"),
        L.Leaf("StatusOfElderlyMedicalCare", "後期高齢者医療の該当状況", Optional, FieldFormat.Code(OqsCodeSets.StatusOfElderlyMedicalCare)),
        L.Leaf("StatusOfPrefecturalExpenses", "都道府県費の該当状況", Optional, FieldFormat.Code(OqsCodeSets.StatusOfPrefecturalExpenses)),
        L.Leaf("Remarks1", "備考1", Optional, FieldFormat.Text(200)),
        L.Leaf("Remarks2", "備考2", Optional, FieldFormat.Text(200)),
        L.Leaf("Remarks3", "備考3", Optional, FieldFormat.Text(200)),
    ];

    private static LayoutNode[] ConsentTriple(string prefix, string japanese) =>
    [
        L.Leaf(prefix + "ConsFlg", japanese + "同意フラグ", Optional, FieldFormat.Code(OqsCodeSets.InformationConsentFlag)),
        L.Leaf(prefix + "ConsTime", japanese + "同意日時", Optional, FieldFormat.DateTime),
        L.Leaf(prefix + "AvailableTime", japanese + "有効期限", Optional, FieldFormat.DateTime, "形式は" + Guess),
    ];
}
