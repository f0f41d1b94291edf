using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Card.Issuing;
using Onshi.Core.Codes;
using Onshi.Jpki;
using Onshi.Server.Confirmations;
using Onshi.Server.Consent;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Infrastructure.Patients;
using static Onshi.Server.Tests.Insurance.InsuranceSeed;

namespace Onshi.Server.Tests.Confirmations;

/// <summary>
/// POST /confirmations over real HTTP with real RSA signatures made by virtual cards through the card protocol: both
/// identification modes, every refusal, validity 1/2/4/5, notices, consent and idempotency.
/// </summary>
public abstract class ConfirmationTests(PortalFixture portal)
{
    private async Task<(Clinic Clinic, AppClient App)> ReadyAsync(bool outpatient = true, bool homeVisit = true)
    {
        var clinic = await portal.ClinicAsync(outpatient: outpatient, homeVisit: homeVisit);
        await portal.LoadCrlAsync();
        return (clinic, await portal.ReadyAppAsync(clinic));
    }

    private static void AssertRefused(AppResponse response, string code, HttpStatusCode? status = null)
    {
        Assert.True(code == response.Code, response.Body?.ToJsonString());
        if (status is { } expected)
        {
            Assert.Equal(expected, response.Status);
        }

        Assert.False(string.IsNullOrWhiteSpace(response.Detail));
    }

    [Fact]
    public async Task PinModeConfirmsAValidQualificationAndStoresTheResultAndTheConsents()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();

        var response = await app.ConfirmWithPinAsync(clinic, patient.Card);

        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        var body = response.Body!;
        Assert.Equal("1", body["validity"]!["code"]!.GetValue<string>());
        Assert.Equal("有効", body["validity"]!["label"]!.GetValue<string>());
        Assert.Equal("pin", body["method"]!.GetValue<string>());
        Assert.Equal("outpatient", body["purpose"]!.GetValue<string>());
        Assert.False(body["qualificationOnly"]!.GetValue<bool>());
        var q = body["qualification"]!;
        Assert.Equal(Kyokai.Value, q["insurerNumber"]!.GetValue<string>());
        Assert.Equal(patient.Number, q["insuredIdentificationNumber"]!.GetValue<string>());
        Assert.Equal("黒桐 幹也", q["name"]!.GetValue<string>());
        Assert.Equal("1980-02-17", q["birthdate"]!.GetValue<string>());
        Assert.Equal("030", q["partialContributionRatio"]!.GetValue<string>());
        Assert.Null(q["disqualificationDate"]);
        Assert.Equal(Core.Codes.LimitApplicationBracket.WorkingAgeLevel1.ToWireCode(), q["limitCertificate"]!["classificationFlag"]!.GetValue<string>());
        Assert.Equal("01", q["limitCertificate"]!["classification"]!.GetValue<string>());
        Assert.Empty(body["notices"]!.AsArray());

        // Consents: pharmacy yes (24 h), diagnosis no, checkup yes, operation not offered.
        var consents = body["consents"]!;
        Assert.True(consents["pharmacy"]!["given"]!.GetValue<bool>());
        Assert.Equal(portal.Time.GetUtcNow().AddHours(24), consents["pharmacy"]!["availableUntil"]!.GetValue<DateTimeOffset>());
        Assert.False(consents["diagnosis"]!["given"]!.GetValue<bool>());
        Assert.Null(consents["operation"]);

        var id = Guid.Parse(response.Str("confirmationId"));
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().SingleAsync(c => c.Id == id));
        Assert.Equal(IdentificationMethod.Pin, stored.Method);
        Assert.Equal(patient.PersonId, stored.PersonId);
        Assert.Equal(TestJpki.LinkageKey(patient.Card), stored.CertificateLinkageKey);
        var records = await portal.QueryAsync(db => db.ConsentRecords.IgnoreQueryFilters().Where(c => c.ConfirmationId == id).OrderBy(c => c.InformationType).ToListAsync());
        Assert.Equal([InformationType.Pharmacy, InformationType.Diagnosis, InformationType.Checkup], records.Select(r => r.InformationType));
        Assert.NotNull(await portal.QueryAsync(db => db.Challenges.Where(c => c.Id == stored.ChallengeId).Select(c => c.UsedAt).SingleAsync()));

        var again = await app.GetAsync($"/confirmations/{id}");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(body.ToJsonString(), again.Body!.ToJsonString());
    }

    [Fact]
    public async Task VisualModeNeedsTheStaffAttestationAndRecordsIt()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync();
        var proof = await ProvePresenceAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        object Body(object? attestation) => new { challengeId = id, purpose = "outpatient", method = "visual", certificate = Base64Url.EncodeToString(patient.Card.AuthCertificate), signature = (string?)null, visualAttestation = attestation, consents = new { pharmacy = true }, cardProof = ProofBody(proof) };

        AssertRefused(await app.ConfirmAsync(Body(null)), "confirmation.visual_attestation_required", HttpStatusCode.UnprocessableEntity);
        AssertRefused(await app.ConfirmAsync(Body(new { photoMatchesPatient = false })), "confirmation.visual_attestation_required");
        var response = await app.ConfirmAsync(Body(new { photoMatchesPatient = true }));

        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        Assert.Equal("visual", response.Str("method"));
        Assert.Equal("1", response.Body!["validity"]!["code"]!.GetValue<string>());
        var confirmationId = Guid.Parse(response.Str("confirmationId"));
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().SingleAsync(c => c.Id == confirmationId));
        Assert.Equal(IdentificationMethod.Visual, stored.Method);
        Assert.True(stored.VisualAttestation);
        var staffId = await portal.QueryAsync(db => db.Accounts.IgnoreQueryFilters().Where(a => a.InstitutionId == clinic.Institution.Id && a.UserId == clinic.StaffUserId).Select(a => a.Id).SingleAsync());
        Assert.Equal(staffId, stored.AccountId);
    }

    [Fact]
    public async Task RefusesVisualModeWithoutTheCardsProofThatItIsInTheReader()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var (id, _) = await app.ChallengeAsync();

        // Today's attack: a certificate kept from an earlier visit, no card, "the photo matches".
        var response = await app.ConfirmAsync(VisualBody(id, patient.Card.AuthCertificate, proof: null));

        AssertRefused(response, "visual.card_proof_required", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().CountAsync(c => c.PersonId == patient.PersonId)));
        Assert.Equal(0, await portal.QueryAsync(db => db.ConsentRecords.IgnoreQueryFilters().CountAsync(c => c.PersonId == patient.PersonId)));
    }

    [Fact]
    public async Task RefusesACardProofReplayedFromAnEarlierChallenge()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var (firstId, firstChallenge) = await app.ChallengeAsync();
        var stored = await ProvePresenceAsync(patient.Card, firstChallenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmAsync(VisualBody(firstId, patient.Card.AuthCertificate, stored))).Status);

        // The same signature, certificate and card face, stored and sent again with a fresh challenge: the card is gone.
        var (secondId, _) = await app.ChallengeAsync();
        var replayed = await app.ConfirmAsync(VisualBody(secondId, patient.Card.AuthCertificate, stored));
        // And the stored proof sent again with the challenge it was made for.
        var reused = await app.ConfirmAsync(VisualBody(firstId, patient.Card.AuthCertificate, stored));

        AssertRefused(replayed, "visual.card_signature_invalid", HttpStatusCode.UnprocessableEntity);
        AssertRefused(reused, "challenge.used", HttpStatusCode.Conflict);
        Assert.Equal(1, await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().CountAsync(c => c.PersonId == patient.PersonId)));
    }

    [Fact]
    public async Task RefusesACardProofFromAnotherCardThanTheCertificatePresented()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var absent = await portal.PatientAsync();
        var present = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync();

        // The card in the reader is someone else's; the certificate is the absent patient's, kept from an earlier visit.
        var otherCardsProof = await ProvePresenceAsync(present.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        var response = await app.ConfirmAsync(VisualBody(id, absent.Card.AuthCertificate, otherCardsProof));

        AssertRefused(response, "visual.other_card", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().CountAsync(c => c.PersonId == absent.PersonId)));
    }

    [Fact]
    public async Task RefusesAnotherCardsCardFaceDataOrAForgedCertificateInTheProof()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var other = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync();
        var proof = await ProvePresenceAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        var (otherId, otherChallenge) = await app.ChallengeAsync();
        var otherProof = await ProvePresenceAsync(other.Card, otherChallenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);

        // Another card's face (photo) with this card's signature.
        var swappedFace = await app.ConfirmAsync(VisualBody(id, patient.Card.AuthCertificate, proof with { CardFaceRecord = otherProof.CardFaceRecord }));
        // A card face whose photo was altered by one byte.
        var tampered = proof.CardFaceRecord.ToArray();
        var photo = Onshi.Card.Applications.CardRecordFormat.ParseCardFace(tampered).FacePhotoJpeg2000;
        tampered[tampered.AsSpan().IndexOf(photo) + (photo.Length / 2)] ^= 0x01;
        var alteredFace = await app.ConfirmAsync(VisualBody(id, patient.Card.AuthCertificate, proof with { CardFaceRecord = tampered }));
        // A self-made certificate over the same key: not issued by the configured 券面AP CA.
        using var selfIssued = SelfIssued(patient.Card);
        var forged = await app.ConfirmAsync(VisualBody(id, patient.Card.AuthCertificate, proof with { Certificate = selfIssued.RawData }));

        AssertRefused(swappedFace, "visual.card_face_invalid", HttpStatusCode.UnprocessableEntity);
        AssertRefused(alteredFace, "visual.card_face_invalid", HttpStatusCode.UnprocessableEntity);
        AssertRefused(forged, "visual.card_certificate_untrusted", HttpStatusCode.UnprocessableEntity);
        // The untouched proof still works once: nothing above consumed the challenge.
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmAsync(VisualBody(id, patient.Card.AuthCertificate, proof))).Status);
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmAsync(VisualBody(otherId, other.Card.AuthCertificate, otherProof))).Status);
    }

    [Fact]
    public async Task RefusesVisualModeForOnlineCareWhereThePatientIsNotAtTheCounter()
    {
        var clinic = await portal.ClinicAsync(online: true);
        using var _ = clinic;
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();

        var response = await app.ConfirmVisuallyAsync(clinic, patient.Card, purpose: "online");

        AssertRefused(response, "visual.not_allowed_for_purpose", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmWithPinAsync(clinic, patient.Card, purpose: "online")).Status);
    }

    /// <summary>A certificate for the card's own 券面AP key, signed by a CA Onshi was never told to trust.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfIssued(Onshi.Card.Virtual.CardImage card)
    {
        using var key = System.Security.Cryptography.RSA.Create();
        key.ImportPkcs8PrivateKey(card.ApPrivateKey, out _);
        using var genuine = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(card.ApCertificate!);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(genuine.SubjectName, key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509KeyUsageExtension(
            System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.DigitalSignature, true));
        return request.CreateSelfSigned(genuine.NotBefore, genuine.NotAfter);
    }

    [Fact]
    public async Task AChallengeServesOnceAndOnlyOnTheDeviceAndSessionThatAskedForIt()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync();
        var (certificate, signature) = await SignAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmAsync(PinBody(id, certificate, signature))).Status);
        AssertRefused(await app.ConfirmAsync(PinBody(id, certificate, signature)), "challenge.used", HttpStatusCode.Conflict);

        // A second device of the same institution cannot use the first one's challenge.
        var code = await ActivationCodes.ActivationCodeTests.IssueAsync(clinic.Admin, "Bのタブレット");
        using var other = await portal.ReadyAppAsync(clinic, code);
        var (otherId, otherChallenge) = await app.ChallengeAsync();
        var (c2, s2) = await SignAsync(patient.Card, otherChallenge, clinic.Code, other.Thumbprint, AuthenticationPurpose.Outpatient);
        AssertRefused(await other.ConfirmAsync(PinBody(otherId, c2, s2)), "challenge.other_device", HttpStatusCode.Conflict);
        AssertRefused(await other.ConfirmAsync(PinBody(Guid.NewGuid(), c2, s2)), "challenge.unknown", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AChallengeExpiresAfterFiveMinutesAndAPurposeSwitchedOffIsRefused()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync();
        var (certificate, signature) = await SignAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        portal.Time.Advance(TimeSpan.FromMinutes(5));
        AssertRefused(await app.ConfirmAsync(PinBody(id, certificate, signature)), "challenge.expired", HttpStatusCode.Conflict);

        var (id2, challenge2) = await app.ChallengeAsync("homeVisit");
        var (c2, s2) = await SignAsync(patient.Card, challenge2, clinic.Code, app.Thumbprint, AuthenticationPurpose.HomeVisit);
        AssertRefused(await app.ConfirmAsync(PinBody(id2, c2, s2, purpose: "outpatient")), "challenge.purpose_mismatch");
        await portal.SetSettingsAsync(clinic.Institution.Id, outpatient: true, homeVisit: false);
        AssertRefused(await app.ConfirmAsync(PinBody(id2, c2, s2, purpose: "homeVisit")), "purpose.not_enabled", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ASignatureByAnotherCardOrOverAnotherMessageIsRefused()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var impostor = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync();

        // The impostor's card signs; the patient's certificate is presented.
        var (_, impostorSignature) = await SignAsync(impostor.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        AssertRefused(await app.ConfirmAsync(PinBody(id, patient.Card.AuthCertificate, impostorSignature)), "jpki.bad_signature", HttpStatusCode.UnprocessableEntity);

        // The right card, but the message names another device key or another purpose.
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var (ox, oy) = AppClient.Coordinates(otherKey);
        var (certificate, wrongDevice) = await SignAsync(patient.Card, challenge, clinic.Code, JwkThumbprint.Compute(ox, oy), AuthenticationPurpose.Outpatient);
        AssertRefused(await app.ConfirmAsync(PinBody(id, certificate, wrongDevice)), "jpki.bad_signature");
        var (_, wrongPurpose) = await SignAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Online);
        AssertRefused(await app.ConfirmAsync(PinBody(id, certificate, wrongPurpose)), "jpki.bad_signature");

        AssertRefused(await app.ConfirmAsync(PinBody(id, [0x30, 0x03, 0x02, 0x01, 0x00], wrongPurpose)), "jpki.malformed_certificate");
        AssertRefused(await app.ConfirmAsync(new { challengeId = id, purpose = "outpatient", method = "pin", certificate = Base64Url.EncodeToString(certificate), signature = (string?)null }), "confirmation.signature_required");

        // After all these refusals the challenge is still unused: the right signature still works.
        var (_, good) = await SignAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmAsync(PinBody(id, certificate, good))).Status);
    }

    [Fact]
    public async Task ARevokedCertificateIsRefusedOnceTheOperatorLoadedTheList()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync(card: Request() with { RevokedCertificate = true });
        await portal.LoadCrlAsync();
        AssertRefused(await app.ConfirmWithPinAsync(clinic, patient.Card), "jpki.revoked", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ACardOfAnUntrustedAuthorityIsRefused()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        using var foreignCa = TestCertificateAuthority.Create(portal.Time, withSignCa: false);
        var foreign = CardIssuer.Issue(Request(), foreignCa, portal.Time);
        AssertRefused(await app.ConfirmWithPinAsync(clinic, foreign), "jpki.untrusted_chain", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task AnExpiredCertificateWithinThreeMonthsGivesQualificationOnlyFlaggedAndBeyondIsRefused()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var now = portal.Time.GetUtcNow();
        var withinGrace = await portal.PatientAsync(card: Request() with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddMonths(-2) });
        var beyondGrace = await portal.PatientAsync(card: Request() with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddMonths(-4) });

        var response = await app.ConfirmWithPinAsync(clinic, withinGrace.Card);
        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        Assert.Equal("1", response.Body!["validity"]!["code"]!.GetValue<string>());
        Assert.True(response.Body!["qualificationOnly"]!.GetValue<bool>());
        var notice = Assert.Single(response.Body!["notices"]!.AsArray());
        Assert.Equal("ONSI0002", notice!["processingResultCode"]!.GetValue<string>());
        Assert.Equal("jpki.expired_within_grace", notice["code"]!.GetValue<string>());
        Assert.Empty(response.Body!["consents"]!.AsObject());
        var id = Guid.Parse(response.Str("confirmationId"));
        Assert.Equal(0, await portal.QueryAsync(db => db.ConsentRecords.IgnoreQueryFilters().CountAsync(c => c.ConfirmationId == id)));

        AssertRefused(await app.ConfirmWithPinAsync(clinic, beyondGrace.Card), "jpki.expired", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ACertificateExpiringWithinThreeMonthsCarriesTheInformationalNotice()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var now = portal.Time.GetUtcNow();
        var patient = await portal.PatientAsync(card: Request() with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddDays(30) });
        var response = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        var notice = Assert.Single(response.Body!["notices"]!.AsArray());
        Assert.Equal("ONSI0001", notice!["processingResultCode"]!.GetValue<string>());
        Assert.Equal("jpki.expires_within_three_months", notice["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(notice["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnUnlinkedCardIsRefusedAndNothingIsStored()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync(link: false);
        AssertRefused(await app.ConfirmWithPinAsync(clinic, patient.Card), "card.not_linked", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == clinic.Institution.Id)));
    }

    [Fact]
    public async Task ALostQualificationIsCodeTwoWithTheLossDateAndReason()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync((id, number) => [Qualification(id, Kyokai, number, new DateOnly(2010, 4, 1), lostOn: new DateOnly(2025, 4, 1))]);
        var response = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("2", response.Body!["validity"]!["code"]!.GetValue<string>());
        Assert.Equal("2025-04-01", response.Body!["qualification"]!["disqualificationDate"]!.GetValue<string>());
        Assert.Equal("03", response.Body!["qualification"]!["reasonOfLoss"]!.GetValue<string>());
        Assert.Null(response.Body!["qualification"]!["limitCertificate"]);
    }

    [Fact]
    public async Task ALinkedPersonWithoutAnyQualificationIsCodeFour()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync((id, number) => [Qualification(id, Kyokai, number, new DateOnly(2026, 4, 1))], withLimitCertificate: false);
        var response = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("4", response.Body!["validity"]!["code"]!.GetValue<string>());
        Assert.Null(response.Body!["qualification"]);
    }

    [Fact]
    public async Task TwoValidQualificationsAreCodeFiveWithBoth()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync((id, number) => [Qualification(id, Kyokai, number, new DateOnly(2010, 4, 1)), Qualification(id, Kumiai, NextNumber(), new DateOnly(2020, 4, 1))]);
        var response = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("5", response.Body!["validity"]!["code"]!.GetValue<string>());
        Assert.Equal(2, response.Body!["qualifications"]!.AsArray().Count);
    }

    [Fact]
    public async Task ARetryWithTheSameKeyReturnsTheSameResultWithoutASecondRecord()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var key = Guid.NewGuid();
        var (id, challenge) = await app.ChallengeAsync();
        var (certificate, signature) = await SignAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.Outpatient);
        var body = PinBody(id, certificate, signature);

        var first = await app.ConfirmAsync(body, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        portal.Time.Advance(TimeSpan.FromMinutes(10));
        var retry = await app.ConfirmAsync(body, key);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(first.Body!.ToJsonString(), retry.Body!.ToJsonString());
        Assert.Equal(1, await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == clinic.Institution.Id)));
        Assert.Equal(2, await portal.QueryAsync(db => db.ConsentRecords.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == clinic.Institution.Id && c.Given)));

        AssertRefused(await app.ConfirmAsync(PinBody(id, certificate, signature, consents: new { pharmacy = false }), key), "idempotency.conflict", HttpStatusCode.UnprocessableEntity);
        AssertRefused(await app.PostAsync("/confirmations", body), "idempotency.key_required", HttpStatusCode.BadRequest);
        AssertRefused(await app.PostAsync("/confirmations", body, headers: new Dictionary<string, string> { ["Idempotency-Key"] = "not-a-uuid" }), "idempotency.key_required");
    }

    [Fact]
    public async Task AnotherDeviceCannotReadAConfirmation()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var response = await app.ConfirmWithPinAsync(clinic, patient.Card);
        var code = await ActivationCodes.ActivationCodeTests.IssueAsync(clinic.Admin, "Bのタブレット");
        using var other = await portal.ReadyAppAsync(clinic, code);
        AssertRefused(await other.GetAsync($"/confirmations/{response.Str("confirmationId")}"), "confirmation.not_found", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ComprehensiveConsentMeansYesToEveryOfferedTypeAndHomeVisitConsentHasNoEnd()
    {
        var (clinic, app) = await ReadyAsync();
        using var _ = clinic;
        using var __ = app;
        var patient = await portal.PatientAsync();
        var (id, challenge) = await app.ChallengeAsync("homeVisit");
        var (certificate, signature) = await SignAsync(patient.Card, challenge, clinic.Code, app.Thumbprint, AuthenticationPurpose.HomeVisit);
        var response = await app.ConfirmAsync(PinBody(id, certificate, signature, "homeVisit", new { pharmacy = false }, comprehensive: true));
        Assert.Equal(HttpStatusCode.Created, response.Status);
        var consents = response.Body!["consents"]!.AsObject();
        Assert.Equal(["pharmacy", "diagnosis", "checkup"], consents.Select(c => c.Key));
        Assert.All(consents, c =>
        {
            Assert.True(c.Value!["given"]!.GetValue<bool>());
            Assert.Null(c.Value!["availableUntil"]);
        });
    }
}

public sealed class ConfirmationTestsOnSqlite(SqlitePortal portal) : ConfirmationTests(portal), IClassFixture<SqlitePortal>;

public sealed class ConfirmationTestsOnPostgres(PostgresPortal portal) : ConfirmationTests(portal), IClassFixture<PostgresPortal>;
