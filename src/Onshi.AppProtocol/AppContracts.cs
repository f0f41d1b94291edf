namespace Onshi.AppProtocol;

// The JSON bodies of docs/app-api.md, v1, written once for the server, the app and the tests. Property names reach the
// wire through camelCase serialisation (JsonSerializerDefaults.Web at both ends). Request members are nullable because
// the server must answer a missing member with app.request_invalid rather than an exception; the app always fills them.

/// <summary>The API's path prefix.</summary>
public static class AppRoutes
{
    public const string Prefix = "/api/app/v1";
}

/// <summary>POST /activation (初期設定).</summary>
public sealed record ActivationRequest(string? InstitutionCode, string? UserId, string? Password, string? ActivationCode);

public sealed record InstitutionView(string Code, string Name);

public sealed record ActivationResponse(Guid DeviceId, string DeviceLabel, InstitutionView Institution);

/// <summary>POST /sessions: staff login on an activated device.</summary>
public sealed record StaffLoginRequest(string? UserId, string? Password);

public sealed record SessionUserView(string UserId, string Name, string Role);

public sealed record SessionResponse(
    string SessionToken,
    int IdleTimeoutSeconds,
    DateTimeOffset ExpiresAt,
    SessionUserView User,
    InstitutionView Institution,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> OfferedInformation,
    bool AsksPrescriptionIssue = false);

/// <summary>
/// GET /sessions/current: what the institution enables now (the portal may change it during a session).
/// <c>AsksPrescriptionIssue</c>: the institution issues prescriptions, so the patient chooses 処方箋の発行形態.
/// </summary>
public sealed record CurrentSessionResponse(IReadOnlyList<string> Purposes, IReadOnlyList<string> OfferedInformation, bool AsksPrescriptionIssue = false);

/// <summary>POST /card-checks: what the app knows about the card on the reader before the patient is asked anything.</summary>
public sealed record CardCheckRequest(string? Purpose, string? Method, string? Certificate, bool PinBlocked);

/// <summary>
/// The card can be used; <c>QualificationOnly</c> means no consent can be asked (certificate expired within the grace).
/// The institution's current offer comes along, refreshed on every check.
/// </summary>
public sealed record CardCheckResponse(bool QualificationOnly, IReadOnlyList<string> Purposes, IReadOnlyList<string> OfferedInformation, bool AsksPrescriptionIssue = false);

/// <summary>POST /challenges.</summary>
public sealed record ChallengeRequest(string? Purpose);

public sealed record ChallengeResponse(Guid ChallengeId, string Challenge, DateTimeOffset ExpiresAt);

public sealed record VisualAttestationRequest(bool PhotoMatchesPatient);

/// <summary>目視確認: the card's proof that it is in the reader (base64url): 券面AP certificate, signature, card-face record.</summary>
public sealed record CardPresenceProofRequest(string? Certificate, string? Signature, string? CardFace);

/// <summary>The patient's answers per information type; null means not asked (not offered, or qualification only).</summary>
public sealed record ConsentAnswers(bool? Pharmacy, bool? Diagnosis, bool? Checkup, bool? Operation);

/// <summary>
/// POST /confirmations body. <c>PrescriptionIssue</c> is 処方箋の発行形態 (<see cref="WirePrescriptionIssues"/>): required
/// where the institution issues prescriptions, ignored elsewhere.
/// </summary>
public sealed record ConfirmationRequest(
    string? ChallengeId,
    string? Purpose,
    string? Method,
    string? Certificate,
    string? Signature,
    VisualAttestationRequest? VisualAttestation,
    ConsentAnswers? Consents,
    bool ComprehensiveConsent,
    CardPresenceProofRequest? CardProof = null,
    string? PrescriptionIssue = null);

public sealed record ValidityView(string Code, string Label);

public sealed record NoticeView(string Code, string? ProcessingResultCode, string Message);

/// <summary>高齢受給者証 (資格確認結果 items, oqs-system.md §3.5).</summary>
public sealed record ElderlyRecipientView(DateOnly? CertificateDate, DateOnly ValidStartDate, DateOnly? ValidEndDate, string PartialContributionRatio);

public sealed record LimitCertificateView(string Classification, string ClassificationFlag, DateOnly? CertificateDate, DateOnly ValidStartDate, DateOnly? ValidEndDate, DateOnly? LongTermDate);

public sealed record SpecificDiseaseView(string DiseaseCategory, DateOnly? CertificateDate, DateOnly ValidStartDate, DateOnly? ValidEndDate, int SelfPay);

/// <summary>
/// 医療券・調剤券 of a 医療扶助 qualification (PublicExpenseResultList/MedicalTicketInfo): codes are the wire codes of
/// OQSCD018 (券種), OQSCD019 (診療別), OQSCD020 (単独・併用) and OQSCD021 (社会保険); TreatmentMonth is the month's first day.
/// </summary>
public sealed record MedicalTicketView(
    string TicketType,
    DateOnly ValidStartDate,
    DateOnly ValidEndDate,
    string IssueNumber,
    DateOnly TreatmentMonth,
    string DesignatedInstitutionCode,
    string DesignatedInstitutionName,
    string PrescriptionIssuerCode,
    string PrescriptionIssuerName,
    IReadOnlyList<string> InjuryNames,
    string TreatmentType,
    int SelfPayAmount,
    string DistrictContactName,
    string HandlingContactName,
    string SingleOrCombinedUse,
    string SocialInsurance,
    string Remarks);

/// <summary>
/// One qualification as the app shows it; <c>Preschool</c> is 未就学区分 (義務教育就学前). PartialContributionRatio is
/// empty for 医療扶助; MedicalTickets is absent (null) from answers stored before 医療扶助 existed.
/// </summary>
public sealed record QualificationView(
    string InsurerNumber,
    string InsurerName,
    string InsuredCardSymbol,
    string InsuredIdentificationNumber,
    string InsuredBranchNumber,
    string PersonalFamilyClassification,
    string InsuredName,
    string Name,
    string NameKana,
    string Sex,
    DateOnly Birthdate,
    string Address,
    string PostNumber,
    string InsuredCardClassification,
    DateOnly? InsuredCardValidDate,
    DateOnly? InsuredCardExpirationDate,
    DateOnly QualificationDate,
    DateOnly? DisqualificationDate,
    string? ReasonOfLoss,
    string PartialContributionRatio,
    bool Preschool,
    ElderlyRecipientView? ElderlyRecipient,
    LimitCertificateView? LimitCertificate,
    IReadOnlyList<SpecificDiseaseView> SpecificDiseases,
    IReadOnlyList<MedicalTicketView>? MedicalTickets = null)
{
    /// <summary>被保険者証区分 A1: 医療扶助 (生活保護), where InsurerNumber is the 公費負担者番号, InsuredIdentificationNumber the 受給者番号 and InsurerName the 福祉事務所名.</summary>
    public bool IsMedicalAssistance => InsuredCardClassification == "A1";
}

public sealed record ConsentView(bool Given, DateTimeOffset? AvailableUntil);

/// <summary>
/// The answer of POST /confirmations (201 when stored now, 200 when a retry met the stored result) and of
/// GET /confirmations/{id}. <c>Qualifications</c> lists every match when validity is 5 (複数該当). <c>PrescriptionIssue</c> is
/// the patient's 処方箋の発行形態 when the institution asked it (absent otherwise, and in answers stored before it existed).
/// </summary>
public sealed record ConfirmationResponse(
    Guid ConfirmationId,
    DateTimeOffset ConfirmedAt,
    string Method,
    string Purpose,
    ValidityView Validity,
    IReadOnlyList<NoticeView> Notices,
    bool QualificationOnly,
    QualificationView? Qualification,
    IReadOnlyList<QualificationView> Qualifications,
    IReadOnlyDictionary<string, ConsentView> Consents,
    string? PrescriptionIssue = null);
