using System.Security.Cryptography;

namespace Onshi.App.Core.Flow;

/// <summary>
/// Everything the app holds about one patient, from choosing the purpose to 次の患者へ. One idempotency key per
/// attempt: a retry after an unknown outcome sends the same key and the same body, so the server records one result.
/// <see cref="Dispose"/> zeroes every buffer it owns; strings cannot be zeroed in .NET and are dropped.
/// </summary>
public sealed class PatientAttempt : IDisposable
{
    internal PatientAttempt(string purpose, Guid idempotencyKey)
    {
        Purpose = purpose;
        IdempotencyKey = idempotencyKey;
    }

    public string Purpose { get; }

    public Guid IdempotencyKey { get; internal set; }

    public IdentificationMethod? Method { get; internal set; }

    internal string? ChallengeId { get; set; }

    internal byte[]? Challenge { get; set; }

    internal DateTimeOffset ChallengeExpiresAt { get; set; }

    internal byte[]? Certificate { get; set; }

    internal byte[]? Signature { get; set; }

    /// <summary>目視確認: what the card gave as proof of presence for <see cref="Challenge"/> (Onshi.Card VisualCardProof).</summary>
    internal Onshi.Card.Applications.VisualCardProof? CardProof { get; set; }

    public CardFaceView? Face { get; internal set; }

    public bool? PhotoMatchesPatient { get; internal set; }

    /// <summary>The server's card check said no consent can be used (certificate expired within the 3-month grace).</summary>
    public bool QualificationOnly { get; internal set; }

    /// <summary>Answers so far: information type → yes/no; missing = not asked yet.</summary>
    public Dictionary<string, bool> Consents { get; } = new(StringComparer.Ordinal);

    public bool ComprehensiveConsent { get; internal set; }

    /// <summary>The consent question on screen: null = the 包括同意 question, else an information type.</summary>
    public string? ConsentQuestion { get; internal set; }

    /// <summary>処方箋の発行形態 the patient chose (<c>WirePrescriptionIssues</c>); null = not asked (yet).</summary>
    public string? PrescriptionIssue { get; internal set; }

    /// <summary>The body as first sent; kept so a retry is byte-for-byte the same request.</summary>
    internal ConfirmationRequest? SentRequest { get; set; }

    public ConfirmationResponse? Result { get; internal set; }

    /// <summary>The server answered a resend with the result it had already stored (200 instead of 201).</summary>
    public bool ResultWasReplayed { get; internal set; }

    /// <summary>Drops the card data and signatures (a new challenge and card read are needed).</summary>
    internal void ForgetCardData()
    {
        Zero(Challenge);
        Zero(Certificate);
        Zero(Signature);
        if (CardProof is not null)
        {
            Zero(CardProof.CardFaceRecord);
            Zero(CardProof.Signature);
        }

        if (Face is not null)
        {
            Zero(Face.PhotoPng);
            Zero(Face.NamePng);
            Zero(Face.AddressPng);
        }

        Challenge = null;
        ChallengeId = null;
        Certificate = null;
        Signature = null;
        CardProof = null;
        Face = null;
        PhotoMatchesPatient = null;
        Consents.Clear();
        ComprehensiveConsent = false;
        ConsentQuestion = null;
        PrescriptionIssue = null;
        SentRequest = null;
    }

    public void Dispose()
    {
        ForgetCardData();
        Result = null;
        ResultWasReplayed = false;
        Method = null;
    }

    private static void Zero(byte[]? buffer)
    {
        if (buffer is not null)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
