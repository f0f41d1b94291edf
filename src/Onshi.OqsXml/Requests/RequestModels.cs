using Onshi.OqsXml.FileNames;

namespace Onshi.OqsXml.Requests;

// Every XML value is kept as the string found in the file (codes such as "010" or "A1", symbols with kanji,
// 国保 insurer numbers with leading spaces). Validation lives in the layout table, not in these types.

/// <summary>MessageHeader of a request.</summary>
public sealed record OqsRequestHeader
{
    /// <summary>資格確認日 (yyyyMMdd).</summary>
    public string? QualificationConfirmationDate { get; init; }

    /// <summary>医療機関コード (10 digits).</summary>
    public string? MedicalInstitutionCode { get; init; }

    /// <summary>任意のファイル識別子, echoed in the response.</summary>
    public string? ArbitraryFileIdentifier { get; init; }
}

/// <summary>資格確認照会用情報: who to confirm, by 被保険者証 data.</summary>
public sealed record QualificationConfirmSearchInfo
{
    public string? InsurerNumber { get; init; }

    /// <summary>被保険者証記号 (may contain kanji).</summary>
    public string? InsuredCardSymbol { get; init; }

    /// <summary>被保険者証番号.</summary>
    public string? InsuredIdentificationNumber { get; init; }

    /// <summary>被保険者証枝番 (2 digits).</summary>
    public string? InsuredBranchNumber { get; init; }

    public string? Birthdate { get; init; }

    /// <summary>限度額適用認定証提供同意フラグ (OQSCD001).</summary>
    public string? LimitApplicationCertificateRelatedConsFlg { get; init; }

    /// <summary>任意の識別子, echoed per person.</summary>
    public string? ArbitraryIdentifier { get; init; }
}

/// <summary>照会番号登録情報: bind an institution-chosen patient key to an insured person.</summary>
public sealed record ReferenceNumberRegistrationInfo
{
    /// <summary>照会番号 (≤ 50), typically the 診察券番号.</summary>
    public string? ReferenceNumber { get; init; }

    public string? InsurerNumber { get; init; }

    public string? InsuredCardSymbol { get; init; }

    public string? InsuredIdentificationNumber { get; init; }

    public string? InsuredBranchNumber { get; init; }
}

/// <summary>Search condition of 同意済資格情報一括取得: a 同意年月日 range or a 受診日 range.</summary>
public sealed record ConsentedQualificationSearch
{
    public string? ConsentDateFrom { get; init; }

    public string? ConsentDateTo { get; init; }

    public string? ExaminationDateFrom { get; init; }

    public string? ExaminationDateTo { get; init; }

    /// <summary>診療区分 (OQSCD028): 2 訪問診療等, 3 オンライン診療等.</summary>
    public string? MedicalTreatmentFlag { get; init; }
}

/// <summary>Search condition of OQSmutic01req (医療扶助の一括取得): one 診療年月.</summary>
public sealed record MedicalAssistanceSearch
{
    /// <summary>診療年月, yyyyMM.</summary>
    public string? MedicalTreatmentMonth { get; init; }
}

/// <summary>A parsed request file. The concrete type follows the file's layout.</summary>
public abstract record OqsRequest
{
    public OqsRequestHeader Header { get; init; } = new();

    public abstract OqsMessageKind Kind { get; }
}

/// <summary>OQSsiquc01req.</summary>
public sealed record QualificationConfirmationRequest : OqsRequest
{
    public QualificationConfirmSearchInfo? SearchInfo { get; init; }

    public override OqsMessageKind Kind => OqsMessageKind.QualificationConfirmationRequest;
}

/// <summary>OQSsiimm01req.</summary>
public sealed record ReferenceNumberRegistrationRequest : OqsRequest
{
    public ReferenceNumberRegistrationInfo? RegistrationInfo { get; init; }

    public override OqsMessageKind Kind => OqsMessageKind.ReferenceNumberRegistrationRequest;
}

/// <summary>OQSmuquc01req: many QualificationConfirmSearchInfo.</summary>
public sealed record BulkQualificationConfirmationRequest : OqsRequest
{
    public EquatableList<QualificationConfirmSearchInfo> SearchInfos { get; init; } = EquatableList.Empty<QualificationConfirmSearchInfo>();

    public override OqsMessageKind Kind => OqsMessageKind.BulkQualificationConfirmationRequest;
}

/// <summary>OQSmuimm01req: many ReferenceNumberRegistrationInfo.</summary>
public sealed record BulkReferenceNumberRegistrationRequest : OqsRequest
{
    public EquatableList<ReferenceNumberRegistrationInfo> RegistrationInfos { get; init; } = EquatableList.Empty<ReferenceNumberRegistrationInfo>();

    public override OqsMessageKind Kind => OqsMessageKind.BulkReferenceNumberRegistrationRequest;
}

/// <summary>OQSmuhvq01req / OQSmuonq01req.</summary>
public sealed record ConsentedQualificationBulkRequest : OqsRequest
{
    public ConsentedQualificationSearch? Search { get; init; }

    public override OqsMessageKind Kind => OqsMessageKind.ConsentedQualificationBulkRequest;
}

/// <summary>OQSmutic01req.</summary>
public sealed record MedicalAssistanceBulkRequest : OqsRequest
{
    public MedicalAssistanceSearch? Search { get; init; }

    public override OqsMessageKind Kind => OqsMessageKind.MedicalAssistanceBulkRequest;
}

/// <summary>Any 02req: fetch the result of an accepted bulk request.</summary>
public sealed record BulkResultRequest : OqsRequest
{
    /// <summary>受付番号 from the 01res.</summary>
    public string? ReceptionNumber { get; init; }

    public override OqsMessageKind Kind => OqsMessageKind.BulkResultRequest;
}
