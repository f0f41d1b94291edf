namespace Onshi.OqsXml.FileNames;

/// <summary>The API-IDs of the folder interface that Onshi serves (外部インターフェイス仕様書, file prefix before NN).</summary>
public enum OqsInterface
{
    /// <summary>OQSsiquc — 資格確認 (OQS-IF-001/002), single.</summary>
    QualificationConfirmation,

    /// <summary>OQSsiimm — 照会番号登録 (OQS-IF-003/004), single.</summary>
    ReferenceNumberRegistration,

    /// <summary>OQSmuquc — 資格確認一括照会 (OQS-IF-005..008), two-phase.</summary>
    BulkQualificationConfirmation,

    /// <summary>OQSmuimm — 照会番号一括登録 (OQS-IF-009..012), two-phase.</summary>
    BulkReferenceNumberRegistration,

    /// <summary>OQSmuhvq — 同意済資格情報一括取得（訪問診療等） (OQS-IF-017..020), two-phase.</summary>
    ConsentedHomeVisit,

    /// <summary>OQSmuonq — 同意済資格情報一括取得（オンライン診療等） (OQS-IF-021..024), two-phase.</summary>
    ConsentedOnline,

    /// <summary>
    /// OQSmutic — 医療扶助の一括取得 (oqs-system.md §3.1 IF-013..016 「委託先資格情報の一括取得」 [I]), two-phase: the
    /// 01req names a 診療年月 (MedicalTreatmentMonth), as a public レセコン-side tool writes it (docs/receipt-xml.md).
    /// </summary>
    MedicalAssistanceBulk,
}

/// <summary>Which XML layout a file follows. Several file names share a layout (e.g. every 02req).</summary>
public enum OqsMessageKind
{
    QualificationConfirmationRequest,
    ReferenceNumberRegistrationRequest,
    BulkQualificationConfirmationRequest,
    BulkReferenceNumberRegistrationRequest,
    ConsentedQualificationBulkRequest,
    MedicalAssistanceBulkRequest,
    BulkResultRequest,
    QualificationConfirmationResponse,
    ReferenceNumberRegistrationResponse,
    BulkAcceptedResponse,
    BulkQualificationResultResponse,
    BulkRegistrationResultResponse,
}

public static class OqsInterfaceExtensions
{
    /// <summary>The API-ID prefix, e.g. <c>OQSsiquc</c>.</summary>
    public static string ApiId(this OqsInterface api) => api switch
    {
        OqsInterface.QualificationConfirmation => "OQSsiquc",
        OqsInterface.ReferenceNumberRegistration => "OQSsiimm",
        OqsInterface.BulkQualificationConfirmation => "OQSmuquc",
        OqsInterface.BulkReferenceNumberRegistration => "OQSmuimm",
        OqsInterface.ConsentedHomeVisit => "OQSmuhvq",
        OqsInterface.ConsentedOnline => "OQSmuonq",
        OqsInterface.MedicalAssistanceBulk => "OQSmutic",
        _ => throw new ArgumentOutOfRangeException(nameof(api)),
    };

    /// <summary>Bulk interfaces have a second phase (02req/02res) that fetches the result by ReceptionNumber.</summary>
    public static bool IsTwoPhase(this OqsInterface api) =>
        api is not (OqsInterface.QualificationConfirmation or OqsInterface.ReferenceNumberRegistration);

    public static OqsMessageKind RequestKind(this OqsInterface api, int phase) => (api, phase) switch
    {
        (_, 2) => OqsMessageKind.BulkResultRequest,
        (OqsInterface.QualificationConfirmation, _) => OqsMessageKind.QualificationConfirmationRequest,
        (OqsInterface.ReferenceNumberRegistration, _) => OqsMessageKind.ReferenceNumberRegistrationRequest,
        (OqsInterface.BulkQualificationConfirmation, _) => OqsMessageKind.BulkQualificationConfirmationRequest,
        (OqsInterface.BulkReferenceNumberRegistration, _) => OqsMessageKind.BulkReferenceNumberRegistrationRequest,
        (OqsInterface.MedicalAssistanceBulk, _) => OqsMessageKind.MedicalAssistanceBulkRequest,
        _ => OqsMessageKind.ConsentedQualificationBulkRequest,
    };

    public static OqsMessageKind ResponseKind(this OqsInterface api, int phase) => (api, phase) switch
    {
        (OqsInterface.QualificationConfirmation, _) => OqsMessageKind.QualificationConfirmationResponse,
        (OqsInterface.ReferenceNumberRegistration, _) => OqsMessageKind.ReferenceNumberRegistrationResponse,
        (_, 1) => OqsMessageKind.BulkAcceptedResponse,
        (OqsInterface.BulkReferenceNumberRegistration, _) => OqsMessageKind.BulkRegistrationResultResponse,
        _ => OqsMessageKind.BulkQualificationResultResponse,
    };
}
