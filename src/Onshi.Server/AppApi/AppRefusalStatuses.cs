using System.Collections.Frozen;
using Onshi.Jpki;
using Onshi.Server.AppSessions;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Confirmations;
using Onshi.Server.Devices;
using Onshi.Server.RateLimiting;

namespace Onshi.Server.AppApi;

/// <summary>
/// The HTTP status of every refusal the app API can answer with, by code (docs/app-api.md). Operations refuse with a
/// <see cref="Refusal"/> from their feature's catalogue and know nothing of HTTP; the status is assigned here, at the edge.
/// </summary>
public static class AppRefusalStatuses
{
    private static readonly FrozenDictionary<string, int> ByCode = Build();

    /// <summary>The status for <paramref name="refusal"/>; a refusal missing from the table is a programming error.</summary>
    public static int Of(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return ByCode.TryGetValue(refusal.Code, out var status)
            ? status
            : throw new InvalidOperationException($"The app API has no HTTP status for the refusal '{refusal.Code}'.");
    }

    /// <summary>Whether the table knows <paramref name="code"/>.</summary>
    public static bool Knows(string code) => ByCode.ContainsKey(code);

    private static FrozenDictionary<string, int> Build()
    {
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [DeviceRefusals.ProofInvalid.Code] = 401,
            [DeviceRefusals.ProofReplayed.Code] = 401,
            [DeviceRefusals.DeviceUnknown.Code] = 401,
            [DeviceRefusals.DeviceInvalidated.Code] = 401,
            [DeviceRefusals.DeviceKeyAlreadyRegistered.Code] = 409,
            [AppSessionRefusals.CredentialsInvalid.Code] = 401,
            [AppSessionRefusals.AccountLocked.Code] = 403,
            [AppSessionRefusals.AccountOutsidePeriod.Code] = 403,
            [AppSessionRefusals.AccountNeverLoggedIn.Code] = 403,
            [AppSessionRefusals.RoleNotAllowed.Code] = 403,
            [AppSessionRefusals.NoPurposeEnabled.Code] = 403,
            [Refusals.AppRequestInvalid.Code] = 400,
            [DeviceRefusals.ActivationCodeUnknown.Code] = 400,
            [DeviceRefusals.ActivationCodeUsed.Code] = 409,
            [DeviceRefusals.ActivationCodeInvalidated.Code] = 409,
            [DeviceRefusals.ActivationCodeExpired.Code] = 409,
            [AppSessionRefusals.SessionExpired.Code] = 401,
            [ChallengeRefusals.PurposeNotEnabled.Code] = 403,
            [ChallengeRefusals.ChallengeUnknown.Code] = 404,
            [ChallengeRefusals.ChallengeExpired.Code] = 409,
            [ChallengeRefusals.ChallengeUsed.Code] = 409,
            [ChallengeRefusals.ChallengeOtherDevice.Code] = 409,
            [ChallengeRefusals.PurposeMismatch.Code] = 409,
            [ConfirmationRefusals.IdempotencyKeyRequired.Code] = 400,
            [ConfirmationRefusals.IdempotencyConflict.Code] = 422,
            [ConfirmationRefusals.VisualAttestationRequired.Code] = 422,
            [ConfirmationRefusals.SignatureRequired.Code] = 422,
            [ConfirmationRefusals.CardNotLinked.Code] = 422,
            [ConfirmationRefusals.ConfirmationNotFound.Code] = 404,
            [ConfirmationRefusals.VisualNotAllowedForPurpose.Code] = 422,
            [ConfirmationRefusals.CardProofRequired.Code] = 422,
            [ConfirmationRefusals.PinBlocked.Code] = 422,
            [ConfirmationRefusals.PrescriptionIssueRequired.Code] = 422,
            [ConfirmationRefusals.PrescriptionIssueUnknown.Code] = 422,
            [RateLimits.Code] = StatusCodes.Status429TooManyRequests,
        };

        // Card checks that cannot run because the server lacks something are 503 (try again later or use another way); the rest 422.
        foreach (var failure in Enum.GetValues<CardPresenceFailure>())
        {
            statuses.Add(ConfirmationRefusals.CardPresence(failure).Code, failure == CardPresenceFailure.NotConfigured ? 503 : 422);
        }

        foreach (var reason in Enum.GetValues<JpkiFailureReason>())
        {
            statuses.Add(ConfirmationRefusals.Jpki(reason).Code, reason is JpkiFailureReason.RevocationListUnavailable or JpkiFailureReason.RevocationListStale ? 503 : 422);
        }

        return statuses.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
