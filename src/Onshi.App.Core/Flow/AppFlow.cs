using System.Collections.Immutable;
using System.Security.Cryptography;
using Onshi.App.Core.Api;
using Onshi.App.Core.Credentials;
using Onshi.App.Core.Readers;
using Onshi.Card.Apdu;
using Onshi.Card.Applications;
using Onshi.Card.Credentials;
using Onshi.Card.Imaging;
using Onshi.Card.Transport;
using Onshi.Core.Dates;
using Onshi.Jpki;

namespace Onshi.App.Core.Flow;

/// <summary>Settings of the flow that are the device's, not the server's.</summary>
public sealed record FlowOptions
{
    /// <summary>Logout after this long without a staff or patient action (the server's idle timeout applies too; the shorter wins).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The マイナ資格確認アプリ as a state machine: 初期設定 → ログイン → 利用目的 → 本人確認方法 → カード → 暗証番号 |
/// 照合番号B + 目視確認 → 同意 → 結果 → 次の患者へ. One instance per device; every operation is serialised, so a
/// double tap or two browser tabs cannot interleave. UI-free: a web page or a native shell renders <see cref="Step"/>
/// and calls the methods; each method leaves the flow in a defined step with a Japanese <see cref="Message"/>.
/// </summary>
public sealed class AppFlow : IDisposable
{
    private readonly IAppApi _api;
    private readonly ICredentialStore _store;
    private readonly ICardReader _reader;
    private readonly TimeProvider _time;
    private readonly FlowOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Device? _device;
    private DateTimeOffset _lastActivity;

    public AppFlow(IAppApi api, ICredentialStore store, ICardReader reader, TimeProvider time, FlowOptions? options = null)
    {
        _api = api;
        _store = store;
        _reader = reader;
        _time = time;
        _options = options ?? new FlowOptions();
        _lastActivity = time.GetUtcNow();
        LoadCredentials();
        Step = _device is null ? FlowStep.Setup : FlowStep.Login;
    }

    public FlowStep Step { get; private set; }

    public FlowMessage? Message { get; private set; }

    /// <summary>Bumped on every change, so a polling page knows when to reload.</summary>
    public long Version { get; private set; }

    public DeviceCredentials? Credentials => _device?.Credentials;

    public StaffSession? Session { get; private set; }

    /// <summary>The patient's current step (<see cref="PatientAttempt"/> records), null between patients.</summary>
    public PatientAttempt? Attempt { get; private set; }

    public ICardReader Reader => _reader;

    /// <summary>What staff typed last (not secrets), so a refused form does not have to be typed again.</summary>
    public string? LastInstitutionCode { get; private set; }

    /// <inheritdoc cref="LastInstitutionCode"/>
    public string? LastUserId { get; private set; }

    /// <summary>The device key's thumbprint (null before 初期設定); shown to staff so the administrator can identify the device.</summary>
    public byte[]? DeviceThumbprint => _device?.Key.Thumbprint;

    /// <summary>Information types the consent screens ask, in order: the institution's offer.</summary>
    public IReadOnlyList<string> OfferedInformation =>
        Session is null ? [] : [.. WireInformationTypes.All.Where(Session.OfferedInformation.Contains)];

    /// <summary>The institution issues prescriptions: the patient chooses 処方箋の発行形態 after the consent screens.</summary>
    public bool AsksPrescriptionIssue => Session?.AsksPrescriptionIssue == true;

    // ───────────────────────── 初期設定 and ログイン ─────────────────────────

    public async Task SetUpAsync(string institutionCode, string userId, string password, string activationCode, CancellationToken cancellationToken = default)
    {
        await RunAsync(async () =>
        {
            Expect(FlowStep.Setup);
            institutionCode = (institutionCode ?? "").Trim();
            userId = (userId ?? "").Trim();
            activationCode = (activationCode ?? "").Trim().ToUpperInvariant();
            LastInstitutionCode = institutionCode;
            LastUserId = userId;
            if (institutionCode.Length != 10 || !institutionCode.All(char.IsAsciiDigit))
            {
                Say(FlowTexts.InstitutionCodeFormat, MessageKind.Error);
                return;
            }

            if (userId.Length == 0 || string.IsNullOrEmpty(password) || activationCode.Length == 0)
            {
                Say(FlowTexts.SetupFieldsRequired, MessageKind.Error);
                return;
            }

            using var key = DeviceKey.Generate();
            var result = await _api.ActivateAsync(key, new ActivationRequest(institutionCode, userId, password, activationCode), cancellationToken)
                .ConfigureAwait(false);
            if (result.Value is { } activated)
            {
                var credentials = new DeviceCredentials(activated.Institution.Code, activated.Institution.Name, activated.DeviceId.ToString(),
                    activated.DeviceLabel, key.ExportPkcs8(), _time.GetUtcNow());
                _store.Save(credentials);
                LoadCredentials();
                Step = FlowStep.Login;
                Say(FlowTexts.SetupCompleted(activated.Institution.Name, activated.DeviceLabel), MessageKind.Info);
                return;
            }

            SayFailure(result, FlowTexts.RetrySetupWhenBack);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task LogInAsync(string userId, string password, CancellationToken cancellationToken = default)
    {
        await RunAsync(async () =>
        {
            Expect(FlowStep.Login);
            if (string.IsNullOrWhiteSpace(userId) || string.IsNullOrEmpty(password))
            {
                Say(FlowTexts.LoginFieldsRequired, MessageKind.Error);
                return;
            }

            var device = RequireDevice();
            LastUserId = userId.Trim();
            var result = await _api.LogInAsync(device.Key, new StaffLoginRequest(userId.Trim(), password), cancellationToken).ConfigureAwait(false);
            if (result.Value is { } s)
            {
                var serverIdle = s.IdleTimeoutSeconds > 0 ? TimeSpan.FromSeconds(s.IdleTimeoutSeconds) : _options.IdleTimeout;
                Session = new StaffSession(s.SessionToken, s.User.UserId, s.User.Name, s.User.Role,
                    [.. WirePurposes.Tokens.Where(s.Purposes.Contains)], [.. s.OfferedInformation],
                    serverIdle < _options.IdleTimeout ? serverIdle : _options.IdleTimeout, s.ExpiresAt, s.AsksPrescriptionIssue);
                Message = null;
                if (Attempt is Sending)
                {
                    // A confirmation whose outcome is unknown survives a re-login: it is sent again with its key.
                    Step = FlowStep.OutcomeUnknown;
                    Say(FlowTexts.PreviousOutcomeUnknown, MessageKind.Warning);
                    return;
                }

                StartNextPatientLocked();
                return;
            }

            if (!HandleSessionLevelRefusal(result.Refusal))
            {
                SayFailure(result, FlowTexts.RetryLoginWhenBack);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task LogOutAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        await RunAsync(async () => await LogOutLockedAsync(reason, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs out when nobody touched the app for the idle timeout. Call it before handling any request.</summary>
    public async Task<bool> CheckIdleAsync(CancellationToken cancellationToken = default)
    {
        if (Session is null || _time.GetUtcNow() - _lastActivity < Session.IdleTimeout)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Session is null || _time.GetUtcNow() - _lastActivity < Session.IdleTimeout)
            {
                return false;
            }

            await LogOutLockedAsync(FlowTexts.LoggedOutIdle, cancellationToken).ConfigureAwait(false);
            Version++;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    // ───────────────────────── 利用目的, 本人確認方法, カード ─────────────────────────

    public Task ChoosePurposeAsync(string purpose, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Purpose);

            // The administrator may have switched the purpose off since login: ask the server, not the login's copy.
            if (!await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (Session is null || !Session.Purposes.Contains(purpose))
            {
                Say(FlowTexts.PurposeNoLongerEnabled, MessageKind.Error);
                return;
            }

            MoveTo(new PurposeChosen(purpose, Guid.NewGuid()));
            Step = FlowStep.Method;
            Message = null;
        }, cancellationToken);

    public Task ChooseMethodAsync(IdentificationMethod method, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            if (Step is not (FlowStep.Method or FlowStep.PinBlocked) || Attempt is not { } attempt)
            {
                throw new FlowStateException(Step);
            }

            if (!await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false) || !EnsurePurposeStillEnabled())
            {
                return;
            }

            // From the blocked-PIN screen the card is read again for the other method: nothing of the first read is kept.
            MoveTo(new MethodChosen(attempt.Start, method));
            Step = FlowStep.Card;
            Message = null;
        }, cancellationToken);

    /// <summary>Back to the previous choice (本人確認方法 from the card or entry screens; 利用目的 from 本人確認方法).</summary>
    public Task GoBackAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() =>
        {
            Message = null;
            switch (Step)
            {
                case FlowStep.Method:
                    StartNextPatientLocked(forcePurposeScreen: true);
                    break;
                case FlowStep.Card or FlowStep.Pin or FlowStep.CheckCode or FlowStep.PinBlocked when Attempt is { } attempt:
                    MoveTo(attempt.Start);
                    Step = FlowStep.Method;
                    break;
                default:
                    throw new FlowStateException(Step);
            }

            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// The card is on the reader: read the 利用者証明用電子証明書 (proves the card answers) and, for 暗証番号, ask how many
    /// PIN tries are left without using one, so a blocked card goes straight to its explanation.
    /// </summary>
    public Task ReadCardAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Card);
            if (Attempt?.Choice is not { } choice)
            {
                throw new FlowStateException(Step);
            }

            // Back here after a card error the challenge issued for this attempt is still good: keep it, as before.
            var challenge = (Attempt as CardRead)?.Challenge;
            await WithCardAsync(async reader =>
            {
                var certificate = await reader.Jpki.ReadAuthenticationCertificateAsync(cancellationToken).ConfigureAwait(false);
                var read = new CardRead(choice, certificate, false, challenge);
                MoveTo(read);

                // Before the patient is asked for anything: the server refuses a card it cannot accept (beyond the grace,
                // not linked, purpose switched off, device invalidated) from the certificate alone.
                if (await CheckCardLockedAsync(read, pinBlocked: false, cancellationToken).ConfigureAwait(false) is not { } check)
                {
                    return;
                }

                read = read with { CardQualificationOnly = check.QualificationOnly };
                MoveTo(read);
                if (choice.Chosen == IdentificationMethod.Visual)
                {
                    Step = FlowStep.CheckCode;
                    Message = null;
                    return;
                }

                var status = await reader.Jpki.GetAuthenticationPinStatusAsync(cancellationToken).ConfigureAwait(false);
                if (status.IsBlocked)
                {
                    await CheckCardLockedAsync(read, pinBlocked: true, cancellationToken).ConfigureAwait(false);
                    if (Step == FlowStep.Card)
                    {
                        Step = FlowStep.PinBlocked;
                        Message = null;
                    }

                    return;
                }

                Step = FlowStep.Pin;
                Message = status.TriesLeft is { } left and < 3
                    ? new FlowMessage(FlowTexts.PinTriesLeftWarning(left), MessageKind.Warning)
                    : null;
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    // ───────────────────────── 暗証番号 ─────────────────────────

    /// <summary>
    /// The patient's PIN: get a challenge, build the signed message of src/Onshi.Jpki/readme.md and have the card sign
    /// its DigestInfo after VERIFY. The PIN string is not kept.
    /// </summary>
    public Task EnterPinAsync(string pin, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Pin);
            var format = CardPin.Validate(pin);
            if (format is not null)
            {
                Say(format.Message, MessageKind.Error);
                return;
            }

            var device = RequireDevice();
            if (await EnsureChallengeAsync(Require<CardRead>(), FlowTexts.PinNotSentSuffix, cancellationToken).ConfigureAwait(false)
                is not (var card, var challenge))
            {
                return;
            }

            var message = AuthenticationMessage.Build(challenge.Bytes, device.Credentials.InstitutionCode, device.Key.Thumbprint, ToPurpose(card.Purpose));
            await WithCardAsync(async reader =>
            {
                // IdentifyWithPinAsync signs DigestInfo(SHA-256(message)): exactly AuthenticationMessage.ComputeDigestInfo(message).
                var identification = await reader.IdentifyWithPinAsync(pin, message, cancellationToken).ConfigureAwait(false);
                switch (identification.Pin.Outcome)
                {
                    case PinVerificationOutcome.Verified when identification.Signature is { } signature:
                        var signed = card with { AuthenticationCertificate = identification.AuthenticationCertificate };
                        await StartConsentLockedAsync(new Identified(signed, challenge, new PinSignature(signature)), cancellationToken).ConfigureAwait(false);
                        break;
                    case PinVerificationOutcome.WrongPin:
                        Say(FlowTexts.WrongPin(identification.Pin.TriesLeft), MessageKind.Error);
                        break;
                    case PinVerificationOutcome.Blocked:
                        // This entry was the last try: say so, the blocked screen alone reads like an old lock.
                        await CheckCardLockedAsync(card, pinBlocked: true, cancellationToken).ConfigureAwait(false);
                        if (Step == FlowStep.Pin)
                        {
                            Step = FlowStep.PinBlocked;
                            Say(FlowTexts.PinJustBlocked, MessageKind.Error);
                        }

                        break;
                    default:
                        Say(identification.Pin.JapaneseMessage, MessageKind.Error);
                        break;
                }
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    // ───────────────────────── 目視確認 ─────────────────────────

    public Task EnterCheckCodeAsync(CheckCodeEntry entry, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.CheckCode);
            ArgumentNullException.ThrowIfNull(entry);
            if (!JapaneseDate.TryCreate(entry.Era, entry.Year, entry.Month, entry.Day, out var birth, out var dateError))
            {
                Say(FlowTexts.BirthDatePrefix + dateError?.Message, MessageKind.Error);
                return;
            }

            // The card compares only the era year's two digits, so 令和55年 would pass for 昭和55年: a birth date
            // in the future is a wrong era, caught here rather than by a card that cannot tell.
            if (birth.ToGregorian() > DateOnly.FromDateTime(_time.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).DateTime))
            {
                Say(FlowTexts.BirthDateInFuture, MessageKind.Error);
                return;
            }

            if (!CheckCodeB.TryCompose(birth.ToGregorian(), entry.CardExpiryYear, entry.SecurityCode?.Trim(), out var code, out var codeError,
                    entry.GregorianBirthYear) || code is null)
            {
                Say(codeError?.Message ?? FlowTexts.NotAMyNumberCard, MessageKind.Error);
                return;
            }

            var device = RequireDevice();
            // The card proves it is here by signing this confirmation's challenge in the 券面AP (docs/app-api.md).
            if (await EnsureChallengeAsync(Require<CardRead>(), FlowTexts.RetryWhenBack, cancellationToken).ConfigureAwait(false)
                is not (var card, var challenge))
            {
                return;
            }

            var presence = SHA256.HashData(AuthenticationMessage.BuildCardPresence(challenge.Bytes, device.Credentials.InstitutionCode, device.Key.Thumbprint,
                ToPurpose(card.Purpose)));
            await WithCardAsync(async reader =>
            {
                var read = await reader.ReadForVisualCheckAsync(code, presence, cancellationToken).ConfigureAwait(false);
                if (!read.Succeeded)
                {
                    if (read.CheckCode.IsBlocked)
                    {
                        End(FlowTexts.CheckCodeBlocked);
                        return;
                    }

                    Say(FlowTexts.CheckCodeMismatch(read.CheckCode.TriesLeft), MessageKind.Error);
                    return;
                }

                if (read is not { Face: { } face, BasicInfo: { } info, Proof: { } proof })
                {
                    // A succeeded read always has all three (the presence challenge was given); anything else is not our card.
                    Step = FlowStep.Card;
                    Say(FlowTexts.NotAMyNumberCard, MessageKind.Error);
                    return;
                }

                byte[]? photo = null;
                string? photoProblem = null;
                try
                {
                    photo = Jpeg2000Decoder.ToPng(face.FacePhotoJpeg2000);
                }
                catch (ImageDecodeException e)
                {
                    photoProblem = e.UserMessage;
                }

                MoveTo(new FaceRead(card, challenge, proof, new CardFaceView(photo, photoProblem, face.NamePng, face.AddressPng, info.Name,
                    info.Address, info.BirthDate, info.Sex, face.CardExpiry)));
                CryptographicOperations.ZeroMemory(face.FacePhotoJpeg2000);
                CryptographicOperations.ZeroMemory(face.RawRecord);
                Step = FlowStep.VisualCheck;
                Message = null;
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>本人と確認した (true) / 本人と確認できない (false).</summary>
    public Task AttestAsync(bool photoMatchesPatient, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.VisualCheck);
            var face = Require<FaceRead>();
            if (!photoMatchesPatient)
            {
                End(FlowTexts.NotIdentified);
                return;
            }

            await StartConsentLockedAsync(new Identified(face.Card, face.Challenge, new VisualAttestation(face)), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    // ───────────────────────── 同意 and sending ─────────────────────────

    /// <summary>包括同意: true = yes to every offered type and send; false = ask one type at a time.</summary>
    public Task AnswerComprehensiveConsentAsync(bool agreeToAll, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Consent);
            var consenting = Require<Consenting>();
            if (consenting.Question is not null)
            {
                throw new FlowStateException(Step);
            }

            if (agreeToAll)
            {
                var answers = consenting.Answers.SetItems(OfferedInformation.Select(type => KeyValuePair.Create(type, true)));
                await AfterConsentLockedAsync(consenting with { Answers = answers, Comprehensive = true }, cancellationToken).ConfigureAwait(false);
                return;
            }

            MoveTo(consenting with { Question = OfferedInformation[0] });
            Message = null;
        }, cancellationToken);

    /// <summary>The patient's answer to the information type on screen; after the last one the confirmation is sent.</summary>
    public Task AnswerConsentAsync(string informationType, bool given, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Consent);
            var consenting = Require<Consenting>();
            if (consenting.Question is null || consenting.Question != informationType)
            {
                // A stale form (double tap, back button): answer only the question on screen.
                throw new FlowStateException(Step);
            }

            consenting = consenting with { Answers = consenting.Answers.SetItem(informationType, given) };
            var offered = OfferedInformation;
            var next = offered.ToList().IndexOf(informationType) + 1;
            if (next < offered.Count)
            {
                MoveTo(consenting with { Question = offered[next] });
                return;
            }

            await AfterConsentLockedAsync(consenting, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The patient's 処方箋の発行形態 (<see cref="WirePrescriptionIssues"/>); the confirmation is sent with it.</summary>
    public Task AnswerPrescriptionIssueAsync(string prescriptionIssue, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.PrescriptionIssue);
            var consenting = Require<Consenting>();
            if (!WirePrescriptionIssues.IsKnown(prescriptionIssue))
            {
                throw new FlowStateException(Step);
            }

            await SendLockedAsync(consenting with { Chosen = prescriptionIssue }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>After an unknown outcome: the same request with the same idempotency key.</summary>
    public Task RetrySendAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.OutcomeUnknown);
            await ConfirmLockedAsync(Require<Sending>(), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>次の患者へ: forget the patient (buffers zeroed) and start again at 利用目的.</summary>
    public Task NextPatientAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() =>
        {
            if (Session is null)
            {
                throw new FlowStateException(Step);
            }

            if (Step == FlowStep.OutcomeUnknown)
            {
                // Leaving an unknown outcome is allowed but never silent.
                Say(FlowTexts.PreviousOutcomeAbandoned, MessageKind.Warning);
                StartNextPatientLocked(keepMessage: true);
                return Task.CompletedTask;
            }

            StartNextPatientLocked();
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Staff reset of the device (forget credentials) — for a device handed to another institution.</summary>
    public Task ForgetDeviceAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() =>
        {
            WipeLocked(FlowTexts.DeviceWiped);
            return Task.CompletedTask;
        }, cancellationToken);

    public void Dispose()
    {
        MoveTo(null);
        _device?.Key.Dispose();
        _gate.Dispose();
    }

    // ───────────────────────── internals ─────────────────────────

    /// <summary>The consent is complete: build the body once (a retry sends exactly it) and send it.</summary>
    private async Task SendLockedAsync(Consenting consenting, CancellationToken cancellationToken)
    {
        var identity = consenting.Identity;
        var visual = identity.Proof as VisualAttestation;
        var request = AppRequests.Confirmation(identity.Challenge.Id, identity.Purpose, visual is not null, identity.Card.AuthenticationCertificate,
            (identity.Proof as PinSignature)?.Signature, consenting.Answers, consenting.Comprehensive, visual?.Face.Proof, consenting.PrescriptionIssue);
        await ConfirmLockedAsync(new Sending(identity, request, consenting), cancellationToken).ConfigureAwait(false);
    }

    private async Task ConfirmLockedAsync(Sending sending, CancellationToken cancellationToken)
    {
        MoveTo(sending);
        var device = RequireDevice();
        var session = RequireSession();
        var result = await _api.ConfirmAsync(device.Key, session.Token, sending.Request, sending.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } confirmation)
        {
            MoveTo(new Answered(sending, confirmation, result.WasReplayed));
            Step = FlowStep.Result;
            Message = null;
            return;
        }

        if (result.Refusal is not { } refusal)
        {
            Step = FlowStep.OutcomeUnknown;
            Message = new FlowMessage(result.UnreachableReason + FlowTexts.OutcomeUnknownSuffix, MessageKind.Warning, result.UnreachableCode);
            return;
        }

        if (HandleSessionLevelRefusal(refusal))
        {
            return;
        }

        if (refusal.Code is ApiCodes.PrescriptionIssueRequired)
        {
            // 「処方箋の発行」 was switched on after this session learnt the setting: ask now (the challenge is still unused).
            MoveTo(sending.Consent with { Chosen = null });
            Session = RequireSession() with { AsksPrescriptionIssue = true };
            Step = FlowStep.PrescriptionIssue;
            Say(refusal.Detail, MessageKind.Warning);
            return;
        }

        if (refusal.Code is ApiCodes.ChallengeExpired or ApiCodes.ChallengeUsed or ApiCodes.ChallengeUnknown or ApiCodes.ChallengeOtherDevice)
        {
            // The card must sign a fresh challenge: a new attempt key, the same purpose and method.
            MoveTo(new MethodChosen(new PurposeChosen(sending.Purpose, Guid.NewGuid()), sending.Choice.Chosen));
            Step = FlowStep.Card;
            Say(refusal.Detail + FlowTexts.ReadCardAgainSuffix, MessageKind.Warning);
            return;
        }

        End(refusal.Detail, refusal.Code);
    }

    /// <summary>
    /// The card read with a challenge that has at least 30 s left (the one already issued, or a new one); null when
    /// none could be had (the flow has moved or says why).
    /// </summary>
    private async Task<(CardRead Card, IssuedChallenge Challenge)?> EnsureChallengeAsync(CardRead card, string outageSuffix, CancellationToken cancellationToken)
    {
        if (card.Challenge is { } issued && issued.ExpiresAt - _time.GetUtcNow() > TimeSpan.FromSeconds(30))
        {
            return (card, issued);
        }

        var result = await _api.CreateChallengeAsync(RequireDevice().Key, RequireSession().Token, card.Purpose, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } challenge && CanonicalBase64Url.TryDecode(challenge.Challenge) is { Length: >= AuthenticationMessage.MinimumChallengeLength and <= AuthenticationMessage.MaximumChallengeLength } bytes)
        {
            var fresh = new IssuedChallenge(challenge.ChallengeId.ToString(), bytes, challenge.ExpiresAt);
            var withChallenge = card with { Challenge = fresh };
            MoveTo(withChallenge);
            return (withChallenge, fresh);
        }

        if (result.Value is not null)
        {
            Say(FlowTexts.ChallengeMalformed, MessageKind.Error);
            return null;
        }

        if (result.Refusal is { Code: ApiCodes.PurposeNotEnabled })
        {
            // Switched off while the patient was here: back to a choice that still works, never a dead end.
            await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false);
            EnsurePurposeStillEnabled();
            return null;
        }

        if (!HandleSessionLevelRefusal(result.Refusal))
        {
            SayFailure(result, outageSuffix);
        }

        return null;
    }

    /// <summary>
    /// GET /sessions/current: the session and the device are still valid (an invalidated device is wiped here, before
    /// any patient input), and the purposes and offer are the institution's current ones. False when the flow moved.
    /// </summary>
    private async Task<bool> RefreshSessionLockedAsync(CancellationToken cancellationToken)
    {
        if (Session is not { } session || _device is not { } device)
        {
            return false;
        }

        var result = await _api.GetSessionAsync(device.Key, session.Token, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } current)
        {
            Session = session with { Purposes = [.. WirePurposes.Tokens.Where(current.Purposes.Contains)], OfferedInformation = [.. current.OfferedInformation], AsksPrescriptionIssue = current.AsksPrescriptionIssue };
            return true;
        }

        if (!HandleSessionLevelRefusal(result.Refusal))
        {
            SayFailure(result, FlowTexts.RetryWhenBack);
        }

        return false;
    }

    /// <summary>The attempt's purpose is still enabled; otherwise the patient goes back to the purpose choice with a reason. </summary>
    private bool EnsurePurposeStillEnabled()
    {
        if (Attempt is null || Session is not { } session || session.Purposes.Contains(Attempt.Purpose))
        {
            return true;
        }

        if (session.Purposes.Count == 0)
        {
            End(FlowTexts.NoPurposeEnabled);
            return false;
        }

        StartNextPatientLocked(forcePurposeScreen: true);
        Say(FlowTexts.PurposeNoLongerEnabled, MessageKind.Error);
        return false;
    }

    /// <summary>POST /card-checks with the certificate just read. Null when refused (the flow has moved to its next step).</summary>
    private async Task<CardCheckResponse?> CheckCardLockedAsync(CardRead card, bool pinBlocked, CancellationToken cancellationToken)
    {
        var request = AppRequests.CardCheck(card.Purpose, card.Choice.Chosen == IdentificationMethod.Visual, card.AuthenticationCertificate, pinBlocked);
        var session = RequireSession();
        var result = await _api.CheckCardAsync(RequireDevice().Key, session.Token, request, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } check)
        {
            Session = session with { Purposes = [.. WirePurposes.Tokens.Where(check.Purposes.Contains)], OfferedInformation = [.. check.OfferedInformation], AsksPrescriptionIssue = check.AsksPrescriptionIssue };
            return check;
        }

        if (pinBlocked && result.Refusal is { Code: ApiCodes.CardPinBlocked })
        {
            // Recorded by the server; the blocked screen explains the rest.
            return null;
        }

        if (result.Refusal is { Code: ApiCodes.PurposeNotEnabled })
        {
            await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false);
            EnsurePurposeStillEnabled();
            return null;
        }

        if (result.Refusal is not { } refusal)
        {
            // Nothing read from the card waits on this device for a server that may not come back: it is read again.
            MoveTo(card.Choice);
            Step = FlowStep.Card;
            SayFailure(result, FlowTexts.KeepCardAndRetryWhenBackSuffix);
            return null;
        }

        if (!HandleSessionLevelRefusal(refusal))
        {
            End(refusal.Detail, refusal.Code);
        }

        return null;
    }

    /// <summary>Runs a card operation; a card that went away sends the flow back to the card screen.</summary>
    private async Task WithCardAsync(Func<MyNumberCardReader, Task> operation, CancellationToken cancellationToken)
    {
        try
        {
            using var transport = _reader.Connect();
            await operation(new MyNumberCardReader(transport)).ConfigureAwait(false);
        }
        catch (CardTransportException e) when (!cancellationToken.IsCancellationRequested)
        {
            Step = FlowStep.Card;
            Say(FlowTexts.CardTransport(e.Error), MessageKind.Error);
        }
        catch (CardProtocolException)
        {
            Step = FlowStep.Card;
            Say(FlowTexts.NotAMyNumberCard, MessageKind.Error);
        }
    }

    /// <summary>Identity is proved: ask the consents, or send at once when there is nothing to ask.</summary>
    private async Task StartConsentLockedAsync(Identified identity, CancellationToken cancellationToken)
    {
        Message = null;

        // 目視確認 reaches consent without another server call: check the device is still allowed before the patient answers.
        if (!await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false) || !EnsurePurposeStillEnabled())
        {
            // The screen stays (or the flow moved on): a new signature made for this step is not kept.
            Discard(identity, keep: Attempt);
            return;
        }

        var consenting = new Consenting(identity, ImmutableDictionary.Create<string, bool>(StringComparer.Ordinal), false, null);
        if (OfferedInformation.Count == 0 || identity.QualificationOnly)
        {
            // Nothing to consent to (限度額 information needs no consent), or consent that could not be used
            // (certificate expired within the grace: 資格情報のみ): send at once, or ask 処方箋の発行形態 first.
            await AfterConsentLockedAsync(consenting, cancellationToken).ConfigureAwait(false);
            return;
        }

        MoveTo(consenting);
        Step = FlowStep.Consent;
    }

    /// <summary>
    /// After the consent screens: where the institution issues prescriptions the patient chooses 処方箋の発行形態 (also
    /// for 資格情報のみ: it is not a consent), otherwise the confirmation is sent.
    /// </summary>
    private async Task AfterConsentLockedAsync(Consenting consenting, CancellationToken cancellationToken)
    {
        if (AsksPrescriptionIssue && consenting.PrescriptionIssue is null)
        {
            MoveTo(consenting);
            Step = FlowStep.PrescriptionIssue;
            Message = null;
            return;
        }

        await SendLockedAsync(consenting, cancellationToken).ConfigureAwait(false);
    }

    private void StartNextPatientLocked(bool forcePurposeScreen = false, bool keepMessage = false)
    {
        MoveTo(null);
        if (!keepMessage)
        {
            Message = null;
        }

        var purposes = RequireSession().Purposes;
        if (purposes.Count == 1 && !forcePurposeScreen)
        {
            MoveTo(new PurposeChosen(purposes[0], Guid.NewGuid()));
            Step = FlowStep.Method;
            return;
        }

        Step = FlowStep.Purpose;
    }

    /// <summary>The attempt ends without a result: what was read from the card is zeroed now, not at 次の患者へ.</summary>
    private void End(string message, string? code = null)
    {
        if (Attempt is { } attempt)
        {
            MoveTo(attempt.Start);
        }

        Step = FlowStep.Ended;
        Message = new FlowMessage(message, MessageKind.Error, code);
    }

    /// <summary>device.invalidated → wipe and 初期設定; session.expired → ログイン. True when handled.</summary>
    private bool HandleSessionLevelRefusal(ApiRefusal? refusal)
    {
        if (refusal is null)
        {
            return false;
        }

        if (refusal.IsDeviceInvalidated)
        {
            WipeLocked(FlowTexts.DeviceInvalidatedWiped);
            return true;
        }

        if (refusal.IsSessionExpired && Session is not null)
        {
            Session = null;
            if (Attempt is not Sending)
            {
                MoveTo(null);
            }

            Step = FlowStep.Login;
            Message = new FlowMessage(refusal.Detail + FlowTexts.LogInAgainSuffix, MessageKind.Warning, refusal.Code);
            return true;
        }

        return false;
    }

    private void WipeLocked(string message)
    {
        MoveTo(null);
        Session = null;
        _store.Wipe();
        if (_device is { } device)
        {
            CryptographicOperations.ZeroMemory(device.Credentials.DevicePrivateKeyPkcs8);
            device.Key.Dispose();
        }

        _device = null;
        Step = FlowStep.Setup;
        Say(message, MessageKind.Warning);
    }

    private async Task LogOutLockedAsync(string? reason, CancellationToken cancellationToken)
    {
        var session = Session;
        Session = null;
        MoveTo(null);
        if (_device is not { } device)
        {
            Step = FlowStep.Setup;
            return;
        }

        Step = FlowStep.Login;
        Message = reason is null ? new FlowMessage(FlowTexts.LoggedOut, MessageKind.Info) : new FlowMessage(reason, MessageKind.Warning);
        if (session is not null)
        {
            // Best effort: the server ends the session at its idle timeout anyway.
            var result = await _api.LogOutAsync(device.Key, session.Token, cancellationToken).ConfigureAwait(false);
            HandleSessionLevelRefusal(result.Refusal is { IsDeviceInvalidated: true } ? result.Refusal : null);
        }
    }

    private void LoadCredentials()
    {
        _device?.Key.Dispose();
        _device = null;
        if (_store.Load() is not { } credentials)
        {
            return;
        }

        try
        {
            _device = new Device(credentials, DeviceKey.FromPkcs8(credentials.DevicePrivateKeyPkcs8));
        }
        catch (CryptographicException)
        {
            // An unreadable key is no device: 初期設定 again.
        }
    }

    /// <summary>The patient's next step; every buffer the current step holds and the next does not is zeroed.</summary>
    private void MoveTo(PatientAttempt? next)
    {
        Discard(Attempt, keep: next);
        Attempt = next;
    }

    /// <summary>Zeroes the buffers of <paramref name="dropped"/> that <paramref name="keep"/> does not hold.</summary>
    private static void Discard(PatientAttempt? dropped, PatientAttempt? keep)
    {
        if (dropped is null || ReferenceEquals(dropped, keep))
        {
            return;
        }

        var kept = new HashSet<byte[]>(keep?.Buffers() ?? [], ReferenceEqualityComparer.Instance);
        foreach (var buffer in dropped.Buffers())
        {
            if (!kept.Contains(buffer))
            {
                CryptographicOperations.ZeroMemory(buffer);
            }
        }
    }

    /// <summary>The patient step this action needs; anything else is a stale form.</summary>
    private T Require<T>()
        where T : PatientAttempt =>
        Attempt as T ?? throw new FlowStateException(Step);

    private Device RequireDevice() => _device ?? throw new FlowStateException(Step);

    private StaffSession RequireSession() => Session ?? throw new FlowStateException(Step);

    private static AuthenticationPurpose ToPurpose(string purpose) =>
        WirePurposes.TryParse(purpose, out var parsed) ? parsed : throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown purpose.");

    private void Say(string text, MessageKind kind) => Message = new FlowMessage(text, kind);

    /// <summary>A refusal's own sentence, or what the device saw plus what to do on this screen; both with their machine code.</summary>
    private void SayFailure<T>(ApiResult<T> result, string outageSuffix)
        where T : class =>
        Message = result.Refusal is { } refusal
            ? new FlowMessage(refusal.Detail, MessageKind.Error, refusal.Code)
            : new FlowMessage(result.UnreachableReason + outageSuffix, MessageKind.Error, result.UnreachableCode);

    private void Expect(FlowStep step)
    {
        if (Step != step)
        {
            throw new FlowStateException(Step);
        }
    }

    private async Task RunAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _lastActivity = _time.GetUtcNow();
            await action().ConfigureAwait(false);
        }
        finally
        {
            Version++;
            _gate.Release();
        }
    }
}

/// <summary>This device's registration: its credentials and the key they hold.</summary>
internal sealed record Device(DeviceCredentials Credentials, DeviceKey Key);

/// <summary>An action that does not belong to the current screen (stale form, double tap). The UI just shows the current screen.</summary>
public sealed class FlowStateException : InvalidOperationException
{
    public FlowStateException(FlowStep current) : base($"Not allowed on the {current} screen.")
    {
        Current = current;
    }

    public FlowStateException()
    {
    }

    public FlowStateException(string message) : base(message)
    {
    }

    public FlowStateException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public FlowStep Current { get; }
}
