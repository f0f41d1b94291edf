using Onshi.Core.Codes;

namespace Onshi.Server.Insurance;

/// <summary>
/// The answer of <see cref="QualificationLookup"/>. Either the card is not linked (<see cref="CardNotLinked"/>: the
/// API refuses with <see cref="CardNotLinkedCode"/>), or a 資格有効性 with the qualifications it is about.
/// </summary>
public sealed record QualificationLookupResult
{
    /// <summary>Machine code for a card without 健康保険証利用登録.</summary>
    public const string CardNotLinkedCode = "card.not_linked";

    /// <summary>Japanese message for <see cref="CardNotLinkedCode"/>.</summary>
    public const string CardNotLinkedMessage = "このマイナンバーカードは健康保険証として利用登録されていません。利用登録を案内するか、資格確認書等で確認してください。";

    /// <summary>True when no current 健康保険証利用登録 matches the certificate (card lookups only).</summary>
    public bool CardNotLinked { get; init; }

    /// <summary>資格有効性 (OQSCD006) 1–5; <see cref="QualificationValidity.NoQualification"/> when <see cref="CardNotLinked"/>.</summary>
    public QualificationValidity Validity { get; init; }

    /// <summary>The person, when exactly one matched (null for 4 該当資格なし without a person, and for 5 複数該当).</summary>
    public long? PersonId { get; init; }

    /// <summary>
    /// The qualifications the validity is about, in this order: 1 → the valid one; 2 → the most recently lost one;
    /// 3 → the queried lost one, then the newer valid one(s); 5 → every match; 4 → empty. A card lookup adds the
    /// person's valid 医療扶助 (被保険者証区分 A1) after a single valid 医療保険 qualification (併用); with 医療扶助 only,
    /// the validity is 1 when a 医療券・調剤券 is registered for the day and 6 有効（未登録） when none is.
    /// </summary>
    public IReadOnlyList<QualificationSnapshot> Qualifications { get; init; } = [];

    /// <summary>notAfter of the linked certificate (card lookups).</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }

    public static QualificationLookupResult NotLinked { get; } = new() { CardNotLinked = true, Validity = QualificationValidity.NoQualification };
}

/// <summary>One qualification with the person's fields and the certificates of its insurer valid on the query day.</summary>
public sealed record QualificationSnapshot
{
    public long QualificationId { get; init; }

    public long PersonId { get; init; }

    public required string InsurerNumber { get; init; }

    public required string InsurerName { get; init; }

    public required string Symbol { get; init; }

    public required string Number { get; init; }

    public required string Branch { get; init; }

    public PersonalFamilyClassification PersonalFamilyClassification { get; init; }

    public required string InsuredName { get; init; }

    public required string Name { get; init; }

    public required string NameKana { get; init; }

    public Sex Sex { get; init; }

    public DateOnly Birthdate { get; init; }

    public required string Address { get; init; }

    public required string PostNumber { get; init; }

    public InsuredCardClassification CardClassification { get; init; }

    public DateOnly QualificationDate { get; init; }

    public DateOnly? DisqualificationDate { get; init; }

    public ReasonOfLoss? ReasonOfLoss { get; init; }

    public DateOnly? CardIssuedOn { get; init; }

    public DateOnly? CardValidFrom { get; init; }

    public DateOnly? CardValidUntil { get; init; }

    /// <summary>一部負担金割合; null for 医療扶助 (A1), which has none.</summary>
    public PartialContributionRatio? ContributionRatio { get; init; }

    public bool Preschool { get; init; }

    /// <summary>高齢受給者証 valid on the query day, if any.</summary>
    public ElderlyRecipientSnapshot? ElderlyRecipient { get; init; }

    /// <summary>限度額適用認定証 valid on the query day, if any (returned without consent).</summary>
    public LimitCertificateSnapshot? LimitCertificate { get; init; }

    /// <summary>特定疾病療養受療証 valid on the query day.</summary>
    public IReadOnlyList<SpecificDiseaseSnapshot> SpecificDiseases { get; init; } = [];

    /// <summary>医療券・調剤券 valid on the query day (医療扶助, <see cref="InsuredCardClassification.MedicalAssistance"/> only).</summary>
    public IReadOnlyList<MedicalTicketSnapshot> MedicalTickets { get; init; } = [];
}

public sealed record ElderlyRecipientSnapshot(DateOnly? IssuedOn, DateOnly ValidFrom, DateOnly? ValidUntil, PartialContributionRatio ContributionRatio);

public sealed record LimitCertificateSnapshot(
    LimitCertificateClassification Classification,
    LimitApplicationBracket Bracket,
    DateOnly? IssuedOn,
    DateOnly ValidFrom,
    DateOnly? ValidUntil,
    DateOnly? LongTermHospitalizationDate);

public sealed record SpecificDiseaseSnapshot(SpecificDiseaseCategory Category, DateOnly? IssuedOn, DateOnly ValidFrom, DateOnly? ValidUntil, int SelfPayLimit);

/// <summary>One 医療券・調剤券 (PublicExpenseResultList/MedicalTicketInfo) as stored; the 一致フラグ is decided by the writer.</summary>
public sealed record MedicalTicketSnapshot(
    MedicalTicketType TicketType,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string IssueNumber,
    DateOnly TreatmentMonth,
    string DesignatedInstitutionCode,
    string DesignatedInstitutionName,
    string PrescriptionIssuerCode,
    string PrescriptionIssuerName,
    string InjuryName1,
    string InjuryName2,
    string InjuryName3,
    MedicalTreatmentType TreatmentType,
    int SelfPayAmount,
    string DistrictContactName,
    string HandlingContactName,
    SingleOrCombinedUse SingleOrCombinedUse,
    StatusOfSocialInsurance SocialInsurance,
    string Remarks);

/// <summary>A person found by attributes (氏名カナ・生年月日・性別…), before anyone has chosen which one is the patient.</summary>
public sealed record PersonCandidate(long PersonId, string Name, string NameKana, Sex Sex, DateOnly Birthdate, string Address);
