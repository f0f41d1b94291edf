using Onshi.Jpki;
using Onshi.Server.AppApi;
using Onshi.Server.Audit;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Consent;
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

    public static readonly AppRefusal PinBlocked = new("card.pin_blocked",
        "このカードでは暗証番号による本人確認ができません（暗証番号のロック、又は暗証番号のない顔認証マイナンバーカード）。目視確認又は資格確認書等で確認してください。", 422);

    public async Task<(AppRefusal? Refusal, CardCheckResponse? Response)> ExecuteAsync(AppDevice device, AppSessionContext session, CardCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        if (!WirePurposes.TryParse(request.Purpose, out var purpose) || !WireMethods.IsKnown(request.Method))
        {
            return (AppRefusals.RequestInvalid, null);
        }

        if (!Purposes.IsEnabled(session.Settings, purpose))
        {
            return (AppRefusals.PurposeNotEnabled, null);
        }

        if (request.PinBlocked)
        {
            return (await RefuseAsync(PinBlocked), null);
        }

        var certificate = CanonicalBase64Url.TryDecode(request.Certificate, maximumLength: ConfirmQualification.MaximumCertificateBytes * 2);
        if (certificate is null)
        {
            return (AppRefusals.Jpki(JpkiFailureReason.MalformedCertificate), null);
        }

        // The same checks as 目視確認 at confirmation time (no signature yet): what the certificate alone proves.
        var verification = verifier.VerifyForVisualIdentification(certificate, time.GetUtcNow());
        if (verification.Failure is { } failure)
        {
            return (await RefuseAsync(AppRefusals.Jpki(failure)), null);
        }

        var found = await lookup.FindByCardAsync(verification.Certificate!.LinkageKey!, JapanTime.Today(time), cancellationToken).ConfigureAwait(false);
        if (found.CardNotLinked)
        {
            return (await RefuseAsync(AppRefusals.CardNotLinked), null);
        }

        return (null, new CardCheckResponse(verification.Notices.HasFlag(JpkiNotices.ExpiredWithinGrace), Purposes.Enabled(session.Settings), InformationTypes.Offered(session.Settings)));

        async Task<AppRefusal> RefuseAsync(AppRefusal refusal)
        {
            await audit.RecordNowAsync(new Actor(session.AccountId, device.InstitutionId, session.Role, session.UserId), device.InstitutionId, RefusedAction,
                $"device:{device.Id}", $"purpose={request.Purpose};method={request.Method};code={refusal.Code}", cancellationToken).ConfigureAwait(false);
            return refusal;
        }
    }
}
