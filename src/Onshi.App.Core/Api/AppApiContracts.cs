using System.Text.Json.Serialization;

namespace Onshi.App.Core.Api;

// The JSON shapes of docs/app-api.md, v1. Property names follow the contract through camelCase serialisation.

public sealed record ActivationRequest(string InstitutionCode, string UserId, string Password, string ActivationCode);

public sealed record InstitutionInfo(string Code, string Name);

public sealed record ActivationResult(string DeviceId, string DeviceLabel, InstitutionInfo Institution);

public sealed record SessionRequest(string UserId, string Password);

public sealed record SessionUser(string UserId, string Name, string Role);

public sealed record SessionResult(
    string SessionToken,
    int IdleTimeoutSeconds,
    DateTimeOffset ExpiresAt,
    SessionUser User,
    InstitutionInfo Institution,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> OfferedInformation);

/// <summary>GET /sessions/current: the institution's purposes and offer as they are now.</summary>
public sealed record CurrentSessionResult(IReadOnlyList<string> Purposes, IReadOnlyList<string> OfferedInformation);

/// <summary>POST /card-checks: the card just read, before the patient is asked anything.</summary>
public sealed record CardCheckRequest(string Purpose, string Method, string? Certificate, bool PinBlocked);

/// <summary>The card can be used; <c>QualificationOnly</c> means no consent can be used (certificate expired within the grace).</summary>
public sealed record CardCheckResult(bool QualificationOnly, IReadOnlyList<string> Purposes, IReadOnlyList<string> OfferedInformation);

public sealed record ChallengeRequest(string Purpose);

public sealed record ChallengeResult(string ChallengeId, string Challenge, DateTimeOffset ExpiresAt);

public sealed record VisualAttestation(bool PhotoMatchesPatient);

/// <summary>目視確認: the card's proof that it was in the reader (base64url each): 券面AP certificate, signature, card-face record.</summary>
public sealed record CardPresenceProof(string Certificate, string Signature, string CardFace);

public sealed record ConfirmationRequest(
    string ChallengeId,
    string Purpose,
    string Method,
    string Certificate,
    string? Signature,
    VisualAttestation? VisualAttestation,
    IReadOnlyDictionary<string, bool?> Consents,
    bool ComprehensiveConsent,
    CardPresenceProof? CardProof = null);

public sealed record CodeLabel(string Code, string Label);

public sealed record ResultNotice(string Code, string Message);

public sealed record LimitCertificate(string? Classification, string? ClassificationFlag, DateOnly? ValidStartDate, DateOnly? ValidEndDate);

/// <summary>高齢受給者証. The contract leaves the members open; these are the 資格確認結果 items (oqs-system.md §3.5).</summary>
public sealed record ElderlyRecipient(DateOnly? ValidStartDate, DateOnly? ValidEndDate, string? PartialContributionRatio);

public sealed record SpecificDisease(string? DiseaseCategory, DateOnly? ValidStartDate, DateOnly? ValidEndDate, int? SelfPay);

public sealed record Qualification
{
    public string? InsurerNumber { get; init; }

    public string? InsurerName { get; init; }

    public string? InsuredCardSymbol { get; init; }

    public string? InsuredIdentificationNumber { get; init; }

    public string? InsuredBranchNumber { get; init; }

    public string? PersonalFamilyClassification { get; init; }

    public string? InsuredName { get; init; }

    public string? Name { get; init; }

    public string? NameKana { get; init; }

    public string? Sex { get; init; }

    public DateOnly? Birthdate { get; init; }

    public string? Address { get; init; }

    public string? PostNumber { get; init; }

    public string? InsuredCardClassification { get; init; }

    public DateOnly? InsuredCardValidDate { get; init; }

    public DateOnly? InsuredCardExpirationDate { get; init; }

    public DateOnly? QualificationDate { get; init; }

    public DateOnly? DisqualificationDate { get; init; }

    public string? ReasonOfLoss { get; init; }

    public string? PartialContributionRatio { get; init; }

    /// <summary>未就学区分 (義務教育就学前). The server sends a boolean <c>preschool</c>.</summary>
    public bool Preschool { get; init; }

    public ElderlyRecipient? ElderlyRecipient { get; init; }

    public LimitCertificate? LimitCertificate { get; init; }

    public IReadOnlyList<SpecificDisease>? SpecificDiseases { get; init; }
}

public sealed record ConsentState(bool Given, DateTimeOffset? AvailableUntil);

public sealed record ConfirmationResult
{
    public required string ConfirmationId { get; init; }

    public DateTimeOffset ConfirmedAt { get; init; }

    public string? Method { get; init; }

    public string? Purpose { get; init; }

    public required CodeLabel Validity { get; init; }

    public IReadOnlyList<ResultNotice> Notices { get; init; } = [];

    public Qualification? Qualification { get; init; }

    /// <summary>Every matching qualification when validity is 5 (複数該当).</summary>
    public IReadOnlyList<Qualification> Qualifications { get; init; } = [];

    /// <summary>Certificate expired within the 3-month grace: only qualification information may be used.</summary>
    public bool QualificationOnly { get; init; }

    public IReadOnlyDictionary<string, ConsentState?> Consents { get; init; } = new Dictionary<string, ConsentState?>();

    /// <summary>True when the server answered 200 to a retry: the result was already stored under this key.</summary>
    [JsonIgnore]
    public bool WasReplayed { get; init; }
}

/// <summary>The wire tokens of 利用目的 (purposes) and of the information types that can be consented to.</summary>
public static class WireTokens
{
    public const string Outpatient = "outpatient";
    public const string HomeVisit = "homeVisit";
    public const string Online = "online";

    public const string Pharmacy = "pharmacy";
    public const string Diagnosis = "diagnosis";
    public const string Checkup = "checkup";
    public const string Operation = "operation";

    public const string MethodPin = "pin";
    public const string MethodVisual = "visual";

    /// <summary>All information types in the order the consent screens ask them.</summary>
    public static IReadOnlyList<string> InformationTypes { get; } = [Pharmacy, Diagnosis, Checkup, Operation];

    /// <summary>All purposes in display order.</summary>
    public static IReadOnlyList<string> Purposes { get; } = [Outpatient, HomeVisit, Online];
}
