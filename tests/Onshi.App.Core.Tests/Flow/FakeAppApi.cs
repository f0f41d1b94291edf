using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.App.Core.Api;
using Onshi.Jpki;

namespace Onshi.App.Core.Tests.Flow;

/// <summary>
/// The server side of the contract, in memory, for flow tests: it issues real random challenges and checks PIN-mode
/// signatures against the card's certificate over the message it rebuilds itself. The real server is exercised by
/// the browser tests.
/// </summary>
public sealed class FakeAppApi : IAppApi
{
    public const string InstitutionCode = "0110113719";

    private readonly Dictionary<string, (byte[] Challenge, string Purpose)> _challenges = [];

    public static readonly Guid DeviceId = Guid.Parse("00000000-0000-0000-0000-00000000de01");

    public byte[]? ActivatedThumbprint { get; private set; }

    public ApiRefusal? ActivationRefusal { get; set; }

    public ApiRefusal? ChallengeRefusal { get; set; }

    public IReadOnlyList<string> Purposes { get; set; } = ["outpatient"];

    public IReadOnlyList<string> Offered { get; set; } = ["pharmacy", "diagnosis"];

    /// <summary>The institution issues prescriptions: sessions and card checks say so, and a confirmation without the choice is refused.</summary>
    public bool AsksPrescriptionIssue { get; set; }

    /// <summary>What the session and card-check answers report (the portal may switch it on after they were given).</summary>
    public bool ReportsPrescriptionIssue { get; set; }

    /// <summary>Answers to send instead of a computed result, first in first out.</summary>
    public Queue<ApiResult<ConfirmationResponse>> ScriptedConfirmations { get; } = new();

    public List<(ConfirmationRequest Request, Guid Key)> Confirmations { get; } = [];

    public int LogOuts { get; private set; }

    /// <summary>While set (a <c>network.*</c> code), no call gets an answer: the network between device and server is down.</summary>
    public string? Outage { get; set; }

    private ApiResult<T>? Down<T>() where T : class =>
        Outage is { } code ? ApiResult.NoAnswer<T>(code, Onshi.App.Core.Flow.FlowTexts.NoAnswer(code, 502)) : null;

    public Task<ApiResult<ActivationResponse>> ActivateAsync(DeviceKey key, ActivationRequest request, CancellationToken cancellationToken)
    {
        if (ActivationRefusal is not null)
        {
            return Task.FromResult(ApiResult.Refused<ActivationResponse>(ActivationRefusal));
        }

        ActivatedThumbprint = key.Thumbprint;
        return Task.FromResult(ApiResult.Success(new ActivationResponse(DeviceId, "受付タブレット1", new InstitutionView(request.InstitutionCode!, "オンシ医院"))));
    }

    public Task<ApiResult<SessionResponse>> LogInAsync(DeviceKey key, StaffLoginRequest request, CancellationToken cancellationToken)
    {
        if (Down<SessionResponse>() is { } down)
        {
            return Task.FromResult(down);
        }

        if (ActivatedThumbprint is null || !ActivatedThumbprint.AsSpan().SequenceEqual(key.Thumbprint))
        {
            return Task.FromResult(ApiResult.Refused<SessionResponse>(new ApiRefusal("device.unknown", "この端末は登録されていません。", 401)));
        }

        if (request.Password != "Correct-Horse-1")
        {
            return Task.FromResult(ApiResult.Refused<SessionResponse>(new ApiRefusal("app.credentials_invalid", "ユーザーIDまたはパスワードが違います。", 401)));
        }

        return Task.FromResult(ApiResult.Success(new SessionResponse("token-" + Guid.NewGuid().ToString("N"), 900, DateTimeOffset.MaxValue,
            new SessionUserView(request.UserId!, "受付　花子", "MedicalInformationViewer"), new InstitutionView(InstitutionCode, "オンシ医院"), Purposes, Offered, ReportsPrescriptionIssue)));
    }

    public Task<ApiResult<NoContent>> LogOutAsync(DeviceKey key, string sessionToken, CancellationToken cancellationToken)
    {
        LogOuts++;
        return Task.FromResult(Down<NoContent>() ?? ApiResult.Success(NoContent.Value));
    }

    public Task<ApiResult<ChallengeResponse>> CreateChallengeAsync(DeviceKey key, string sessionToken, string purpose, CancellationToken cancellationToken)
    {
        if (Down<ChallengeResponse>() is { } down)
        {
            return Task.FromResult(down);
        }

        if (ChallengeRefusal is not null)
        {
            return Task.FromResult(ApiResult.Refused<ChallengeResponse>(ChallengeRefusal));
        }

        var id = Guid.NewGuid();
        var challenge = RandomNumberGenerator.GetBytes(32);
        _challenges[id.ToString()] = (challenge, purpose);
        return Task.FromResult(ApiResult.Success(new ChallengeResponse(id, Base64Url.EncodeToString(challenge), DateTimeOffset.MaxValue)));
    }

    /// <summary>Answer of every session check (null: the current <see cref="Purposes"/> and <see cref="Offered"/>).</summary>
    public ApiRefusal? SessionRefusal { get; set; }

    /// <summary>Answer of every card check (null: accepted).</summary>
    public ApiRefusal? CardCheckRefusal { get; set; }

    public bool CardCheckQualificationOnly { get; set; }

    public List<CardCheckRequest> CardChecks { get; } = [];

    public int SessionChecks { get; private set; }

    public Task<ApiResult<CurrentSessionResponse>> GetSessionAsync(DeviceKey key, string sessionToken, CancellationToken cancellationToken)
    {
        SessionChecks++;
        return Task.FromResult(Down<CurrentSessionResponse>() ?? (SessionRefusal is not null
            ? ApiResult.Refused<CurrentSessionResponse>(SessionRefusal)
            : ApiResult.Success(new CurrentSessionResponse(Purposes, Offered, ReportsPrescriptionIssue))));
    }

    public Task<ApiResult<CardCheckResponse>> CheckCardAsync(DeviceKey key, string sessionToken, CardCheckRequest request, CancellationToken cancellationToken)
    {
        if (Down<CardCheckResponse>() is { } down)
        {
            return Task.FromResult(down);
        }

        CardChecks.Add(request);
        if (SessionRefusal is not null)
        {
            return Task.FromResult(ApiResult.Refused<CardCheckResponse>(SessionRefusal));
        }

        if (!Purposes.Contains(request.Purpose))
        {
            return Task.FromResult(ApiResult.Refused<CardCheckResponse>(new ApiRefusal("purpose.not_enabled", "この利用目的は有効になっていません。", 403)));
        }

        if (request.PinBlocked)
        {
            return Task.FromResult(ApiResult.Refused<CardCheckResponse>(new ApiRefusal("card.pin_blocked", "暗証番号を使えません。", 422)));
        }

        return Task.FromResult(CardCheckRefusal is not null
            ? ApiResult.Refused<CardCheckResponse>(CardCheckRefusal)
            : ApiResult.Success(new CardCheckResponse(CardCheckQualificationOnly, Purposes, Offered, ReportsPrescriptionIssue)));
    }

    public Task<ApiResult<ConfirmationResponse>> ConfirmAsync(DeviceKey key, string sessionToken, ConfirmationRequest request, Guid idempotencyKey,
        CancellationToken cancellationToken)
    {
        if (Down<ConfirmationResponse>() is { } down)
        {
            return Task.FromResult(down);
        }

        Confirmations.Add((request, idempotencyKey));
        if (ScriptedConfirmations.TryDequeue(out var scripted))
        {
            return Task.FromResult(scripted);
        }

        if (AsksPrescriptionIssue && request.PrescriptionIssue is null)
        {
            return Task.FromResult(ApiResult.Refused<ConfirmationResponse>(new ApiRefusal("confirmation.prescription_issue_required", "処方箋の発行形態が選択されていません。", 422)));
        }

        if (request.ChallengeId is null || !_challenges.TryGetValue(request.ChallengeId, out var issued))
        {
            return Task.FromResult(ApiResult.Refused<ConfirmationResponse>(new ApiRefusal("challenge.unknown", "チャレンジが見つかりません。", 400)));
        }

        if (request.Method == "pin")
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Base64Url.DecodeFromChars(request.Certificate));
            using var rsa = certificate.GetRSAPublicKey()!;
            var purpose = issued.Purpose switch { "homeVisit" => AuthenticationPurpose.HomeVisit, "online" => AuthenticationPurpose.Online, _ => AuthenticationPurpose.Outpatient };
            var message = AuthenticationMessage.Build(issued.Challenge, InstitutionCode, key.Thumbprint, purpose);
            if (!rsa.VerifyData(message, Base64Url.DecodeFromChars(request.Signature!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return Task.FromResult(ApiResult.Refused<ConfirmationResponse>(new ApiRefusal("jpki.bad_signature", "署名が正しくありません。", 400)));
            }
        }

        return Task.FromResult(ApiResult.Success(Valid(request.Method!)));
    }

    public static ConfirmationResponse Valid(string method)
    {
        var qualification = new QualificationView("06139999", "オンシ健康保険組合", "記号A", "1234", "01", "1", "黒桐　幹也", "黒桐　幹也", "コクトウ　ミキヤ", "1",
            new DateOnly(1980, 2, 17), "東京都清瀬市", "204-0000", "01", null, null, new DateOnly(2019, 5, 1), null, null, "030", false, null, null, []);
        return new ConfirmationResponse(Guid.NewGuid(), new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero), method, "outpatient",
            new ValidityView("1", "有効"), [], false, qualification, [], new Dictionary<string, ConsentView>());
    }
}
