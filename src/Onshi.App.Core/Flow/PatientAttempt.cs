using System.Collections.Immutable;
using Onshi.Card.Applications;

namespace Onshi.App.Core.Flow;

/// <summary>
/// Everything the app holds about one patient, from choosing the purpose to 次の患者へ, as one immutable record per
/// step: each step holds exactly what it has and the step before it, so a later step cannot be reached without the
/// earlier one's data. One idempotency key per attempt: a retry after an unknown outcome sends the same key and the
/// same body, so the server records one result. The flow zeroes every buffer a step drops when it moves on
/// (<see cref="Buffers"/>); strings cannot be zeroed in .NET and are dropped.
/// </summary>
/// <remarks>The virtual properties are what screens and tests read; a step that does not have a datum answers null.</remarks>
public abstract record PatientAttempt
{
    private protected PatientAttempt()
    {
    }

    /// <summary>The first step: purpose and idempotency key.</summary>
    public abstract PurposeChosen Start { get; }

    public string Purpose => Start.Token;

    public Guid IdempotencyKey => Start.Key;

    /// <summary>The step that chose the 本人確認方法 (null before it).</summary>
    public virtual MethodChosen? Choice => null;

    public IdentificationMethod? Method => Choice?.Chosen;

    public virtual CardFaceView? Face => null;

    /// <summary>The server's card check said no consent can be used (certificate expired within the 3-month grace).</summary>
    public virtual bool QualificationOnly => false;

    /// <summary>The consent question on screen: null = the 包括同意 question, else an information type.</summary>
    public virtual string? ConsentQuestion => null;

    public virtual ConfirmationResponse? Result => null;

    /// <summary>処方箋の発行形態 the patient chose (<c>WirePrescriptionIssues</c>); null = not asked (yet).</summary>
    public virtual string? PrescriptionIssue => null;

    /// <summary>The server answered a resend with the result it had already stored (200 instead of 201).</summary>
    public virtual bool ResultWasReplayed => false;

    internal virtual byte[]? Certificate => null;

    internal virtual byte[]? Signature => null;

    /// <summary>目視確認: what the card gave as proof of presence for the challenge (Onshi.Card VisualCardProof).</summary>
    internal virtual VisualCardProof? CardProof => null;

    /// <summary>The body as first sent; kept so a retry is byte-for-byte the same request.</summary>
    internal virtual ConfirmationRequest? SentRequest => null;

    /// <summary>Every buffer this step holds (its own and its predecessors'), for zeroing when the flow drops them.</summary>
    internal abstract IEnumerable<byte[]> Buffers();
}

/// <summary>A challenge the server issued for this attempt (the bytes the card signs).</summary>
public sealed record IssuedChallenge(string Id, byte[] Bytes, DateTimeOffset ExpiresAt);

/// <summary>本人確認方法 screen: the purpose is chosen.</summary>
public sealed record PurposeChosen(string Token, Guid Key) : PatientAttempt
{
    public override PurposeChosen Start => this;

    internal override IEnumerable<byte[]> Buffers() => [];
}

/// <summary>Card screen: the 本人確認方法 is chosen.</summary>
public sealed record MethodChosen(PurposeChosen From, IdentificationMethod Chosen) : PatientAttempt
{
    public override PurposeChosen Start => From;

    public override MethodChosen Choice => this;

    internal override IEnumerable<byte[]> Buffers() => [];
}

/// <summary>
/// 暗証番号, 照合番号B or the blocked-PIN screen: the 利用者証明用電子証明書 was read and the server accepted the card.
/// <see cref="Challenge"/> is the one issued for this card so far (kept across a wrong PIN, re-issued near its expiry).
/// </summary>
public sealed record CardRead(MethodChosen From, byte[] AuthenticationCertificate, bool CardQualificationOnly, IssuedChallenge? Challenge) : PatientAttempt
{
    public override PurposeChosen Start => From.Start;

    public override MethodChosen Choice => From;

    public override bool QualificationOnly => CardQualificationOnly;

    internal override byte[] Certificate => AuthenticationCertificate;

    internal override IEnumerable<byte[]> Buffers() => Challenge is null ? [AuthenticationCertificate] : [AuthenticationCertificate, Challenge.Bytes];
}

/// <summary>目視確認 screen: 照合番号B opened the 券面AP, the card proved its presence for the challenge, the face is shown.</summary>
public sealed record FaceRead(CardRead Card, IssuedChallenge Challenge, VisualCardProof Proof, CardFaceView CardFace) : PatientAttempt
{
    public override PurposeChosen Start => Card.Start;

    public override MethodChosen Choice => Card.Choice;

    public override CardFaceView Face => CardFace;

    public override bool QualificationOnly => Card.QualificationOnly;

    internal override byte[] Certificate => Card.AuthenticationCertificate;

    internal override VisualCardProof CardProof => Proof;

    internal override IEnumerable<byte[]> Buffers()
    {
        IEnumerable<byte[]> own = [Challenge.Bytes, Proof.Certificate, Proof.Signature, Proof.CardFaceRecord, CardFace.NamePng, CardFace.AddressPng];
        return CardFace.PhotoPng is { } photo ? [.. Card.Buffers(), .. own, photo] : [.. Card.Buffers(), .. own];
    }
}

/// <summary>How the patient's identity was proved.</summary>
public abstract record IdentityProof
{
    private protected IdentityProof()
    {
    }

    internal abstract IEnumerable<byte[]> Buffers();
}

/// <summary>暗証番号: the card's signature over the authentication message.</summary>
public sealed record PinSignature(byte[] Signature) : IdentityProof
{
    internal override IEnumerable<byte[]> Buffers() => [Signature];
}

/// <summary>目視確認: staff compared the face and attested 本人と確認した.</summary>
public sealed record VisualAttestation(FaceRead Face) : IdentityProof
{
    internal override IEnumerable<byte[]> Buffers() => Face.Buffers();
}

/// <summary>Identity proved (PIN signature or 目視確認) with the challenge it was proved against.</summary>
public sealed record Identified(CardRead Card, IssuedChallenge Challenge, IdentityProof Proof) : PatientAttempt
{
    public override PurposeChosen Start => Card.Start;

    public override MethodChosen Choice => Card.Choice;

    public override CardFaceView? Face => (Proof as VisualAttestation)?.Face.Face;

    public override bool QualificationOnly => Card.QualificationOnly;

    internal override byte[] Certificate => Card.AuthenticationCertificate;

    internal override byte[]? Signature => (Proof as PinSignature)?.Signature;

    internal override VisualCardProof? CardProof => (Proof as VisualAttestation)?.Face.Proof;

    internal override IEnumerable<byte[]> Buffers() => [.. Card.Buffers(), Challenge.Bytes, .. Proof.Buffers()];
}

/// <summary>同意 screens: the answers so far (information type → yes/no; missing = not asked yet) and the question on screen.</summary>
/// <summary>
/// 同意 screens, then (where the institution issues prescriptions) the 処方箋の発行形態 question: the answers so far and
/// the patient's choice (<see cref="Chosen"/>, null until answered).
/// </summary>
public sealed record Consenting(Identified Identity, ImmutableDictionary<string, bool> Answers, bool Comprehensive, string? Question, string? Chosen = null) : PatientAttempt
{
    public override string? PrescriptionIssue => Chosen;

    public override PurposeChosen Start => Identity.Start;

    public override MethodChosen Choice => Identity.Choice;

    public override CardFaceView? Face => Identity.Face;

    public override bool QualificationOnly => Identity.QualificationOnly;

    public override string? ConsentQuestion => Question;

    internal override byte[] Certificate => Identity.Certificate;

    internal override byte[]? Signature => Identity.Signature;

    internal override VisualCardProof? CardProof => Identity.CardProof;

    internal override IEnumerable<byte[]> Buffers() => Identity.Buffers();
}

/// <summary>Consent answered and the confirmation built: sent, answer not (yet) seen (送信結果を確認できません).</summary>
public sealed record Sending(Identified Identity, ConfirmationRequest Request, Consenting Consent) : PatientAttempt
{
    public override string? PrescriptionIssue => Consent.PrescriptionIssue;

    public override PurposeChosen Start => Identity.Start;

    public override MethodChosen Choice => Identity.Choice;

    public override bool QualificationOnly => Identity.QualificationOnly;

    internal override byte[] Certificate => Identity.Certificate;

    internal override byte[]? Signature => Identity.Signature;

    internal override VisualCardProof? CardProof => Identity.CardProof;

    internal override ConfirmationRequest SentRequest => Request;

    internal override IEnumerable<byte[]> Buffers() => Identity.Buffers();
}

/// <summary>結果: the server's answer to the confirmation.</summary>
public sealed record Answered(Sending Sent, ConfirmationResponse Confirmation, bool Replayed) : PatientAttempt
{
    public override PurposeChosen Start => Sent.Start;

    public override MethodChosen Choice => Sent.Choice;

    public override ConfirmationResponse Result => Confirmation;

    public override bool ResultWasReplayed => Replayed;

    internal override byte[] Certificate => Sent.Certificate;

    internal override byte[]? Signature => Sent.Signature;

    internal override VisualCardProof? CardProof => Sent.CardProof;

    internal override ConfirmationRequest SentRequest => Sent.Request;

    internal override IEnumerable<byte[]> Buffers() => Sent.Buffers();
}
