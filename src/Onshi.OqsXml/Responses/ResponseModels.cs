using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;

namespace Onshi.OqsXml.Responses;

/// <summary>MessageHeader of every response (bulk-only elements stay null elsewhere).</summary>
public sealed record OqsResponseHeader
{
    /// <summary>処理実行日時 (yyyyMMddHHmmss, JST).</summary>
    public string? ProcessExecutionTime { get; init; }

    public string? QualificationConfirmationDate { get; init; }

    public string? MedicalInstitutionCode { get; init; }

    public string? ArbitraryFileIdentifier { get; init; }

    /// <summary>照会区分 (OQSCD002): 1 マイナンバーカード, 2 被保険者証情報.</summary>
    public string? ReferenceClassification { get; init; }

    /// <summary>処理結果区分 (OQSCD003): 1 正常終了, 2 処理中, 9 異常終了.</summary>
    public string? SegmentOfResult { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>文字コード識別 (OQSCD005). The writer sets it from the encoding it writes.</summary>
    public string? CharacterCodeIdentifier { get; init; }

    /// <summary>受付番号 (bulk).</summary>
    public string? ReceptionNumber { get; init; }

    /// <summary>処理件数 (bulk result).</summary>
    public string? NumberOfProcessingResult { get; init; }

    /// <summary>正常件数 (bulk result).</summary>
    public string? NumberOfNormalProcessing { get; init; }

    /// <summary>エラー件数 (bulk result).</summary>
    public string? NumberOfError { get; init; }
}

/// <summary>高齢受給者証情報.</summary>
public sealed record ElderlyRecipientCertificateInfo
{
    public string? ElderlyRecipientCertificateDate { get; init; }

    public string? ElderlyRecipientValidStartDate { get; init; }

    public string? ElderlyRecipientValidEndDate { get; init; }

    /// <summary>一部負担金割合, 3 digits ("020" = 2割).</summary>
    public string? ElderlyRecipientContributionRatio { get; init; }
}

/// <summary>限度額適用認定証関連情報.</summary>
public sealed record LimitApplicationCertificateRelatedInfo
{
    /// <summary>OQSCD011.</summary>
    public string? LimitApplicationCertificateClassification { get; init; }

    /// <summary>適用区分 (OQSCD012, e.g. A03, B10).</summary>
    public string? LimitApplicationCertificateClassificationFlag { get; init; }

    public string? LimitApplicationCertificateDate { get; init; }

    public string? LimitApplicationCertificateValidStartDate { get; init; }

    public string? LimitApplicationCertificateValidEndDate { get; init; }

    /// <summary>長期入院該当年月日.</summary>
    public string? LimitApplicationCertificateLongTermDate { get; init; }
}

/// <summary>
/// 医療券・調剤券情報 (医療扶助, PublicExpenseResultList/MedicalTicketInfo): one ticket the 福祉事務所 issued for a
/// month of care. Element names and order from the public レセコン-side model of 別紙3-1; codes OQSCD018–026.
/// </summary>
public sealed record MedicalTicketInfo
{
    /// <summary>OQSCD018: 01 医療券, 02 調剤券.</summary>
    public string? TicketType { get; init; }

    public string? MedicalTicketValidDate { get; init; }

    public string? MedicalTicketExpirationDate { get; init; }

    /// <summary>交付番号.</summary>
    public string? IssueNumber { get; init; }

    /// <summary>診療年月 yyyyMM.</summary>
    public string? MedicalTreatmentMonth { get; init; }

    public string? DesignatedMedicalInstitutionCode { get; init; }

    /// <summary>OQSCD026: 0 一致, 1 不一致 (the confirming institution vs the designated one).</summary>
    public string? DesignatedMedicalInstitutionFlag { get; init; }

    public string? DesignatedMedicalInstitutionName { get; init; }

    public string? PrescriptionIssuerMedicalInstitutionCode { get; init; }

    public string? PrescriptionIssuerMedicalInstitutionName { get; init; }

    public string? InjuryName1 { get; init; }

    public string? InjuryName2 { get; init; }

    public string? InjuryName3 { get; init; }

    /// <summary>OQSCD019 診療別.</summary>
    public string? MedicalTreatmentType { get; init; }

    /// <summary>本人支払額（自己負担額）, 円.</summary>
    public string? SelfPayAmount { get; init; }

    public string? DistrictContactName { get; init; }

    public string? HandlingContactName { get; init; }

    /// <summary>OQSCD020: 01 単独, 02 併用.</summary>
    public string? SingleOrCombinedUse { get; init; }

    /// <summary>OQSCD021: 01 あり, 02 なし.</summary>
    public string? StatusOfSocialInsurance { get; init; }

    /// <summary>OQSCD022: 1 不整合あり.</summary>
    public string? ConsistencyFlag { get; init; }

    /// <summary>感染症法第37条の2の該当状況 (OQSCD023). The element name's spelling is the specification's.</summary>
    public string? StatusOfInfecton { get; init; }

    /// <summary>後期高齢者医療の該当状況 (OQSCD024).</summary>
    public string? StatusOfElderlyMedicalCare { get; init; }

    /// <summary>都道府県費の該当状況 (OQSCD025).</summary>
    public string? StatusOfPrefecturalExpenses { get; init; }

    public string? Remarks1 { get; init; }

    public string? Remarks2 { get; init; }

    public string? Remarks3 { get; init; }
}

/// <summary>特定疾病療養受療証情報.</summary>
public sealed record SpecificDiseasesCertificateInfo
{
    /// <summary>OQSCD013.</summary>
    public string? SpecificDiseasesDiseaseCategory { get; init; }

    public string? SpecificDiseasesCertificateDate { get; init; }

    public string? SpecificDiseasesValidStartDate { get; init; }

    public string? SpecificDiseasesValidEndDate { get; init; }

    /// <summary>自己負担限度額 (円).</summary>
    public string? SpecificDiseasesSelfPay { get; init; }
}

/// <summary>資格確認結果 for one qualification (ResultList/ResultOfQualificationConfirmation).</summary>
public sealed record ResultOfQualificationConfirmation
{
    public string? InsuredCardClassification { get; init; }

    public string? InsurerNumber { get; init; }

    public string? InsuredCardSymbol { get; init; }

    public string? InsuredIdentificationNumber { get; init; }

    public string? InsuredBranchNumber { get; init; }

    public string? PersonalFamilyClassification { get; init; }

    /// <summary>被保険者氏名（世帯主氏名）.</summary>
    public string? InsuredName { get; init; }

    public string? Name { get; init; }

    /// <summary>氏名（その他）: 通称等, shown as 裏面記載.</summary>
    public string? NameOfOther { get; init; }

    /// <summary>氏名カナ (half-width).</summary>
    public string? NameKana { get; init; }

    public string? NameOfOtherKana { get; init; }

    public string? Sex1 { get; init; }

    /// <summary>性別（その他）: only when 性別表記配慮 applies.</summary>
    public string? Sex2 { get; init; }

    public string? Birthdate { get; init; }

    public string? Address { get; init; }

    public string? PostNumber { get; init; }

    public string? QualificationDate { get; init; }

    public string? DisqualificationDate { get; init; }

    public string? InsuredCertificateIssuanceDate { get; init; }

    public string? InsuredCardValidDate { get; init; }

    public string? InsuredCardExpirationDate { get; init; }

    public string? InsuredPartialContributionRatio { get; init; }

    public string? PreschoolClassification { get; init; }

    public string? ReasonOfLoss { get; init; }

    public string? InsurerName { get; init; }

    public ElderlyRecipientCertificateInfo? ElderlyRecipientCertificateInfo { get; init; }

    public string? LimitApplicationCertificateRelatedConsFlg { get; init; }

    public string? LimitApplicationCertificateRelatedConsTime { get; init; }

    public LimitApplicationCertificateRelatedInfo? LimitApplicationCertificateRelatedInfo { get; init; }

    public string? LimitApplicationCertificateChanged { get; init; }

    public string? SpecificDiseasesCertificateRelatedConsFlg { get; init; }

    public string? SpecificDiseasesCertificateRelatedConsTime { get; init; }

    public EquatableList<SpecificDiseasesCertificateInfo> SpecificDiseasesCertificates { get; init; } = EquatableList.Empty<SpecificDiseasesCertificateInfo>();

    /// <summary>医療扶助資格確認結果リスト: the 医療券・調剤券 of a 医療扶助 result (InsuredCardClassification A1).</summary>
    public EquatableList<MedicalTicketInfo> MedicalTickets { get; init; } = EquatableList.Empty<MedicalTicketInfo>();

    public string? SpecificHealthCheckupsInfoConsFlg { get; init; }

    public string? SpecificHealthCheckupsInfoConsTime { get; init; }

    public string? SpecificHealthCheckupsInfoAvailableTime { get; init; }

    public string? PharmacistsInfoConsFlg { get; init; }

    public string? PharmacistsInfoConsTime { get; init; }

    public string? PharmacistsInfoAvailableTime { get; init; }

    public string? DiagnosisInfoConsFlg { get; init; }

    public string? DiagnosisInfoConsTime { get; init; }

    public string? DiagnosisInfoAvailableTime { get; init; }

    public string? OperationInfoConsFlg { get; init; }

    public string? OperationInfoConsTime { get; init; }

    public string? OperationInfoAvailableTime { get; init; }

    /// <summary>
    /// Only filled when reading the older form that carried 照会番号 inside ResultOfQualificationConfirmation; the reader
    /// moves it to <see cref="QualificationConfirmationResult.ReferenceNumber"/>, and the writer refuses it here.
    /// </summary>
    public string? ReferenceNumber { get; init; }

    public string? ArbitraryIdentifier { get; init; }

    /// <summary>Seen in face XML only.</summary>
    public string? QualificationConfirmationKey { get; init; }
}

/// <summary>
/// The per-person outcome of a qualification confirmation: the MessageBody of OQSsiquc01res and of the face file,
/// and each BulkConfirmUnit of a bulk result.
/// </summary>
public sealed record QualificationConfirmationResult
{
    /// <summary>処理結果状況 (OQSCD004): 1 正常終了, 2 エラー.</summary>
    public string? ProcessingResultStatus { get; init; }

    public string? ProcessingResultCode { get; init; }

    public string? ProcessingResultMessage { get; init; }

    /// <summary>資格有効性 (OQSCD006).</summary>
    public string? QualificationValidity { get; init; }

    /// <summary>処方箋発行形態 (OQSCD017).</summary>
    public string? PrescriptionIssueSelect { get; init; }

    /// <summary>The request's search info, echoed (absent in face results).</summary>
    public QualificationConfirmSearchInfo? SearchInfo { get; init; }

    public EquatableList<ResultOfQualificationConfirmation> Results { get; init; } = EquatableList.Empty<ResultOfQualificationConfirmation>();

    /// <summary>照会番号: a child of BulkConfirmUnit in public models, so one per person, not per qualification.</summary>
    public string? ReferenceNumber { get; init; }
}

/// <summary>照会番号登録結果: the MessageBody of OQSsiimm01res and each BulkRegistrationUnit.</summary>
public sealed record ReferenceNumberRegistrationResult
{
    public ReferenceNumberRegistrationInfo? RegistrationInfo { get; init; }

    public string? ProcessingResultStatus { get; init; }

    public string? ProcessingResultCode { get; init; }

    public string? ProcessingResultMessage { get; init; }
}

/// <summary>A response file. The concrete type follows the layout.</summary>
public abstract record OqsResponse
{
    public OqsResponseHeader Header { get; init; } = new();

    public abstract OqsMessageKind Kind { get; }
}

/// <summary>OQSsiquc01res, and the face file OQSsiquc01res_face_… (ReferenceClassification 1, no search echo).</summary>
public sealed record QualificationConfirmationResponse : OqsResponse
{
    public QualificationConfirmationResult Body { get; init; } = new();

    public override OqsMessageKind Kind => OqsMessageKind.QualificationConfirmationResponse;
}

/// <summary>OQSsiimm01res.</summary>
public sealed record ReferenceNumberRegistrationResponse : OqsResponse
{
    public ReferenceNumberRegistrationResult Body { get; init; } = new();

    public override OqsMessageKind Kind => OqsMessageKind.ReferenceNumberRegistrationResponse;
}

/// <summary>Any bulk 01res: the upload was accepted (ReceptionNumber) or refused (SegmentOfResult 9).</summary>
public sealed record BulkAcceptedResponse : OqsResponse
{
    public override OqsMessageKind Kind => OqsMessageKind.BulkAcceptedResponse;
}

/// <summary>OQSmuquc02res, OQSmuhvq02res, OQSmuonq02res: BulkConfirmUnit per person (none while processing).</summary>
public sealed record BulkQualificationResultResponse : OqsResponse
{
    public EquatableList<QualificationConfirmationResult> Units { get; init; } = EquatableList.Empty<QualificationConfirmationResult>();

    public override OqsMessageKind Kind => OqsMessageKind.BulkQualificationResultResponse;
}

/// <summary>OQSmuimm02res: BulkRegistrationUnit per row.</summary>
public sealed record BulkRegistrationResultResponse : OqsResponse
{
    public EquatableList<ReferenceNumberRegistrationResult> Units { get; init; } = EquatableList.Empty<ReferenceNumberRegistrationResult>();

    public override OqsMessageKind Kind => OqsMessageKind.BulkRegistrationResultResponse;
}
