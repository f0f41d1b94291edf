using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.Server.Receipt;

// JSON contracts of /api/receipt/v1 (docs/receipt.md). Person-level parts reuse the OQS layout types of Onshi.OqsXml,
// so field names, codes and formats are those of the folder interface, in camelCase.

/// <summary>資格確認 by 被保険者証情報 (OQS-IF-001).</summary>
public sealed record ConfirmByInsuranceCardRequest(string? MedicalInstitutionCode, string? QualificationConfirmationDate, QualificationConfirmSearchInfo? SearchInfo);

/// <summary>照会番号登録 (OQS-IF-003).</summary>
public sealed record RegisterReferenceNumberRequest(string? MedicalInstitutionCode, ReferenceNumberRegistrationInfo? RegistrationInfo);

/// <summary>Kinds of bulk request on the wire.</summary>
public static class BulkKinds
{
    public const string QualificationConfirmation = "qualificationConfirmation";
    public const string ReferenceNumberRegistration = "referenceNumberRegistration";
    public const string ConsentedHomeVisit = "consentedHomeVisit";
    public const string ConsentedOnline = "consentedOnline";
    public const string MedicalAssistance = "medicalAssistance";

    public static BulkJobKind? Parse(string? wire) => wire switch
    {
        QualificationConfirmation => BulkJobKind.QualificationConfirmation,
        ReferenceNumberRegistration => BulkJobKind.ReferenceNumberRegistration,
        ConsentedHomeVisit => BulkJobKind.ConsentedHomeVisit,
        ConsentedOnline => BulkJobKind.ConsentedOnline,
        MedicalAssistance => BulkJobKind.MedicalAssistance,
        _ => null,
    };

    public static string ToWire(BulkJobKind kind) => kind switch
    {
        BulkJobKind.QualificationConfirmation => QualificationConfirmation,
        BulkJobKind.ReferenceNumberRegistration => ReferenceNumberRegistration,
        BulkJobKind.ConsentedHomeVisit => ConsentedHomeVisit,
        BulkJobKind.ConsentedOnline => ConsentedOnline,
        BulkJobKind.MedicalAssistance => MedicalAssistance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>
/// Upload of a bulk request (01req). Exactly one of <see cref="SearchInfos"/> (qualificationConfirmation),
/// <see cref="RegistrationInfos"/> (referenceNumberRegistration), <see cref="Search"/> (consented…) or
/// <see cref="MedicalAssistanceSearch"/> (medicalAssistance, OQSmutic) is used.
/// </summary>
public sealed record BulkRequestBody(
    string? Kind,
    string? MedicalInstitutionCode,
    string? QualificationConfirmationDate,
    IReadOnlyList<QualificationConfirmSearchInfo>? SearchInfos,
    IReadOnlyList<ReferenceNumberRegistrationInfo>? RegistrationInfos,
    ConsentedQualificationSearch? Search,
    MedicalAssistanceSearch? MedicalAssistanceSearch = null);

/// <summary>01res: the 受付番号 to fetch the result with.</summary>
public sealed record BulkAccepted(string ReceptionNumber, string Kind, int RowCount, DateTimeOffset AcceptedAt);

/// <summary>02res: <c>status</c> is <c>processing</c> (SegmentOfResult 2) or <c>completed</c>.</summary>
public sealed record BulkResult(
    string ReceptionNumber,
    string Kind,
    string Status,
    IReadOnlyList<QualificationConfirmationResult>? QualificationResults,
    IReadOnlyList<ReferenceNumberRegistrationResult>? RegistrationResults);

/// <summary>What a completed job stores.</summary>
internal sealed record BulkJobResults(IReadOnlyList<QualificationConfirmationResult>? QualificationResults, IReadOnlyList<ReferenceNumberRegistrationResult>? RegistrationResults);
