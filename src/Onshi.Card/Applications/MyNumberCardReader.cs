using System.Security.Cryptography;
using Onshi.Card.Credentials;
using Onshi.Card.Transport;

namespace Onshi.Card.Applications;

/// <summary>Result of PIN-mode identification (暗証番号モード).</summary>
public sealed record PinIdentification(PinVerification Pin, byte[] AuthenticationCertificate, byte[]? Signature)
{
    /// <summary>True when the PIN was accepted and the challenge signed.</summary>
    public bool Succeeded => Pin.IsVerified && Signature is not null;
}

/// <summary>
/// What the card gives the server as proof that it was in the reader during 目視確認: the 券面AP internal-authentication
/// certificate, its signature over the server's challenge, and the signed card-face record (EF 0002) as read.
/// </summary>
public sealed record VisualCardProof(byte[] Certificate, byte[] Signature, byte[] CardFaceRecord);

/// <summary>Result of visual-check mode (目視確認モード).</summary>
public sealed record VisualCheckRead(PinVerification CheckCode, CardFace? Face, BasicFourInfo? BasicInfo, VisualCardProof? Proof = null)
{
    public bool Succeeded => CheckCode.IsVerified && Face is not null && BasicInfo is not null;
}

/// <summary>
/// The two operations the マイナ資格確認アプリ runs against a patient's card, each with as few exchanges as the card
/// allows (see docs/performance.md for the counts).
/// </summary>
public sealed class MyNumberCardReader
{
    public MyNumberCardReader(ICardTransport transport)
    {
        Session = new CardSession(transport);
        Jpki = new JpkiApplication(Session);
        Text = new TextApplication(Session);
        Visual = new VisualApplication(Session);
    }

    public CardSession Session { get; }

    public JpkiApplication Jpki { get; }

    public TextApplication Text { get; }

    public VisualApplication Visual { get; }

    /// <summary>
    /// 暗証番号モード: read the 利用者証明用電子証明書, VERIFY the PIN, sign SHA-256(<paramref name="challenge"/>) with the
    /// user-authentication key. A wrong, malformed or blocked PIN is a result, not an exception; the certificate is
    /// returned either way so the app can tell whose card it was.
    /// </summary>
    public async Task<PinIdentification> IdentifyWithPinAsync(string pin, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken = default)
    {
        var format = CardPin.Validate(pin);
        if (format is not null)
        {
            return new PinIdentification(new PinVerification(PinVerificationOutcome.InvalidFormat, null, format.Message), [], null);
        }

        var certificate = await Jpki.ReadAuthenticationCertificateAsync(cancellationToken).ConfigureAwait(false);
        var verification = await Jpki.VerifyAuthenticationPinAsync(pin, cancellationToken).ConfigureAwait(false);
        if (!verification.IsVerified)
        {
            return new PinIdentification(verification, certificate, null);
        }

        var signature = await Jpki.SignSha256WithAuthenticationKeyAsync(SHA256.HashData(challenge.Span), cancellationToken).ConfigureAwait(false);
        return new PinIdentification(verification, certificate, signature);
    }

    /// <summary>
    /// 目視確認モード: VERIFY 照合番号B in the 券面AP and read the card face (photo), then VERIFY it in the
    /// 券面事項入力補助AP and read 基本4情報 as text. Stops at the first refused 照合番号B.
    /// </summary>
    public async Task<VisualCheckRead> ReadForVisualCheckAsync(CheckCodeB code, CancellationToken cancellationToken = default) =>
        await ReadForVisualCheckAsync(code, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As <see cref="ReadForVisualCheckAsync(CheckCodeB, CancellationToken)"/>, and, when <paramref name="challenge"/> is
    /// not empty, has the card prove its presence by signing it in the 券面AP while 照合番号B is verified there.
    /// </summary>
    public async Task<VisualCheckRead> ReadForVisualCheckAsync(CheckCodeB code, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken = default)
    {
        var visual = await Visual.VerifyCheckCodeBAsync(code, cancellationToken).ConfigureAwait(false);
        if (!visual.IsVerified)
        {
            return new VisualCheckRead(visual, null, null);
        }

        var face = await Visual.ReadCardFaceAsync(cancellationToken).ConfigureAwait(false);
        VisualCardProof? proof = null;
        if (!challenge.IsEmpty && await Visual.ProvePresenceAsync(challenge, cancellationToken).ConfigureAwait(false) is { } signed)
        {
            proof = new VisualCardProof(signed.Certificate, signed.Signature, face.RawRecord.ToArray());
        }

        var text = await Text.VerifyCheckCodeBAsync(code, cancellationToken).ConfigureAwait(false);
        if (!text.IsVerified)
        {
            return new VisualCheckRead(text, face, null, proof);
        }

        var info = await Text.ReadBasicFourInfoAsync(cancellationToken).ConfigureAwait(false);
        return new VisualCheckRead(text, face, info, proof);
    }
}
