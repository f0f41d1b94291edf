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
    private DeviceCredentials? _credentials;
    private DeviceKey? _key;
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
        Step = _credentials is null ? FlowStep.Setup : FlowStep.Login;
    }

    public FlowStep Step { get; private set; }

    public FlowMessage? Message { get; private set; }

    /// <summary>Bumped on every change, so a polling page knows when to reload.</summary>
    public long Version { get; private set; }

    public DeviceCredentials? Credentials => _credentials;

    public StaffSession? Session { get; private set; }

    public PatientAttempt? Attempt { get; private set; }

    public ICardReader Reader => _reader;

    /// <summary>What staff typed last (not secrets), so a refused form does not have to be typed again.</summary>
    public string? LastInstitutionCode { get; private set; }

    /// <inheritdoc cref="LastInstitutionCode"/>
    public string? LastUserId { get; private set; }

    /// <summary>The device key's thumbprint (null before 初期設定); shown to staff so the administrator can identify the device.</summary>
    public byte[]? DeviceThumbprint => _key?.Thumbprint;

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

            Say(result.Refusal?.Detail ?? result.UnreachableReason!, MessageKind.Error);
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

            LastUserId = userId.Trim();
            var result = await _api.LogInAsync(_key!, new StaffLoginRequest(userId.Trim(), password), cancellationToken).ConfigureAwait(false);
            if (result.Value is { } s)
            {
                var serverIdle = s.IdleTimeoutSeconds > 0 ? TimeSpan.FromSeconds(s.IdleTimeoutSeconds) : _options.IdleTimeout;
                Session = new StaffSession(s.SessionToken, s.User.UserId, s.User.Name, s.User.Role,
                    [.. WirePurposes.Tokens.Where(s.Purposes.Contains)], [.. s.OfferedInformation],
                    serverIdle < _options.IdleTimeout ? serverIdle : _options.IdleTimeout, s.ExpiresAt, s.AsksPrescriptionIssue);
                Message = null;
                if (Attempt?.SentRequest is not null && Attempt.Result is null)
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
                Say(result.Refusal?.Detail ?? result.UnreachableReason!, MessageKind.Error);
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

            Attempt?.Dispose();
            Attempt = new PatientAttempt(purpose, Guid.NewGuid());
            Step = FlowStep.Method;
            Message = null;
        }, cancellationToken);

    public Task ChooseMethodAsync(IdentificationMethod method, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            if (Step is not (FlowStep.Method or FlowStep.PinBlocked))
            {
                throw new FlowStateException(Step);
            }

            if (!await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false) || !EnsurePurposeStillEnabled())
            {
                return;
            }

            Attempt!.ForgetCardData();
            Attempt.Method = method;
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
                case FlowStep.Card or FlowStep.Pin or FlowStep.CheckCode or FlowStep.PinBlocked:
                    Attempt!.ForgetCardData();
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
            var attempt = Attempt!;
            await WithCardAsync(async reader =>
            {
                attempt.Certificate = await reader.Jpki.ReadAuthenticationCertificateAsync(cancellationToken).ConfigureAwait(false);

                // Before the patient is asked for anything: the server refuses a card it cannot accept (beyond the grace,
                // not linked, purpose switched off, device invalidated) from the certificate alone.
                if (!await CheckCardLockedAsync(attempt, pinBlocked: false, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                if (attempt.Method == IdentificationMethod.Visual)
                {
                    Step = FlowStep.CheckCode;
                    Message = null;
                    return;
                }

                var status = await reader.Jpki.GetAuthenticationPinStatusAsync(cancellationToken).ConfigureAwait(false);
                if (status.IsBlocked)
                {
                    await CheckCardLockedAsync(attempt, pinBlocked: true, cancellationToken).ConfigureAwait(false);
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

            var attempt = Attempt!;
            if (!await EnsureChallengeAsync(attempt, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var message = AuthenticationMessage.Build(attempt.Challenge, _credentials!.InstitutionCode, _key!.Thumbprint, ToPurpose(attempt.Purpose));
            await WithCardAsync(async reader =>
            {
                // IdentifyWithPinAsync signs DigestInfo(SHA-256(message)): exactly AuthenticationMessage.ComputeDigestInfo(message).
                var identification = await reader.IdentifyWithPinAsync(pin, message, cancellationToken).ConfigureAwait(false);
                switch (identification.Pin.Outcome)
                {
                    case PinVerificationOutcome.Verified when identification.Signature is not null:
                        attempt.Certificate = identification.AuthenticationCertificate;
                        attempt.Signature = identification.Signature;
                        await StartConsentLockedAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case PinVerificationOutcome.WrongPin:
                        Say(FlowTexts.WrongPin(identification.Pin.TriesLeft), MessageKind.Error);
                        break;
                    case PinVerificationOutcome.Blocked:
                        // This entry was the last try: say so, the blocked screen alone reads like an old lock.
                        await CheckCardLockedAsync(attempt, pinBlocked: true, cancellationToken).ConfigureAwait(false);
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
                Say(FlowTexts.BirthDatePrefix + dateError!.Message, MessageKind.Error);
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
                    entry.GregorianBirthYear))
            {
                Say(codeError!.Message, MessageKind.Error);
                return;
            }

            var attempt = Attempt!;
            // The card proves it is here by signing this confirmation's challenge in the 券面AP (docs/app-api.md).
            if (!await EnsureChallengeAsync(attempt, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var presence = SHA256.HashData(AuthenticationMessage.BuildCardPresence(attempt.Challenge!, _credentials!.InstitutionCode, _key!.Thumbprint,
                ToPurpose(attempt.Purpose)));
            await WithCardAsync(async reader =>
            {
                var read = await reader.ReadForVisualCheckAsync(code!, presence, cancellationToken).ConfigureAwait(false);
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

                attempt.Certificate ??= await reader.Jpki.ReadAuthenticationCertificateAsync(cancellationToken).ConfigureAwait(false);
                attempt.CardProof = read.Proof;
                byte[]? photo = null;
                string? photoProblem = null;
                try
                {
                    photo = Jpeg2000Decoder.ToPng(read.Face!.FacePhotoJpeg2000);
                }
                catch (ImageDecodeException e)
                {
                    photoProblem = e.UserMessage;
                }

                var face = read.Face!;
                var info = read.BasicInfo!;
                attempt.Face = new CardFaceView(photo, photoProblem, face.NamePng, face.AddressPng, info.Name, info.Address, info.BirthDate,
                    info.Sex, face.CardExpiry);
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
            var attempt = Attempt!;
            attempt.PhotoMatchesPatient = photoMatchesPatient;
            if (!photoMatchesPatient)
            {
                End(FlowTexts.NotIdentified);
                return;
            }

            await StartConsentLockedAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    // ───────────────────────── 同意 and sending ─────────────────────────

    /// <summary>包括同意: true = yes to every offered type and send; false = ask one type at a time.</summary>
    public Task AnswerComprehensiveConsentAsync(bool agreeToAll, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Consent);
            var attempt = Attempt!;
            if (attempt.ConsentQuestion is not null)
            {
                throw new FlowStateException(Step);
            }

            if (agreeToAll)
            {
                attempt.ComprehensiveConsent = true;
                foreach (var type in OfferedInformation)
                {
                    attempt.Consents[type] = true;
                }

                await AfterConsentLockedAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            attempt.ConsentQuestion = OfferedInformation[0];
            Message = null;
        }, cancellationToken);

    /// <summary>The patient's answer to the information type on screen; after the last one the confirmation is sent.</summary>
    public Task AnswerConsentAsync(string informationType, bool given, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.Consent);
            var attempt = Attempt!;
            if (attempt.ConsentQuestion is null || attempt.ConsentQuestion != informationType)
            {
                // A stale form (double tap, back button): answer only the question on screen.
                throw new FlowStateException(Step);
            }

            attempt.Consents[informationType] = given;
            var offered = OfferedInformation;
            var next = offered.ToList().IndexOf(informationType) + 1;
            if (next < offered.Count)
            {
                attempt.ConsentQuestion = offered[next];
                return;
            }

            await AfterConsentLockedAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The patient's 処方箋の発行形態 (<see cref="WirePrescriptionIssues"/>); the confirmation is sent with it.</summary>
    public Task AnswerPrescriptionIssueAsync(string prescriptionIssue, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.PrescriptionIssue);
            if (!WirePrescriptionIssues.IsKnown(prescriptionIssue))
            {
                throw new FlowStateException(Step);
            }

            Attempt!.PrescriptionIssue = prescriptionIssue;
            await SendLockedAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>After an unknown outcome: the same request with the same idempotency key.</summary>
    public Task RetrySendAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            Expect(FlowStep.OutcomeUnknown);
            await SendLockedAsync(cancellationToken).ConfigureAwait(false);
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
        Attempt?.Dispose();
        _key?.Dispose();
        _gate.Dispose();
    }

    // ───────────────────────── internals ─────────────────────────

    private async Task SendLockedAsync(CancellationToken cancellationToken)
    {
        var attempt = Attempt!;
        if (attempt.SentRequest is null)
        {
            // 目視確認 read the card against the challenge it signed: a new challenge now would not match the card's proof.
            if (attempt.Method == IdentificationMethod.Visual && attempt.ChallengeId is null && !await EnsureChallengeAsync(attempt, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            attempt.SentRequest = AppRequests.Confirmation(attempt.ChallengeId!, attempt.Purpose, attempt.Method == IdentificationMethod.Visual,
                attempt.Certificate!, attempt.Signature, attempt.Consents, attempt.ComprehensiveConsent, attempt.CardProof, attempt.PrescriptionIssue);
        }

        var result = await _api.ConfirmAsync(_key!, Session!.Token, attempt.SentRequest, attempt.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } confirmation)
        {
            attempt.Result = confirmation;
            attempt.ResultWasReplayed = result.WasReplayed;
            Step = FlowStep.Result;
            Message = null;
            return;
        }

        if (result.Unreachable)
        {
            Step = FlowStep.OutcomeUnknown;
            Say(result.UnreachableReason + FlowTexts.OutcomeUnknownSuffix,
                MessageKind.Warning);
            return;
        }

        var refusal = result.Refusal!;
        if (HandleSessionLevelRefusal(refusal))
        {
            return;
        }

        if (refusal.Code is ApiCodes.PrescriptionIssueRequired)
        {
            // 「処方箋の発行」 was switched on after this session learnt the setting: ask now (the challenge is still unused).
            attempt.SentRequest = null;
            Session = Session! with { AsksPrescriptionIssue = true };
            Step = FlowStep.PrescriptionIssue;
            Say(refusal.Detail, MessageKind.Warning);
            return;
        }

        if (refusal.Code is ApiCodes.ChallengeExpired or ApiCodes.ChallengeUsed or ApiCodes.ChallengeUnknown or ApiCodes.ChallengeOtherDevice)
        {
            // The card must sign a fresh challenge: a new attempt key, the same purpose and method.
            attempt.ForgetCardData();
            attempt.IdempotencyKey = Guid.NewGuid();
            Step = FlowStep.Card;
            Say(refusal.Detail + FlowTexts.ReadCardAgainSuffix, MessageKind.Warning);
            return;
        }

        End(refusal.Detail);
    }

    private async Task<bool> EnsureChallengeAsync(PatientAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Challenge is not null && attempt.ChallengeExpiresAt - _time.GetUtcNow() > TimeSpan.FromSeconds(30))
        {
            return true;
        }

        var result = await _api.CreateChallengeAsync(_key!, Session!.Token, attempt.Purpose, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } challenge && CanonicalBase64Url.TryDecode(challenge.Challenge) is { Length: >= AuthenticationMessage.MinimumChallengeLength and <= AuthenticationMessage.MaximumChallengeLength } bytes)
        {
            attempt.ChallengeId = challenge.ChallengeId.ToString();
            attempt.Challenge = bytes;
            attempt.ChallengeExpiresAt = challenge.ExpiresAt;
            return true;
        }

        if (result.Value is not null)
        {
            Say(FlowTexts.ChallengeMalformed, MessageKind.Error);
            return false;
        }

        if (result.Refusal is { Code: ApiCodes.PurposeNotEnabled })
        {
            // Switched off while the patient was here: back to a choice that still works, never a dead end.
            await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false);
            EnsurePurposeStillEnabled();
            return false;
        }

        if (!HandleSessionLevelRefusal(result.Refusal))
        {
            Say(result.Refusal?.Detail ?? result.UnreachableReason!, MessageKind.Error);
        }

        return false;
    }

    /// <summary>
    /// GET /sessions/current: the session and the device are still valid (an invalidated device is wiped here, before
    /// any patient input), and the purposes and offer are the institution's current ones. False when the flow moved.
    /// </summary>
    private async Task<bool> RefreshSessionLockedAsync(CancellationToken cancellationToken)
    {
        if (Session is null)
        {
            return false;
        }

        var result = await _api.GetSessionAsync(_key!, Session.Token, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } current)
        {
            Session = Session with { Purposes = [.. WirePurposes.Tokens.Where(current.Purposes.Contains)], OfferedInformation = [.. current.OfferedInformation], AsksPrescriptionIssue = current.AsksPrescriptionIssue };
            return true;
        }

        if (!HandleSessionLevelRefusal(result.Refusal))
        {
            Say(result.Refusal?.Detail ?? result.UnreachableReason!, MessageKind.Error);
        }

        return false;
    }

    /// <summary>The attempt's purpose is still enabled; otherwise the patient goes back to the purpose choice with a reason. </summary>
    private bool EnsurePurposeStillEnabled()
    {
        if (Attempt is null || Session!.Purposes.Contains(Attempt.Purpose))
        {
            return true;
        }

        if (Session.Purposes.Count == 0)
        {
            End(FlowTexts.NoPurposeEnabled);
            return false;
        }

        StartNextPatientLocked(forcePurposeScreen: true);
        Say(FlowTexts.PurposeNoLongerEnabled, MessageKind.Error);
        return false;
    }

    /// <summary>POST /card-checks with the certificate just read. False when refused (the flow has moved to its next step).</summary>
    private async Task<bool> CheckCardLockedAsync(PatientAttempt attempt, bool pinBlocked, CancellationToken cancellationToken)
    {
        var request = AppRequests.CardCheck(attempt.Purpose, attempt.Method == IdentificationMethod.Visual, attempt.Certificate!, pinBlocked);
        var result = await _api.CheckCardAsync(_key!, Session!.Token, request, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } check)
        {
            attempt.QualificationOnly = check.QualificationOnly;
            Session = Session with { Purposes = [.. WirePurposes.Tokens.Where(check.Purposes.Contains)], OfferedInformation = [.. check.OfferedInformation], AsksPrescriptionIssue = check.AsksPrescriptionIssue };
            return true;
        }

        if (pinBlocked && result.Refusal is { Code: ApiCodes.CardPinBlocked })
        {
            // Recorded by the server; the blocked screen explains the rest.
            return false;
        }

        if (result.Refusal is { Code: ApiCodes.PurposeNotEnabled })
        {
            await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false);
            EnsurePurposeStillEnabled();
            return false;
        }

        if (result.Unreachable)
        {
            Step = FlowStep.Card;
            Say(result.UnreachableReason + FlowTexts.KeepCardAndRetrySuffix, MessageKind.Error);
            return false;
        }

        if (!HandleSessionLevelRefusal(result.Refusal))
        {
            End(result.Refusal!.Detail);
        }

        return false;
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

    private async Task StartConsentLockedAsync(CancellationToken cancellationToken)
    {
        Message = null;
        Attempt!.ConsentQuestion = null;

        // 目視確認 reaches consent without another server call: check the device is still allowed before the patient answers.
        if (!await RefreshSessionLockedAsync(cancellationToken).ConfigureAwait(false) || !EnsurePurposeStillEnabled())
        {
            return;
        }

        if (OfferedInformation.Count == 0 || Attempt.QualificationOnly)
        {
            // Nothing to consent to (限度額 information needs no consent), or consent that could not be used
            // (certificate expired within the grace: 資格情報のみ): send at once, or ask 処方箋の発行形態 first.
            await AfterConsentLockedAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        Step = FlowStep.Consent;
    }

    /// <summary>
    /// After the consent screens: where the institution issues prescriptions the patient chooses 処方箋の発行形態 (also
    /// for 資格情報のみ: it is not a consent), otherwise the confirmation is sent.
    /// </summary>
    private async Task AfterConsentLockedAsync(CancellationToken cancellationToken)
    {
        if (AsksPrescriptionIssue && Attempt!.PrescriptionIssue is null)
        {
            Step = FlowStep.PrescriptionIssue;
            Message = null;
            return;
        }

        await SendLockedAsync(cancellationToken).ConfigureAwait(false);
    }

    private void StartNextPatientLocked(bool forcePurposeScreen = false, bool keepMessage = false)
    {
        Attempt?.Dispose();
        Attempt = null;
        if (!keepMessage)
        {
            Message = null;
        }

        var purposes = Session!.Purposes;
        if (purposes.Count == 1 && !forcePurposeScreen)
        {
            Attempt = new PatientAttempt(purposes[0], Guid.NewGuid());
            Step = FlowStep.Method;
            return;
        }

        Step = FlowStep.Purpose;
    }

    private void End(string message)
    {
        Step = FlowStep.Ended;
        Say(message, MessageKind.Error);
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
            if (Attempt is not { SentRequest: not null, Result: null })
            {
                Attempt?.Dispose();
                Attempt = null;
            }

            Step = FlowStep.Login;
            Say(refusal.Detail + FlowTexts.LogInAgainSuffix, MessageKind.Warning);
            return true;
        }

        return false;
    }

    private void WipeLocked(string message)
    {
        Attempt?.Dispose();
        Attempt = null;
        Session = null;
        _store.Wipe();
        if (_credentials is not null)
        {
            CryptographicOperations.ZeroMemory(_credentials.DevicePrivateKeyPkcs8);
        }

        _credentials = null;
        _key?.Dispose();
        _key = null;
        Step = FlowStep.Setup;
        Say(message, MessageKind.Warning);
    }

    private async Task LogOutLockedAsync(string? reason, CancellationToken cancellationToken)
    {
        var session = Session;
        Session = null;
        Attempt?.Dispose();
        Attempt = null;
        if (_credentials is null)
        {
            Step = FlowStep.Setup;
            return;
        }

        Step = FlowStep.Login;
        Message = reason is null ? new FlowMessage(FlowTexts.LoggedOut, MessageKind.Info) : new FlowMessage(reason, MessageKind.Warning);
        if (session is not null)
        {
            // Best effort: the server ends the session at its idle timeout anyway.
            var result = await _api.LogOutAsync(_key!, session.Token, cancellationToken).ConfigureAwait(false);
            HandleSessionLevelRefusal(result.Refusal is { IsDeviceInvalidated: true } ? result.Refusal : null);
        }
    }

    private void LoadCredentials()
    {
        _credentials = _store.Load();
        _key?.Dispose();
        _key = null;
        if (_credentials is not null)
        {
            try
            {
                _key = DeviceKey.FromPkcs8(_credentials.DevicePrivateKeyPkcs8);
            }
            catch (CryptographicException)
            {
                _credentials = null;
            }
        }
    }

    private static AuthenticationPurpose ToPurpose(string purpose) =>
        WirePurposes.TryParse(purpose, out var parsed) ? parsed : throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown purpose.");

    private void Say(string text, MessageKind kind) => Message = new FlowMessage(text, kind);

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
