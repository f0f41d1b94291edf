using Microsoft.Extensions.Time.Testing;
using Onshi.App.Core.Api;
using Onshi.App.Core.Credentials;
using Onshi.App.Core.Flow;
using Onshi.App.Core.Readers;
using Onshi.Core.Dates;

namespace Onshi.App.Core.Tests.Flow;

/// <summary>The flow with a real virtual card on the simulated reader, a real credential store, and the contract's server side in memory.</summary>
public sealed class AppFlowTests : IAsyncDisposable
{
    private readonly string _cards = TestCards.NewFolder();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "onshi-app-data-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(TestCards.IssueTime);
    private readonly FakeAppApi _api = new();
    private readonly SimulatedCardReader _reader;
    private readonly CredentialStore _store;
    private readonly AppFlow _flow;

    public AppFlowTests()
    {
        _reader = new SimulatedCardReader(_cards);
        _store = new CredentialStore(_data);
        _flow = new AppFlow(_api, _store, _reader, _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _flow.Dispose();
        await _reader.DisposeAsync();
        Directory.Delete(_cards, true);
        Directory.Delete(_data, true);
    }

    private async Task LoggedInAsync()
    {
        await _flow.SetUpAsync(FakeAppApi.InstitutionCode, "staff11", "Correct-Horse-1", "ABCD-EFGH-JKMN-PQRS", Ct);
        await _flow.LogInAsync("staff11", "Correct-Horse-1", Ct);
    }

    private async Task OnCardScreenAsync(IdentificationMethod method)
    {
        await LoggedInAsync();
        await _flow.ChooseMethodAsync(method, Ct);
        await _reader.PlaceAsync("kuroki.json", Ct);
        await _flow.ReadCardAsync(Ct);
    }

    private static CheckCodeEntry Right => new(JapaneseEra.Showa, 55, 2, 17, 2035, "2285");

    [Fact]
    public async Task SetupStoresTheDeviceKeyAndGoesToLogin()
    {
        await _flow.SetUpAsync(FakeAppApi.InstitutionCode, "staff11", "Correct-Horse-1", "abcd-efgh-jkmn-pqrs", Ct);

        Assert.Equal(FlowStep.Login, _flow.Step);
        var stored = new CredentialStore(_data).Load();
        Assert.NotNull(stored);
        Assert.Equal("受付タブレット1", stored.DeviceLabel);
        using var key = DeviceKey.FromPkcs8(stored.DevicePrivateKeyPkcs8);
        Assert.Equal(_api.ActivatedThumbprint, key.Thumbprint);
    }

    [Fact]
    public async Task SetupRefusalShowsTheServersSentenceAndStoresNothing()
    {
        _api.ActivationRefusal = new ApiRefusal("app.account_never_logged_in", "資格確認端末で一度ログインしてください。", 403);

        await _flow.SetUpAsync(FakeAppApi.InstitutionCode, "staff11", "Correct-Horse-1", "ABCD", Ct);

        Assert.Equal(FlowStep.Setup, _flow.Step);
        Assert.Equal("資格確認端末で一度ログインしてください。", _flow.Message!.Text);
        Assert.Null(_store.Load());
    }

    [Fact]
    public async Task SetupRefusesAnInstitutionCodeThatIsNotTenDigitsWithoutAskingTheServer()
    {
        await _flow.SetUpAsync("12345", "staff11", "pw", "ABCD", Ct);

        Assert.Equal(FlowStep.Setup, _flow.Step);
        Assert.Contains("10桁", _flow.Message!.Text, StringComparison.Ordinal);
        Assert.Null(_api.ActivatedThumbprint);
    }

    [Fact]
    public async Task PinFlowWithOneWrongPinThenSuccessSendsAVerifiedSignatureAndTheConsentsAsGiven()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        Assert.Equal(FlowStep.Pin, _flow.Step);

        await _flow.EnterPinAsync("9999", Ct);
        Assert.Equal(FlowStep.Pin, _flow.Step);
        Assert.Contains("残り2回", _flow.Message!.Text, StringComparison.Ordinal);

        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        Assert.Equal(FlowStep.Consent, _flow.Step);
        await _flow.AnswerComprehensiveConsentAsync(false, Ct);
        Assert.Equal("pharmacy", _flow.Attempt!.ConsentQuestion);
        await _flow.AnswerConsentAsync("pharmacy", true, Ct);
        await _flow.AnswerConsentAsync("diagnosis", false, Ct);

        Assert.Equal(FlowStep.Result, _flow.Step);
        var (request, _) = Assert.Single(_api.Confirmations);
        Assert.Equal("pin", request.Method);
        Assert.NotNull(request.Signature); // the fake server verified it over the message it rebuilt
        Assert.True(request.Consents!.Pharmacy);
        Assert.False(request.Consents!.Diagnosis);
        Assert.Null(request.Consents!.Checkup);
        Assert.Null(request.Consents!.Operation);
        Assert.False(request.ComprehensiveConsent);
        Assert.Null(request.PrescriptionIssue); // the institution does not prescribe: not asked
    }

    [Fact]
    public async Task AnInstitutionThatPrescribesAsksPaperOrElectronicAfterTheConsentScreensAndSendsTheChoice()
    {
        _api.AsksPrescriptionIssue = true;
        _api.ReportsPrescriptionIssue = true;
        await OnCardScreenAsync(IdentificationMethod.Pin);
        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        await _flow.AnswerComprehensiveConsentAsync(true, Ct);

        Assert.Equal(FlowStep.PrescriptionIssue, _flow.Step);
        Assert.Empty(_api.Confirmations);
        await Assert.ThrowsAsync<FlowStateException>(() => _flow.AnswerPrescriptionIssueAsync("fax", Ct));
        Assert.Equal(FlowStep.PrescriptionIssue, _flow.Step);

        await _flow.AnswerPrescriptionIssueAsync("electronic", Ct);

        Assert.Equal(FlowStep.Result, _flow.Step);
        var (request, _) = Assert.Single(_api.Confirmations);
        Assert.Equal("electronic", request.PrescriptionIssue);
        Assert.True(request.ComprehensiveConsent);
    }

    [Fact]
    public async Task APrescriptionSettingSwitchedOnDuringTheSessionTurnsTheServersRefusalIntoTheQuestion()
    {
        _api.AsksPrescriptionIssue = true; // the server knows, the session answer predates the change
        await OnCardScreenAsync(IdentificationMethod.Pin);
        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        await _flow.AnswerComprehensiveConsentAsync(true, Ct);

        Assert.Equal(FlowStep.PrescriptionIssue, _flow.Step);
        Assert.Equal(MessageKind.Warning, _flow.Message!.Kind);
        await _flow.AnswerPrescriptionIssueAsync("paper", Ct);

        Assert.Equal(FlowStep.Result, _flow.Step);
        Assert.Equal(2, _api.Confirmations.Count);
        Assert.Null(_api.Confirmations[0].Request.PrescriptionIssue);
        Assert.Equal("paper", _api.Confirmations[1].Request.PrescriptionIssue);
        Assert.Equal(_api.Confirmations[0].Key, _api.Confirmations[1].Key);
    }

    [Fact]
    public async Task ThreeWrongPinsBlockTheCardAndOfferVisualCheckWhichThenWorks()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        await _flow.EnterPinAsync("0000", Ct);
        await _flow.EnterPinAsync("0001", Ct);
        await _flow.EnterPinAsync("0002", Ct);

        Assert.Equal(FlowStep.PinBlocked, _flow.Step);
        Assert.Contains("入力された暗証番号が違います", _flow.Message!.Text, StringComparison.Ordinal);
        Assert.True(_api.CardChecks[^1].PinBlocked); // the server lists the refused attempt
        await _flow.ChooseMethodAsync(IdentificationMethod.Visual, Ct);
        await _flow.ReadCardAsync(Ct);
        Assert.Equal(FlowStep.CheckCode, _flow.Step);
        await _flow.EnterCheckCodeAsync(Right, Ct);
        Assert.Equal(FlowStep.VisualCheck, _flow.Step);

        // The block is on the card: reading it again goes straight to the explanation.
        await _flow.NextPatientAsync(Ct);
        await _flow.ChooseMethodAsync(IdentificationMethod.Pin, Ct);
        await _flow.ReadCardAsync(Ct);
        Assert.Equal(FlowStep.PinBlocked, _flow.Step);
    }

    [Fact]
    public async Task VisualFlowWithAWrongThenRightCheckCodeShowsTheFaceAndSendsAVisualAttestation()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);

        await _flow.EnterCheckCodeAsync(Right with { SecurityCode = "1111" }, Ct);
        Assert.Equal(FlowStep.CheckCode, _flow.Step);
        Assert.Contains("残り9回", _flow.Message!.Text, StringComparison.Ordinal);

        await _flow.EnterCheckCodeAsync(Right, Ct);
        Assert.Equal(FlowStep.VisualCheck, _flow.Step);
        var face = _flow.Attempt!.Face!;
        Assert.Equal("黒桐　幹也", face.Name);
        Assert.Equal(new DateOnly(1980, 2, 17), face.BirthDate);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], face.PhotoPng![..4]);

        await _flow.AttestAsync(true, Ct);
        await _flow.AnswerComprehensiveConsentAsync(true, Ct);

        Assert.Equal(FlowStep.Result, _flow.Step);
        var (request, _) = Assert.Single(_api.Confirmations);
        Assert.Equal("visual", request.Method);
        Assert.Null(request.Signature);
        Assert.True(request.VisualAttestation!.PhotoMatchesPatient);
        Assert.NotEmpty(request.Certificate!);
        Assert.True(request.ComprehensiveConsent);
        Assert.True(request.Consents!.Pharmacy);
        Assert.True(request.Consents!.Diagnosis);
        Assert.Null(request.Consents!.Checkup);
    }

    [Fact]
    public async Task AWrongBirthDateForTheEraIsRefusedBeforeTheCardIsAsked()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);

        await _flow.EnterCheckCodeAsync(Right with { Era = JapaneseEra.Reiwa, Year = 55 }, Ct);

        Assert.Equal(FlowStep.CheckCode, _flow.Step);
        Assert.StartsWith("生年月日：", _flow.Message!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotIdentifiedEndsTheAttemptWithoutSendingAnything()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);
        await _flow.EnterCheckCodeAsync(Right, Ct);

        await _flow.AttestAsync(false, Ct);

        Assert.Equal(FlowStep.Ended, _flow.Step);
        Assert.Empty(_api.Confirmations);
    }

    [Fact]
    public async Task AnUnknownOutcomeIsSentAgainWithTheSameKeyAndBody()
    {
        _api.ScriptedConfirmations.Enqueue(ApiResult.NoAnswer<ConfirmationResponse>("サーバーに接続できませんでした。"));
        await OnCardScreenAsync(IdentificationMethod.Pin);
        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        await _flow.AnswerComprehensiveConsentAsync(true, Ct);
        Assert.Equal(FlowStep.OutcomeUnknown, _flow.Step);
        Assert.Contains("二重に記録されることはありません", _flow.Message!.Text, StringComparison.Ordinal);

        await _flow.RetrySendAsync(Ct);

        Assert.Equal(FlowStep.Result, _flow.Step);
        Assert.Equal(2, _api.Confirmations.Count);
        Assert.Equal(_api.Confirmations[0].Key, _api.Confirmations[1].Key);
        Assert.Same(_api.Confirmations[0].Request, _api.Confirmations[1].Request);
    }

    [Fact]
    public async Task InvalidatedDeviceWipesItsCredentialsAndReturnsToSetupWithAnExplanation()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        _api.ChallengeRefusal = new ApiRefusal("device.invalidated", "この端末は無効化されています。", 401);

        await _flow.EnterPinAsync(TestCards.Pin, Ct);

        Assert.Equal(FlowStep.Setup, _flow.Step);
        Assert.Contains("無効化", _flow.Message!.Text, StringComparison.Ordinal);
        Assert.Null(_store.Load());
        Assert.Null(_flow.Session);
        Assert.Null(_flow.Attempt);
        Assert.Null(new CredentialStore(_data).Load());
    }

    [Fact]
    public async Task IdleStaffAreLoggedOutAndThePatientIsForgotten()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(await _flow.CheckIdleAsync(Ct));

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await _flow.CheckIdleAsync(Ct));
        Assert.Equal(FlowStep.Login, _flow.Step);
        Assert.Null(_flow.Attempt);
        Assert.Equal(1, _api.LogOuts);
        Assert.Contains("一定時間操作がなかった", _flow.Message!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACardTakenAwayTooEarlyGoesBackToTheCardScreenAndCanBeRetried()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        await _reader.RemoveAsync(Ct);

        await _flow.EnterPinAsync(TestCards.Pin, Ct);

        Assert.Equal(FlowStep.Card, _flow.Step);
        Assert.Contains("カード", _flow.Message!.Text, StringComparison.Ordinal);
        await _reader.PlaceAsync("kuroki.json", Ct);
        await _flow.ReadCardAsync(Ct);
        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        Assert.Equal(FlowStep.Consent, _flow.Step);
    }

    [Fact]
    public async Task NextPatientZeroesTheCardDataAndForgetsTheResult()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);
        await _flow.EnterCheckCodeAsync(Right, Ct);
        var photo = _flow.Attempt!.Face!.PhotoPng!;
        await _flow.AttestAsync(true, Ct);
        await _flow.AnswerComprehensiveConsentAsync(true, Ct);

        await _flow.NextPatientAsync(Ct);

        Assert.All(photo, b => Assert.Equal(0, b));
        Assert.Null(_flow.Attempt?.Result);
        Assert.Null(_flow.Attempt?.Face);
        Assert.Equal(FlowStep.Method, _flow.Step); // one purpose enabled: straight to 本人確認方法
    }

    [Fact]
    public async Task APurposeTheInstitutionDidNotEnableIsRefused()
    {
        _api.Purposes = ["outpatient", "online"];
        await LoggedInAsync();
        Assert.Equal(FlowStep.Purpose, _flow.Step);

        await _flow.ChoosePurposeAsync("homeVisit", Ct);

        Assert.Equal(FlowStep.Purpose, _flow.Step);
        Assert.Equal(MessageKind.Error, _flow.Message!.Kind);
    }

    [Fact]
    public async Task ACardTheServerRefusesEndsTheAttemptBeforeThePatientIsAskedForThePin()
    {
        _api.CardCheckRefusal = new ApiRefusal("card.not_linked", "このマイナンバーカードは健康保険証として利用登録されていません。", 422);

        await OnCardScreenAsync(IdentificationMethod.Pin);

        Assert.Equal(FlowStep.Ended, _flow.Step);
        Assert.Equal("このマイナンバーカードは健康保険証として利用登録されていません。", _flow.Message!.Text);
        var check = Assert.Single(_api.CardChecks);
        Assert.Equal("pin", check.Method);
        Assert.False(string.IsNullOrEmpty(check.Certificate));
        Assert.Empty(_api.Confirmations);
    }

    [Fact]
    public async Task ACertificateWithinTheGraceAsksNoConsentAndSendsAtOnce()
    {
        _api.CardCheckQualificationOnly = true;
        await OnCardScreenAsync(IdentificationMethod.Pin);

        await _flow.EnterPinAsync(TestCards.Pin, Ct);

        Assert.Equal(FlowStep.Result, _flow.Step);
        var (request, _) = Assert.Single(_api.Confirmations);
        Assert.Equal(new ConsentAnswers(null, null, null, null), request.Consents);
        Assert.False(request.ComprehensiveConsent);
    }

    [Fact]
    public async Task ADeviceInvalidatedAfterLoginIsWipedBeforeTheCardIsRead()
    {
        await LoggedInAsync();
        _api.SessionRefusal = new ApiRefusal("device.invalidated", "この端末は無効化されています。", 401);

        await _flow.ChooseMethodAsync(IdentificationMethod.Pin, Ct);

        Assert.Equal(FlowStep.Setup, _flow.Step);
        Assert.Contains("無効化", _flow.Message!.Text, StringComparison.Ordinal);
        Assert.Null(_store.Load());
    }

    [Fact]
    public async Task ADeviceInvalidatedAfterTheFaceIsShownIsWipedBeforeTheConsentQuestions()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);
        await _flow.EnterCheckCodeAsync(Right, Ct);
        _api.SessionRefusal = new ApiRefusal("device.invalidated", "この端末は無効化されています。", 401);

        await _flow.AttestAsync(true, Ct);

        Assert.Equal(FlowStep.Setup, _flow.Step);
        Assert.Empty(_api.Confirmations);
    }

    [Fact]
    public async Task APurposeSwitchedOffAfterThePinSendsThePatientBackToAPurposeThatStillWorks()
    {
        _api.Purposes = ["outpatient", "homeVisit"];
        await LoggedInAsync();
        await _flow.ChoosePurposeAsync("outpatient", Ct);
        await _flow.ChooseMethodAsync(IdentificationMethod.Pin, Ct);
        await _reader.PlaceAsync("kuroki.json", Ct);
        await _flow.ReadCardAsync(Ct);
        Assert.Equal(FlowStep.Pin, _flow.Step);
        _api.Purposes = ["homeVisit"];
        _api.ChallengeRefusal = new ApiRefusal("purpose.not_enabled", "この利用目的は有効になっていません。", 403);

        await _flow.EnterPinAsync(TestCards.Pin, Ct);

        Assert.Equal(FlowStep.Purpose, _flow.Step);
        Assert.Contains("利用できる目的を選んでください", _flow.Message!.Text, StringComparison.Ordinal);
        Assert.Equal(["homeVisit"], _flow.Session!.Purposes);
    }

    [Fact]
    public async Task APurposeSwitchedOffAfterLoginIsNoLongerOfferedWhenStaffChooseIt()
    {
        _api.Purposes = ["outpatient", "homeVisit"];
        await LoggedInAsync();
        _api.Purposes = ["homeVisit"];

        await _flow.ChoosePurposeAsync("outpatient", Ct);

        Assert.Equal(FlowStep.Purpose, _flow.Step);
        Assert.Equal(["homeVisit"], _flow.Session!.Purposes);
    }

    [Fact]
    public async Task AnOutageAtLoginIsExplainedInJapaneseWithItsCodeAndTheFallbackAndLoginWorksOnceTheNetworkIsBack()
    {
        await _flow.SetUpAsync(FakeAppApi.InstitutionCode, "staff11", "Correct-Horse-1", "ABCD-EFGH-JKMN-PQRS", Ct);
        _api.Outage = ApiCodes.NetworkRefused;

        await _flow.LogInAsync("staff11", "Correct-Horse-1", Ct);

        Assert.Equal(FlowStep.Login, _flow.Step);
        Assert.Equal(ApiCodes.NetworkRefused, _flow.Message!.Code);
        Assert.StartsWith("サーバーに接続できませんでした", _flow.Message.Text, StringComparison.Ordinal);
        Assert.Contains("保険証または資格確認書", _flow.Message.Text, StringComparison.Ordinal);
        _api.Outage = null;
        await _flow.LogInAsync("staff11", "Correct-Horse-1", Ct);
        Assert.Equal(FlowStep.Method, _flow.Step);
    }

    [Fact]
    public async Task AnOutageAtTheCardCheckZeroesWhatWasReadFromTheCardAndTheCardIsReadAgainOnceBack()
    {
        await LoggedInAsync();
        await _flow.ChooseMethodAsync(IdentificationMethod.Pin, Ct);
        await _reader.PlaceAsync("kuroki.json", Ct);
        _api.Outage = ApiCodes.NetworkTimeout;

        await _flow.ReadCardAsync(Ct);

        Assert.Equal(FlowStep.Card, _flow.Step);
        Assert.Equal(ApiCodes.NetworkTimeout, _flow.Message!.Code);
        Assert.Contains("消去しました", _flow.Message.Text, StringComparison.Ordinal);
        Assert.Null(_flow.Attempt!.Certificate);
        _api.Outage = null;
        await _flow.ReadCardAsync(Ct);
        Assert.Equal(FlowStep.Pin, _flow.Step);
    }

    [Fact]
    public async Task AnOutageBeforeThePinReachesTheCardCostsNoTryAndTheSameEntryWorksOnceBack()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        _api.Outage = ApiCodes.NetworkServerUnavailable;

        await _flow.EnterPinAsync(TestCards.Pin, Ct);

        Assert.Equal(FlowStep.Pin, _flow.Step);
        Assert.Equal(ApiCodes.NetworkServerUnavailable, _flow.Message!.Code);
        Assert.Contains("HTTP 502", _flow.Message.Text, StringComparison.Ordinal);
        Assert.Contains("回数は減っていません", _flow.Message.Text, StringComparison.Ordinal);
        Assert.Null(_flow.Attempt!.Signature);
        _api.Outage = null;
        await _flow.EnterPinAsync("9999", Ct);
        Assert.Contains("残り2回", _flow.Message!.Text, StringComparison.Ordinal); // the outage used none of the three
        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        Assert.Equal(FlowStep.Consent, _flow.Step);
    }

    [Fact]
    public async Task AnOutageAfterTheVisualCheckKeepsTheScreenForARetryAndAbandoningItZeroesThePhotoAndTheCardProof()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);
        await _flow.EnterCheckCodeAsync(Right, Ct);
        _api.Outage = ApiCodes.NetworkConnectionLost;

        await _flow.AttestAsync(true, Ct);

        Assert.Equal(FlowStep.VisualCheck, _flow.Step);
        Assert.Equal(ApiCodes.NetworkConnectionLost, _flow.Message!.Code);
        var attempt = _flow.Attempt!;
        var photo = attempt.Face!.PhotoPng!;
        var name = attempt.Face.NamePng;
        var record = attempt.CardProof!.CardFaceRecord;
        var certificate = attempt.Certificate!;

        await _flow.NextPatientAsync(Ct);

        Assert.Null(_flow.Attempt?.Face);
        Assert.Null(_flow.Attempt?.CardProof);
        Assert.All(new[] { photo, name, record, certificate }, buffer => Assert.All(buffer, b => Assert.Equal(0, b)));
        Assert.Empty(_api.Confirmations);
    }

    [Fact]
    public async Task AnUnknownOutcomeAbandonedDuringAnOutageZeroesTheCertificateAndSignatureAndSaysWhereToLook()
    {
        await OnCardScreenAsync(IdentificationMethod.Pin);
        await _flow.EnterPinAsync(TestCards.Pin, Ct);
        _api.Outage = ApiCodes.NetworkRefused;
        await _flow.AnswerComprehensiveConsentAsync(true, Ct);
        Assert.Equal(FlowStep.OutcomeUnknown, _flow.Step);
        Assert.Equal(ApiCodes.NetworkRefused, _flow.Message!.Code);
        var attempt = _flow.Attempt!;
        var certificate = attempt.Certificate!;
        var signature = attempt.Signature!;

        await _flow.NextPatientAsync(Ct);

        Assert.NotSame(attempt, _flow.Attempt);
        Assert.Null(_flow.Attempt?.SentRequest);
        Assert.All(certificate, b => Assert.Equal(0, b));
        Assert.All(signature, b => Assert.Equal(0, b));
        Assert.Contains("結果一覧", _flow.Message!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APatientNotIdentifiedHasThePhotoAndCardProofZeroedAtOnceNotOnlyAtNextPatient()
    {
        await OnCardScreenAsync(IdentificationMethod.Visual);
        await _flow.EnterCheckCodeAsync(Right, Ct);
        var photo = _flow.Attempt!.Face!.PhotoPng!;
        var proof = _flow.Attempt.CardProof!.Signature;

        await _flow.AttestAsync(false, Ct);

        Assert.Equal(FlowStep.Ended, _flow.Step);
        Assert.Null(_flow.Attempt?.Face);
        Assert.All(photo, b => Assert.Equal(0, b));
        Assert.All(proof, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task AnActionForALaterStepIsRefusedWhileTheEarlierStepsDataIsMissing()
    {
        await LoggedInAsync();

        await Assert.ThrowsAsync<FlowStateException>(() => _flow.AttestAsync(true, Ct));
        await Assert.ThrowsAsync<FlowStateException>(() => _flow.AnswerComprehensiveConsentAsync(true, Ct));
        await Assert.ThrowsAsync<FlowStateException>(() => _flow.RetrySendAsync(Ct));
        Assert.Equal(FlowStep.Method, _flow.Step);
        Assert.Empty(_api.Confirmations);
    }
}
