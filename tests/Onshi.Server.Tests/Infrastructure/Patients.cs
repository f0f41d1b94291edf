using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Card.Applications;
using Onshi.Card.Issuing;
using Onshi.Card.Transport;
using Onshi.Card.Virtual;
using Onshi.Core.Codes;
using Onshi.Jpki;
using Onshi.Server.CardLinks;
using Onshi.Server.Data;
using Onshi.Server.Insurance;
using Onshi.Server.Revocation;
using Onshi.Server.Tests.Insurance;

namespace Onshi.Server.Tests.Infrastructure;

/// <summary>A patient of the tests: an insured person (maybe), their virtual card, and whether it is linked.</summary>
public sealed record Patient(long PersonId, CardImage Card, string Number);

/// <summary>Seeds insured persons, issues their virtual cards from the test CA and links them (健康保険証利用登録).</summary>
public static class Patients
{
    public static readonly DateOnly Birthdate = new(1980, 2, 17);

    public static CardIssueRequest Request(string name = "黒桐　幹也") => new()
    {
        Name = name,
        NameKana = "コクトウ ミキヤ",
        Address = "東京都清瀬市観布子南１２－７－２０２",
        BirthDate = Birthdate,
        Sex = Onshi.Card.Applications.Sex.Male,
        Pin = "1234",
    };

    /// <summary>
    /// A person with the given qualifications (default: one valid 協会けんぽ qualification with a 限度額 certificate),
    /// a card issued now, linked unless <paramref name="link"/> is false.
    /// </summary>
    public static async Task<Patient> PatientAsync(this PortalFixture portal, Func<long, string, IEnumerable<Qualification>>? qualifications = null,
        CardIssueRequest? card = null, bool link = true, bool withLimitCertificate = true)
    {
        portal.SkipIfUnavailable();
        var personId = InsuranceSeed.NextPersonId();
        var number = InsuranceSeed.NextNumber();
        var image = TestJpki.Issue(card ?? Request(), portal.Time);
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await InsuranceSeed.EnsureInsurersAsync(db);
            db.InsuredPersons.Add(InsuranceSeed.Person(personId, Birthdate, "黒桐 幹也", "ｺｸﾄｳ ﾐｷﾔ"));
            db.Qualifications.AddRange(qualifications?.Invoke(personId, number) ?? [InsuranceSeed.Qualification(personId, InsuranceSeed.Kyokai, number, new DateOnly(2010, 4, 1))]);
            if (withLimitCertificate)
            {
                db.LimitCertificates.Add(new LimitCertificate { PersonId = personId, InsurerNumber = InsuranceSeed.Kyokai.Value, Classification = LimitCertificateClassification.LimitApplication, Bracket = LimitApplicationBracket.WorkingAgeLevel1, ValidFrom = new DateOnly(2025, 4, 1), ValidUntil = new DateOnly(2026, 3, 31) });
            }

            await db.SaveChangesAsync();
            if (link)
            {
                using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(image.AuthCertificate);
                var linked = await scope.ServiceProvider.GetRequiredService<LinkCard>().ExecuteAsync(personId, TestJpki.LinkageKey(image), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), CancellationToken.None);
                Assert.True(linked.Succeeded, linked.Refusal?.Code);
            }
        }

        return new Patient(personId, image, number);
    }

    /// <summary>Loads the test CA's current CRL as an operator would (`onshi crl load`): verified, applied, stored.</summary>
    public static async Task LoadCrlAsync(this PortalFixture portal)
    {
        var crl = TestJpki.Crl(portal.Time);
        var loaded = await portal.WithServiceAsync<StoreRevocationList, Onshi.Server.Common.OperationResult<LoadedCrlInfo>>(store => store.ExecuteAsync(crl, CancellationToken.None));
        Assert.True(loaded.Succeeded, loaded.Refusal?.Code);
    }

    public static async Task<(Guid Id, byte[] Challenge)> ChallengeAsync(this AppClient app, string purpose = "outpatient")
    {
        var response = await app.PostAsync("/challenges", new { purpose });
        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        return (Guid.Parse(response.Str("challengeId")), CanonicalBase64Url.TryDecode(response.Str("challenge"))!);
    }

    /// <summary>The card signs the message the server will rebuild, through the real card protocol (PIN, COMPUTE DIGITAL SIGNATURE).</summary>
    public static async Task<(byte[] Certificate, byte[] Signature)> SignAsync(CardImage card, byte[] challenge, string institutionCode, byte[] deviceThumbprint, AuthenticationPurpose purpose)
    {
        using var virtualCard = new VirtualMyNumberCard(card);
        var reader = new MyNumberCardReader(new InMemoryCardTransport(virtualCard));
        var message = AuthenticationMessage.Build(challenge, institutionCode, deviceThumbprint, purpose);
        var identified = await reader.IdentifyWithPinAsync("1234", message, TestContext.Current.CancellationToken);
        Assert.True(identified.Succeeded);
        return (identified.AuthenticationCertificate, identified.Signature!);
    }

    /// <summary>
    /// 目視確認 through the real card protocol: 照合番号B opens the 券面AP, the card reads its face and signs the
    /// card-presence message (INTERNAL AUTHENTICATE) that the server will rebuild.
    /// </summary>
    public static async Task<VisualCardProof> ProvePresenceAsync(CardImage card, byte[] challenge, string institutionCode, byte[] deviceThumbprint, AuthenticationPurpose purpose)
    {
        using var virtualCard = new VirtualMyNumberCard(card);
        var reader = new MyNumberCardReader(new InMemoryCardTransport(virtualCard));
        Assert.True(Onshi.Card.Credentials.CheckCodeB.TryCompose(card.BirthDate, card.CardExpiry.Year, card.SecurityCode, out var code, out _, card.ForeignResident));
        var message = AuthenticationMessage.BuildCardPresence(challenge, institutionCode, deviceThumbprint, purpose);
        var read = await reader.ReadForVisualCheckAsync(code!, System.Security.Cryptography.SHA256.HashData(message), TestContext.Current.CancellationToken);
        Assert.True(read.Succeeded);
        return read.Proof ?? throw new InvalidOperationException("The card has no 券面AP internal-authentication key.");
    }

    public static object ProofBody(VisualCardProof proof) => new
    {
        certificate = Base64Url.EncodeToString(proof.Certificate),
        signature = Base64Url.EncodeToString(proof.Signature),
        cardFace = Base64Url.EncodeToString(proof.CardFaceRecord),
    };

    public static object VisualBody(Guid challengeId, byte[] certificate, VisualCardProof? proof, string purpose = "outpatient", object? consents = null,
        object? attestation = null, string? prescriptionIssue = null) => new
    {
        challengeId,
        purpose,
        method = "visual",
        certificate = Base64Url.EncodeToString(certificate),
        signature = (string?)null,
        visualAttestation = attestation ?? new { photoMatchesPatient = true },
        consents = consents ?? new { pharmacy = true },
        comprehensiveConsent = false,
        cardProof = proof is null ? null : ProofBody(proof),
        prescriptionIssue,
    };

    /// <summary>A whole 目視確認 confirmation with the card present: challenge, card proof, POST.</summary>
    public static async Task<AppResponse> ConfirmVisuallyAsync(this AppClient app, Clinic clinic, CardImage card, string purpose = "outpatient", object? consents = null)
    {
        var (id, challenge) = await app.ChallengeAsync(purpose);
        var proof = await ProvePresenceAsync(card, challenge, clinic.Code, app.Thumbprint, ToJpkiPurpose(purpose));
        return await app.ConfirmAsync(VisualBody(id, card.AuthCertificate, proof, purpose, consents));
    }

    public static AuthenticationPurpose ToJpkiPurpose(string purpose) =>
        purpose switch { "homeVisit" => AuthenticationPurpose.HomeVisit, "online" => AuthenticationPurpose.Online, _ => AuthenticationPurpose.Outpatient };

    public static object PinBody(Guid challengeId, byte[] certificate, byte[] signature, string purpose = "outpatient", object? consents = null, bool comprehensive = false) => new
    {
        challengeId,
        purpose,
        method = "pin",
        certificate = Base64Url.EncodeToString(certificate),
        signature = Base64Url.EncodeToString(signature),
        visualAttestation = (object?)null,
        consents = consents ?? new { pharmacy = true, diagnosis = false, checkup = true, operation = (bool?)null },
        comprehensiveConsent = comprehensive,
    };

    public static Task<AppResponse> ConfirmAsync(this AppClient app, object body, Guid? idempotencyKey = null) =>
        app.PostAsync("/confirmations", body, headers: new Dictionary<string, string> { ["Idempotency-Key"] = (idempotencyKey ?? Guid.NewGuid()).ToString() });

    /// <summary>A whole PIN-mode confirmation: challenge, card signature, POST.</summary>
    public static async Task<AppResponse> ConfirmWithPinAsync(this AppClient app, Clinic clinic, CardImage card, string purpose = "outpatient", object? consents = null, Guid? idempotencyKey = null)
    {
        var (id, challenge) = await app.ChallengeAsync(purpose);
        var (certificate, signature) = await SignAsync(card, challenge, clinic.Code, app.Thumbprint, ToJpkiPurpose(purpose));
        return await app.ConfirmAsync(PinBody(id, certificate, signature, purpose, consents), idempotencyKey);
    }
}
