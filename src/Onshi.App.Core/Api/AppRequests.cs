using Onshi.Card.Applications;

namespace Onshi.App.Core.Api;

/// <summary>
/// The app's request bodies, composed from what the flow collected. The wire encoding (Base64url, method tokens,
/// consent answers by information type) lives here, next to the client that sends them, not in the state machine.
/// </summary>
internal static class AppRequests
{
    public static ConfirmationRequest Confirmation(string challengeId, string purpose, bool visual, byte[] certificate, byte[]? signature,
        IReadOnlyDictionary<string, bool> consents, bool comprehensiveConsent, VisualCardProof? cardProof, string? prescriptionIssue = null)
    {
        ArgumentNullException.ThrowIfNull(consents);
        bool? Answer(string type) => consents.TryGetValue(type, out var given) ? given : null;
        return new ConfirmationRequest(
            challengeId,
            purpose,
            Method(visual),
            Base64Url.EncodeToString(certificate),
            visual ? null : Base64Url.EncodeToString(signature ?? throw new ArgumentNullException(nameof(signature), "A PIN confirmation needs the card's signature.")),
            visual ? new VisualAttestationRequest(true) : null,
            new ConsentAnswers(Answer(WireInformationTypes.Pharmacy), Answer(WireInformationTypes.Diagnosis), Answer(WireInformationTypes.Checkup), Answer(WireInformationTypes.Operation)),
            comprehensiveConsent,
            visual && cardProof is { } proof
                ? new CardPresenceProofRequest(Base64Url.EncodeToString(proof.Certificate), Base64Url.EncodeToString(proof.Signature), Base64Url.EncodeToString(proof.CardFaceRecord))
                : null,
            prescriptionIssue);
    }

    public static CardCheckRequest CardCheck(string purpose, bool visual, byte[] certificate, bool pinBlocked) =>
        new(purpose, Method(visual), Base64Url.EncodeToString(certificate), pinBlocked);

    private static string Method(bool visual) => visual ? WireMethods.Visual : WireMethods.Pin;
}
