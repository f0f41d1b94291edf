using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Core.Codes;
using Onshi.Jpki;
using Onshi.Server.AppSessions;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Devices;
using Onshi.Server.Insurance;

namespace Onshi.Server.Confirmations;

/// <summary>The stored answer of a confirmation call (the app's JSON as stored), and whether it was a retry's.</summary>
public sealed record ConfirmationAnswer(string ResultJson, Guid ConfirmationId, bool Replayed);

/// <summary>
/// 資格確認 (the hot path): identification (PIN signature or 目視確認), linkage, qualification, consent, and the stored
/// result, in as few database round trips as possible: one read of the idempotency key and the challenge together (ConfirmationReads), the
/// qualification lookup (revocation lists are kept current in memory by Revocation.RevocationListSync), and one write that consumes the challenge, stores the result, the consents, the proof's jti
/// and the session's last-seen time together. Rules and reasons: readme.md.
/// </summary>
public sealed class ConfirmQualification(
    AppDbContext db,
    JpkiVerifier verifier,
    CardPresenceVerifier presence,
    QualificationLookup lookup,
    ConfirmationWriter writer,
    TimeProvider time,
    ProofLedger ledger,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const int MaximumCertificateBytes = 16 * 1024;
    public const int MaximumSignatureBytes = 1024;

    // Compiled once per EF model (a process may hold two, SQLite and PostgreSQL, as the tests do): the winner's answer after a raced Idempotency-Key.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, CompiledQueries> Compiled = [];

    private CompiledQueries Queries => Compiled.GetValue(db.Model, _ => new CompiledQueries());

    private sealed class CompiledQueries
    {
        public readonly Func<AppDbContext, Guid, Guid, CancellationToken, Task<StoredConfirmation?>> StoredByKey =
            EF.CompileAsyncQuery((AppDbContext db, Guid deviceId, Guid idempotencyKey, CancellationToken _) =>
                db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
                    .Where(c => c.DeviceId == deviceId && c.IdempotencyKey == idempotencyKey)
                    .Select(c => new StoredConfirmation(c.Id, c.RequestHash, c.ResultJson))
                    .SingleOrDefault());
    }

    /// <summary>
    /// Confirms for <paramref name="device"/> and <paramref name="session"/>. <paramref name="request"/> is the parsed body
    /// (null when it was not a confirmation request: refused, unless the key names a stored confirmation, whose answer
    /// depends on <paramref name="requestHash"/> only), <paramref name="requestHash"/> the SHA-256 of the body as sent.
    /// </summary>
    public async Task<OperationResult<ConfirmationAnswer>> ExecuteAsync(AppDevice device, AppSessionContext session, Guid idempotencyKey, ConfirmationRequest? request, byte[] requestHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(requestHash);
        var now = time.GetUtcNow();

        Guid? challengeId = request is not null && Guid.TryParse(request.ChallengeId, out var parsedId) ? parsedId : null;
        var (stored, challenge) = await ConfirmationReads.For(db.Model).ReadAsync(db, device.Id, idempotencyKey, challengeId, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return await RetryAsync(stored.Id, stored.RequestHash, stored.ResultJson, requestHash, cancellationToken).ConfigureAwait(false);
        }

        if (request is null || challengeId is null || !WirePurposes.TryParse(request.Purpose, out var purpose)
            || !WireMethods.IsKnown(request.Method))
        {
            return Refuse(Refusals.AppRequestInvalid);
        }

        // 処方箋の発行形態 is part of the answer where the institution prescribes; refused before the challenge is spent,
        // so the app can ask the patient and send again. Elsewhere (a 薬局) a value sent is not recorded.
        PrescriptionIssueSelect? prescriptionIssue = null;
        if (session.Settings.IssuesPrescriptions)
        {
            if (request.PrescriptionIssue is null)
            {
                return Refuse(ConfirmationRefusals.PrescriptionIssueRequired);
            }

            if (!TryParsePrescriptionIssue(request.PrescriptionIssue, out var parsed))
            {
                return Refuse(ConfirmationRefusals.PrescriptionIssueUnknown);
            }

            prescriptionIssue = parsed;
        }

        var challengeRefusal = challenge switch
        {
            null => ChallengeRefusals.ChallengeUnknown,
            _ when challenge.DeviceId != device.Id || challenge.SessionId != session.Id => ChallengeRefusals.ChallengeOtherDevice,
            { UsedAt: not null } => ChallengeRefusals.ChallengeUsed,
            _ when now >= challenge.ExpiresAt => ChallengeRefusals.ChallengeExpired,
            _ when challenge.Purpose != purpose => ChallengeRefusals.PurposeMismatch,
            _ when !Purposes.IsEnabled(session.Settings, purpose) => ChallengeRefusals.PurposeNotEnabled,
            _ => null,
        };
        if (challengeRefusal is not null)
        {
            return Refuse(challengeRefusal);
        }

        var certificate = CanonicalBase64Url.TryDecode(request.Certificate, maximumLength: MaximumCertificateBytes * 2);
        if (certificate is null)
        {
            return Refuse(ConfirmationRefusals.Jpki(JpkiFailureReason.MalformedCertificate));
        }

        var method = request.Method == WireMethods.Pin ? IdentificationMethod.Pin : IdentificationMethod.Visual;
        JpkiVerificationResult verification;
        if (method == IdentificationMethod.Pin)
        {
            var signature = CanonicalBase64Url.TryDecode(request.Signature, maximumLength: MaximumSignatureBytes * 2);
            if (signature is null)
            {
                return Refuse(ConfirmationRefusals.SignatureRequired);
            }

            // The signed message is rebuilt from the server's own records: challenge, institution, device key, purpose.
            var message = AuthenticationMessage.Build(challenge!.Value, device.InstitutionCode, device.KeyThumbprint, challenge.Purpose);
            verification = verifier.Verify(certificate, signature, message, now);
        }
        else
        {
            if (request.VisualAttestation is not { PhotoMatchesPatient: true })
            {
                return Refuse(ConfirmationRefusals.VisualAttestationRequired);
            }

            // オンライン診療等: the patient is not at the counter, so no card can be in this device's reader (policy: readme.md).
            if (purpose == AuthenticationPurpose.Online)
            {
                return Refuse(ConfirmationRefusals.VisualNotAllowedForPurpose);
            }

            verification = verifier.VerifyForVisualIdentification(certificate, now);
        }

        if (verification.Failure is { } failure)
        {
            return Refuse(ConfirmationRefusals.Jpki(failure));
        }

        if (method == IdentificationMethod.Visual && VerifyCardPresence(request.CardProof, certificate, challenge!, device, now) is { } presenceRefusal)
        {
            return Refuse(presenceRefusal);
        }

        var linkageKey = verification.Certificate!.LinkageKey!;
        var found = await lookup.FindByCardAsync(linkageKey, JapanTime.Today(time), cancellationToken).ConfigureAwait(false);
        if (found.CardNotLinked)
        {
            return Refuse(ConfirmationRefusals.CardNotLinked);
        }

        var confirmationId = Guid.NewGuid();
        var qualificationOnly = verification.Notices.HasFlag(JpkiNotices.ExpiredWithinGrace);
        var consents = qualificationOnly || found.PersonId is null
            ? []
            : ConsentsFrom(request, session.Settings, device.InstitutionId, found.PersonId.Value, purpose, now, confirmationId);
        var response = Compose(confirmationId, now, method, purpose, found, verification.Notices, qualificationOnly, consents, prescriptionIssue);
        var resultJson = JsonSerializer.Serialize(response, json.Value.SerializerOptions);
        var first = found.Qualifications.Count > 0 ? found.Qualifications[0] : null;

        // The one write: challenge consumed (only if still unused), result, consents, jti, session activity — committed
        // by the group-commit writer together with the confirmations arriving at the same moment (ConfirmationWriter).
        var confirmation = new AppConfirmation
        {
            Id = confirmationId,
            InstitutionId = device.InstitutionId,
            DeviceId = device.Id,
            SessionId = session.Id,
            AccountId = session.AccountId,
            ChallengeId = challenge!.Id,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            Purpose = purpose,
            Method = method,
            VisualAttestation = method == IdentificationMethod.Visual,
            ConfirmedAt = now,
            Validity = found.Validity.ToWireCode(),
            QualificationOnly = qualificationOnly,
            PersonId = found.PersonId,
            PatientName = first?.Name,
            PatientNameKana = first?.NameKana,
            PatientBirthdate = first?.Birthdate,
            CertificateLinkageKey = linkageKey,
            ResultJson = resultJson,
            SnapshotJson = (ConfirmationSnapshot.Of(found, verification.Notices) with { PrescriptionIssue = prescriptionIssue }).ToJson(),
        };
        var written = await writer.WriteAsync(new ConfirmationWrite(challenge.Id, ledger.SessionToTouch, now, confirmation, consents, ledger.NewEntry(), session.UserId)).ConfigureAwait(false);
        if (written == ConfirmationWriteResult.ChallengeUsed)
        {
            return Refuse(ChallengeRefusals.ChallengeUsed);
        }

        if (written == ConfirmationWriteResult.UniqueViolation)
        {
            // Either the same Idempotency-Key raced in twice (answer with the winner's result) or the proof was replayed.
            var winner = await Queries.StoredByKey(db, device.Id, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                return Refuse(DeviceRefusals.ProofReplayed);
            }

            return await RetryAsync(winner.Id, winner.RequestHash, winner.ResultJson, requestHash, cancellationToken).ConfigureAwait(false);
        }

        return OperationResult<ConfirmationAnswer>.Ok(new ConfirmationAnswer(resultJson, confirmationId, Replayed: false));
    }

    /// <summary>
    /// 目視確認 needs the card itself: its 券面AP key signed this challenge (bound to institution, device key and purpose),
    /// the card-face record it gave is signed by the same key, and the key's certificate names the 利用者証明用
    /// certificate that was read. A certificate kept from an earlier visit proves nothing without the card.
    /// </summary>
    private Refusal? VerifyCardPresence(CardPresenceProofRequest? proof, byte[] jpkiCertificate, Challenge challenge, AppDevice device, DateTimeOffset now)
    {
        if (!presence.IsConfigured)
        {
            return ConfirmationRefusals.CardPresence(CardPresenceFailure.NotConfigured);
        }

        var proofCertificate = CanonicalBase64Url.TryDecode(proof?.Certificate, maximumLength: CardPresenceVerifier.MaximumCertificateBytes * 2);
        var signature = CanonicalBase64Url.TryDecode(proof?.Signature, maximumLength: CardPresenceVerifier.MaximumSignatureBytes * 2);
        var cardFace = CanonicalBase64Url.TryDecode(proof?.CardFace, maximumLength: CardFaceRecord.MaximumBytes * 2);
        if (proofCertificate is null || signature is null || cardFace is null)
        {
            return ConfirmationRefusals.CardProofRequired;
        }

        var message = AuthenticationMessage.BuildCardPresence(challenge.Value, device.InstitutionCode, device.KeyThumbprint, challenge.Purpose);
        using var presented = X509CertificateLoader.LoadCertificate(jpkiCertificate);
        var result = presence.Verify(proofCertificate, signature, cardFace, message, presented, now);
        return result.Failure is { } failure ? ConfirmationRefusals.CardPresence(failure) : null;
    }

    /// <summary>A retry with a known key: same body → the stored answer; other body → conflict. The proof is still single-use.</summary>
    private async Task<OperationResult<ConfirmationAnswer>> RetryAsync(Guid id, byte[] storedHash, string resultJson, byte[] requestHash, CancellationToken cancellationToken)
    {
        // Only the jti: a retry's session activity is not written (as the writer would have written it for the first call).
        db.UsedProofs.Add(ledger.NewEntry());
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            return Refuse(DeviceRefusals.ProofReplayed);
        }

        return CryptographicOperations.FixedTimeEquals(storedHash, requestHash)
            ? OperationResult<ConfirmationAnswer>.Ok(new ConfirmationAnswer(resultJson, id, Replayed: true))
            : Refuse(ConfirmationRefusals.IdempotencyConflict);
    }

    private static OperationResult<ConfirmationAnswer> Refuse(Refusal refusal) => OperationResult<ConfirmationAnswer>.Fail(refusal);

    private static List<ConsentRecord> ConsentsFrom(ConfirmationRequest request, Settings.InstitutionSettings settings, int institutionId, long personId, AuthenticationPurpose purpose, DateTimeOffset now, Guid confirmationId)
    {
        var answers = request.Consents ?? new ConsentAnswers(null, null, null, null);
        var records = new List<ConsentRecord>(4);
        foreach (var type in InformationTypes.All)
        {
            // Only offered types are asked; an answer for a type the institution does not offer is not recorded.
            if (!InformationTypes.IsOffered(settings, type))
            {
                continue;
            }

            bool? answer = request.ComprehensiveConsent ? true : type switch
            {
                InformationType.Pharmacy => answers.Pharmacy,
                InformationType.Diagnosis => answers.Diagnosis,
                InformationType.Checkup => answers.Checkup,
                InformationType.Operation => answers.Operation,
                _ => null,
            };
            if (answer is not { } given)
            {
                continue;
            }

            records.Add(new ConsentRecord
            {
                InstitutionId = institutionId,
                PersonId = personId,
                InformationType = type,
                Purpose = purpose,
                Given = given,
                Comprehensive = request.ComprehensiveConsent,
                AnsweredAt = now,
                AvailableUntil = given ? ConsentRules.AvailableUntil(purpose, now) : null,
                ConfirmationId = confirmationId,
            });
        }

        return records;
    }

    private static ConfirmationResponse Compose(Guid id, DateTimeOffset now, IdentificationMethod method, AuthenticationPurpose purpose, QualificationLookupResult found,
        JpkiNotices jpkiNotices, bool qualificationOnly, List<ConsentRecord> consents, PrescriptionIssueSelect? prescriptionIssue)
    {
        var notices = new List<NoticeView>(2);
        if (jpkiNotices.HasFlag(JpkiNotices.ExpiresWithinThreeMonths))
        {
            notices.Add(Notice("jpki.expires_within_three_months", OnshiProcessingResultCode.CertificateExpiresWithinThreeMonths));
        }

        if (jpkiNotices.HasFlag(JpkiNotices.ExpiredWithinGrace))
        {
            notices.Add(Notice("jpki.expired_within_grace", OnshiProcessingResultCode.CertificateExpiredWithinGrace));
        }

        if (jpkiNotices.HasFlag(JpkiNotices.RevocationNotChecked))
        {
            notices.Add(new NoticeView("jpki.revocation_not_checked", null, "失効情報が登録されていないため、電子証明書の失効確認を行っていません。"));
        }

        var qualifications = found.Qualifications.Select(QualificationViews.From).ToList();
        return new ConfirmationResponse(
            id,
            now,
            method == IdentificationMethod.Pin ? WireMethods.Pin : WireMethods.Visual,
            WirePurposes.ToWire(purpose),
            new ValidityView(found.Validity.ToWireCode(), found.Validity.ToLabel()),
            notices,
            qualificationOnly,
            qualifications.Count > 0 ? qualifications[0] : null,
            qualifications,
            consents.ToDictionary(c => InformationTypes.ToWire(c.InformationType), c => new ConsentView(c.Given, c.AvailableUntil)),
            prescriptionIssue switch
            {
                PrescriptionIssueSelect.Paper => WirePrescriptionIssues.Paper,
                PrescriptionIssueSelect.Electronic => WirePrescriptionIssues.Electronic,
                _ => null,
            });
    }

    private static bool TryParsePrescriptionIssue(string wire, out PrescriptionIssueSelect value)
    {
        (var ok, value) = wire switch
        {
            WirePrescriptionIssues.Paper => (true, PrescriptionIssueSelect.Paper),
            WirePrescriptionIssues.Electronic => (true, PrescriptionIssueSelect.Electronic),
            _ => (false, default),
        };
        return ok;
    }

    private static NoticeView Notice(string code, OnshiProcessingResultCode processingCode) =>
        new(code, processingCode.ToWireCode(), processingCode.ToLabel());
}
