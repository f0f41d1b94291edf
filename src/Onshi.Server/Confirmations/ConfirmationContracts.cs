using Onshi.Core.Codes;
using Onshi.Server.Insurance;

namespace Onshi.Server.Confirmations;

public sealed record VisualAttestationRequest(bool PhotoMatchesPatient);

/// <summary>目視確認: the card's proof that it is in the reader (base64url): 券面AP certificate, signature, card-face record.</summary>
public sealed record CardPresenceProofRequest(string? Certificate, string? Signature, string? CardFace);

public sealed record ConsentAnswers(bool? Pharmacy, bool? Diagnosis, bool? Checkup, bool? Operation);

/// <summary>POST /confirmations body (docs/app-api.md).</summary>
public sealed record ConfirmationRequest(
    string? ChallengeId,
    string? Purpose,
    string? Method,
    string? Certificate,
    string? Signature,
    VisualAttestationRequest? VisualAttestation,
    ConsentAnswers? Consents,
    bool ComprehensiveConsent,
    CardPresenceProofRequest? CardProof = null);

public sealed record ValidityView(string Code, string Label);

public sealed record NoticeView(string Code, string? ProcessingResultCode, string Message);

public sealed record ElderlyRecipientView(DateOnly? CertificateDate, DateOnly ValidStartDate, DateOnly? ValidEndDate, string PartialContributionRatio);

public sealed record LimitCertificateView(string Classification, string ClassificationFlag, DateOnly? CertificateDate, DateOnly ValidStartDate, DateOnly? ValidEndDate, DateOnly? LongTermDate);

public sealed record SpecificDiseaseView(string DiseaseCategory, DateOnly? CertificateDate, DateOnly ValidStartDate, DateOnly? ValidEndDate, int SelfPay);

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
    IReadOnlyList<SpecificDiseaseView> SpecificDiseases)
{
    public static QualificationView From(QualificationSnapshot q) => new(
        q.InsurerNumber.Trim(), q.InsurerName, q.Symbol, q.Number, q.Branch, q.PersonalFamilyClassification.ToWireCode(), q.InsuredName,
        q.Name, q.NameKana, q.Sex.ToWireCode(), q.Birthdate, q.Address, q.PostNumber, q.CardClassification.ToWireCode(),
        q.CardValidFrom, q.CardValidUntil, q.QualificationDate, q.DisqualificationDate, q.ReasonOfLoss?.ToWireCode(), q.ContributionRatio.ToWireCode(), q.Preschool,
        q.ElderlyRecipient is { } e ? new ElderlyRecipientView(e.IssuedOn, e.ValidFrom, e.ValidUntil, e.ContributionRatio.ToWireCode()) : null,
        q.LimitCertificate is { } l ? new LimitCertificateView(l.Classification.ToWireCode(), l.Bracket.ToWireCode(), l.IssuedOn, l.ValidFrom, l.ValidUntil, l.LongTermHospitalizationDate) : null,
        [.. q.SpecificDiseases.Select(s => new SpecificDiseaseView(s.Category.ToWireCode(), s.IssuedOn, s.ValidFrom, s.ValidUntil, s.SelfPayLimit))]);
}

public sealed record ConsentView(bool Given, DateTimeOffset? AvailableUntil);

/// <summary>The answer of POST /confirmations and GET /confirmations/{id}.</summary>
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
    IReadOnlyDictionary<string, ConsentView> Consents);
