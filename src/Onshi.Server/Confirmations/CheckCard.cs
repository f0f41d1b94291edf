using Onshi.Jpki;
using Onshi.Server.AppSessions;
using Onshi.Server.Audit;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Consent;
using Onshi.Server.Devices;
using Onshi.Server.Insurance;

namespace Onshi.Server.Confirmations;

/// <summary>
/// 事前確認 of the card just read: everything the server can know from the 利用者証明用電子証明書 alone (chain, validity
/// with the 3-month grace, revocation, 利用登録) and from the institution's settings now, so the app refuses before asking
/// the patient for a PIN, a 照合番号B or a consent. A refusal is recorded in the audit log as <c>app.attempt_refused</c>
/// with the purpose, the method and the refusal code only: the attempt established nothing about the person.
/// </summary>
public sealed class CheckCard(JpkiVerifier verifier, QualificationLookup lookup, AuditLog audit, TimeProvider time)
{
    public const string RefusedAction = "app.attempt_refused";

    public async Task<OperationResult<CardCheckResponse>> ExecuteAsync(AppDevice device, AppSessionContext session, CardCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        if (!WirePurposes.TryParse(request.Purpose, out var purpose) || !WireMethods.IsKnown(request.Method))
        {
            return OperationResult<CardCheckResponse>.Fail(Refusals.AppRequestInvalid);
        }

        if (!Purposes.IsEnabled(session.Settings, purpose))
        {
            return OperationResult<CardCheckResponse>.Fail(ChallengeRefusals.PurposeNotEnabled);
        }

        if (request.PinBlocked)
        {
            return OperationResult<CardCheckResponse>.Fail(await RefuseAsync(ConfirmationRefusals.PinBlocked));
        }

        var certificate = CanonicalBase64Url.TryDecode(request.Certificate, maximumLength: ConfirmQualification.MaximumCertificateBytes * 2);
        if (certificate is null)
        {
            return OperationResult<CardCheckResponse>.Fail(ConfirmationRefusals.Jpki(JpkiFailureReason.MalformedCertificate));
        }

        // The same checks as 目視確認 at confirmation time (no signature yet): what the certificate alone proves.
        var verification = verifier.VerifyForVisualIdentification(certificate, time.GetUtcNow());
        if (verification.Failure is { } failure)
        {
            return OperationResult<CardCheckResponse>.Fail(await RefuseAsync(ConfirmationRefusals.Jpki(failure)));
        }

        var found = await lookup.FindByCardAsync(verification.Certificate!.LinkageKey!, JapanTime.Today(time), cancellationToken).ConfigureAwait(false);
        if (found.CardNotLinked)
        {
            return OperationResult<CardCheckResponse>.Fail(await RefuseAsync(ConfirmationRefusals.CardNotLinked));
        }

        return OperationResult<CardCheckResponse>.Ok(new CardCheckResponse(verification.Notices.HasFlag(JpkiNotices.ExpiredWithinGrace), Purposes.Enabled(session.Settings), InformationTypes.Offered(session.Settings),
            session.Settings.IssuesPrescriptions));

        async Task<Refusal> RefuseAsync(Refusal refusal)
        {
            await audit.RecordNowAsync(new Actor(session.AccountId, device.InstitutionId, session.Role, session.UserId), device.InstitutionId, RefusedAction,
                $"device:{device.Id}", $"purpose={request.Purpose};method={request.Method};code={refusal.Code}", cancellationToken).ConfigureAwait(false);
            return refusal;
        }
    }
}
