using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.XPath;
using Microsoft.EntityFrameworkCore;
using Onshi.Card.Issuing;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Responses;
using Onshi.Server.CardLinks;
using Onshi.Server.Common;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Receipt;

/// <summary>App confirmations made through the real app API reach the レセコン: the feed, and face files via the agent.</summary>
public abstract class FaceFeedTests(PortalFixture portal)
{
    [Fact]
    public async Task AFaceFileAppearsAfterAnAppConfirmation()
    {
        using var clinic = await portal.ClinicAsync();
        var machine = await portal.MachineAsync(clinic.Institution);
        var person = await portal.PersonAsync(name: "佐藤 花子");
        await using var agent = portal.Agent(machine, feedPollMilliseconds: 100);
        agent.Start();
        await Task.Delay(300, TestContext.Current.CancellationToken); // the agent has polled the (empty) feed

        using var app = await portal.ReadyAppAsync(clinic);
        var confirmation = await ConfirmAsync(app, person, "outpatient");
        // Polled with a generous bound so a loaded CI machine cannot fail it; the latency (about one feed poll, 100 ms
        // here) is printed as a measurement, not asserted against the wall clock.
        var watch = Stopwatch.StartNew();
        string? face = null;
        for (var poll = 0; poll < 3000 && face is null; poll++)
        {
            face = Directory.GetFiles(agent.Folders.Face, "OQSsiquc01res_face_*.xml").SingleOrDefault();
            if (face is null)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(face is not null, "No face file within 30 s of the confirmation.");
        TestContext.Current.TestOutputHelper?.WriteLine($"face file after {watch.ElapsedMilliseconds} ms");
        var name = OqsFaceFileName.Parse(Path.GetFileName(face)).Value!;
        Assert.Equal(clinic.Code, name.Institution.Value);
        Assert.Equal(22, name.Token.Length);
        var response = AgentFolderTests.Check<QualificationConfirmationResponse>(await File.ReadAllBytesAsync(face, TestContext.Current.CancellationToken), OqsCharacterEncoding.Utf8, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal("1", response.Header.ReferenceClassification);

        // The header dates the confirmation itself (the file name's JST time comes from the confirmation), not the
        // agent's write: 資格確認日 present, 処理実行日時 = the confirmation time.
        Assert.Equal(name.JapanTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), response.Header.QualificationConfirmationDate);
        Assert.Equal(name.JapanTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), response.Header.ProcessExecutionTime);
        using var faceReader = XmlReader.Create(new StringReader(await File.ReadAllTextAsync(face, TestContext.Current.CancellationToken)), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var xpath = new XPathDocument(faceReader).CreateNavigator();
        Assert.Equal(response.Header.QualificationConfirmationDate, xpath.SelectSingleNode("/XmlMsg/MessageHeader/QualificationConfirmationDate")?.Value);
        Assert.Equal("佐藤 花子", xpath.SelectSingleNode("/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/Name")?.Value);
        Assert.Equal("1", response.Body.QualificationValidity);
        var result = Assert.Single(response.Body.Results);
        Assert.Equal("佐藤 花子", result.Name);
        Assert.Equal("1", result.PharmacistsInfoConsFlg);
        Assert.Equal("0", result.DiagnosisInfoConsFlg);
        Assert.Equal(confirmation.Replace("-", "", StringComparison.Ordinal), result.QualificationConfirmationKey);

        // A restart does not write it again.
        await agent.StopAsync();
        agent.Start();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(Directory.GetFiles(agent.Folders.Face, "OQS*"));
    }

    [Fact]
    public async Task TheFeedTellsTheReceiptComputerHowEachPatientWasIdentified()
    {
        using var clinic = await portal.ClinicAsync();
        var machine = await portal.MachineAsync(clinic.Institution);
        using var http = portal.MachineClient(machine);
        using var app = await portal.ReadyAppAsync(clinic);
        var visual = await ConfirmAsync(app, await portal.PersonAsync(name: "目視 花子"), "outpatient");
        await portal.LoadCrlAsync();
        var patient = await portal.PatientAsync();
        var pin = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.Equal(HttpStatusCode.Created, pin.Status);

        var (status, body) = await http.SendJsonAsync(HttpMethod.Get, "/confirmations/feed?after=0&limit=50");

        Assert.Equal(HttpStatusCode.OK, status);
        var methods = body!["entries"]!.AsArray().ToDictionary(e => e!["confirmationId"]!.GetValue<string>(), e => e!["method"]!.GetValue<string>());
        Assert.Equal("visual", methods[visual]);
        Assert.Equal("pin", methods[pin.Str("confirmationId")]);
    }

    [Fact]
    public async Task TheFeedCursorNeverSkipsAConfirmationCommittedByConcurrentWriters()
    {
        using var clinic = await portal.ClinicAsync(homeVisit: true);
        var machine = await portal.MachineAsync(clinic.Institution);
        using var http = portal.MachineClient(machine);
        var persons = new List<SeededPerson>();
        for (var i = 0; i < 3; i++)
        {
            persons.Add(await portal.PersonAsync());
        }

        var apps = new List<AppClient>();
        for (var i = 0; i < 3; i++)
        {
            var code = i == 0 ? null : await ActivationCodes.ActivationCodeTests.IssueAsync(clinic.Admin, "端末" + i);
            apps.Add(await portal.ReadyAppAsync(clinic, code));
        }

        var seen = new List<long>();
        var ids = new HashSet<string>();
        long cursor = 0;
        var writers = Task.WhenAll(apps.Select((app, i) => ConfirmManyAsync(app, persons[i], 3)));
        while (!writers.IsCompleted || ids.Count < 9)
        {
            var (status, body) = await http.SendJsonAsync(HttpMethod.Get, $"/confirmations/feed?after={cursor}&limit=2");
            Assert.Equal(HttpStatusCode.OK, status);
            foreach (var entry in body!["entries"]!.AsArray())
            {
                seen.Add(entry!["cursor"]!.GetValue<long>());
                Assert.True(ids.Add(entry["confirmationId"]!.GetValue<string>()), "A confirmation came twice.");
            }

            cursor = body["nextCursor"]!.GetValue<long>();
            if (writers.IsFaulted)
            {
                await writers;
            }
        }

        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), seen);
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().CountAsync(c => c.InstitutionId == clinic.Institution.Id));
        Assert.Equal(9, stored);
        foreach (var app in apps)
        {
            app.Dispose();
        }
    }

    [Fact]
    public async Task ConsentedHomeVisitResultsComeFromTheAppConfirmationsInTwoPhases()
    {
        using var clinic = await portal.ClinicAsync(homeVisit: true);
        var machine = await portal.MachineAsync(clinic.Institution);
        var person = await portal.PersonAsync(name: "訪問 次郎");
        using var app = await portal.ReadyAppAsync(clinic);
        await ConfirmAsync(app, person, "homeVisit");
        await ConfirmAsync(app, await portal.PersonAsync(name: "外来 三郎"), "outpatient");

        await using var agent = portal.Agent(machine);
        agent.Start();
        var request = new OqsXml.Requests.ConsentedQualificationBulkRequest
        {
            Header = new OqsXml.Requests.OqsRequestHeader { MedicalInstitutionCode = machine.Institution.Code },
            Search = new OqsXml.Requests.ConsentedQualificationSearch { ExaminationDateFrom = "20250601", ExaminationDateTo = "20250602", MedicalTreatmentFlag = "2" },
        };
        var result = await AgentFolderTests.BulkAsync<BulkQualificationResultResponse>(agent, machine, "OQSmuhvq", request, OqsCharacterEncoding.ShiftJis);
        var unit = Assert.Single(result.Units);
        Assert.Equal("訪問 次郎", Assert.Single(unit.Results).Name);
    }

    [Fact]
    public async Task TheFeedAnswersConsentAsOfTheReadWhileTheStoredAnswerStaysAsGiven()
    {
        using var clinic = await portal.ClinicAsync(homeVisit: true);
        var machine = await portal.MachineAsync(clinic.Institution);
        using var http = portal.MachineClient(machine);
        var person = await portal.PersonAsync(name: "取消 花子");
        await portal.QueryAsync(db => db.Qualifications.Where(q => q.PersonId == person.PersonId)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.CardIssuedOn, new DateOnly(2020, 4, 3))));
        using var app = await portal.ReadyAppAsync(clinic);
        var id = await ConfirmAsync(app, person, "homeVisit");

        var before = await FeedResultAsync(http, id);
        Assert.Equal("1", before["pharmacistsInfoConsFlg"]?.GetValue<string>());
        Assert.Equal("0", before["diagnosisInfoConsFlg"]?.GetValue<string>());
        Assert.Null(before["specificHealthCheckupsInfoConsFlg"]);

        // 交付年月日 is not part of the app's answer; the 連携 result maps it from the stored domain snapshot.
        Assert.Equal("20200403", before["insuredCertificateIssuanceDate"]?.GetValue<string>());

        // 同意取消 by the institution's administrator, through the portal as staff do it.
        using var admin = portal.NewClient();
        Assert.Equal("/", (await admin.LogInAsync(clinic.Code, clinic.Institution.AdministratorUserId, PortalFixture.StrongPassword)).RedirectPath);
        var detail = await admin.GetAsync($"/AppConfirmations/Detail?id={id}");
        var withdrawn = await admin.PostAsync($"/AppConfirmations/Detail?handler=Withdraw&id={id}", PortalClient.Form(("id", id), ("type", "Pharmacy"), ("purpose", "HomeVisit"),
            ("__RequestVerificationToken", detail.AntiforgeryToken!)));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.Status);
        Assert.Contains("consent.withdrawn", (await admin.GetAsync(withdrawn.RedirectPath!)).Codes);

        var after = await FeedResultAsync(http, id);
        Assert.Equal("2", after["pharmacistsInfoConsFlg"]?.GetValue<string>());
        Assert.Null(after["pharmacistsInfoAvailableTime"]);
        Assert.Equal(before["pharmacistsInfoConsTime"]?.GetValue<string>(), after["pharmacistsInfoConsTime"]?.GetValue<string>());
        Assert.Equal("0", after["diagnosisInfoConsFlg"]?.GetValue<string>());

        // The answer as given stays for audit: the app's stored JSON still says the patient consented then.
        var stored = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(id)).Select(c => c.ResultJson).SingleAsync());
        Assert.True(System.Text.Json.Nodes.JsonNode.Parse(stored)!["consents"]!["pharmacy"]!["given"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnInstitutionThatPrescribesNeedsThePatientsPrescriptionChoiceAndPassesItToTheReceiptComputer()
    {
        using var clinic = await portal.ClinicAsync(homeVisit: true);
        Assert.Equal(1, await portal.QueryAsync(db => db.InstitutionSettings.IgnoreQueryFilters().Where(s => s.InstitutionId == clinic.Institution.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IssuesPrescriptions, true))));
        var machine = await portal.MachineAsync(clinic.Institution);
        using var http = portal.MachineClient(machine);
        var person = await portal.PersonAsync(name: "処方 花子");
        await using var agent = portal.Agent(machine, feedPollMilliseconds: 100);
        agent.Start();
        using var app = await portal.ReadyAppAsync(clinic);

        // The app learns that it must ask, from the session's current state.
        var current = await app.GetAsync("/sessions/current");
        Assert.True(current.Body!["asksPrescriptionIssue"]!.GetValue<bool>());

        var missing = await SendConfirmationAsync(app, person, "outpatient", prescriptionIssue: null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Status);
        Assert.Equal("confirmation.prescription_issue_required", missing.Code);
        var unknown = await SendConfirmationAsync(app, person, "outpatient", prescriptionIssue: "fax");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        Assert.Equal("confirmation.prescription_issue_unknown", unknown.Code);
        Assert.Contains("紙の処方箋", unknown.Detail!, StringComparison.Ordinal);

        var confirmed = await SendConfirmationAsync(app, person, "outpatient", prescriptionIssue: "electronic");
        Assert.Equal(HttpStatusCode.Created, confirmed.Status);
        Assert.Equal("electronic", confirmed.Str("prescriptionIssue"));
        var id = confirmed.Str("confirmationId");

        // Stored with the snapshot, written as OQSCD017 1 電子処方箋 beside QualificationValidity in the 連携 result.
        var snapshot = await portal.QueryAsync(db => db.AppConfirmations.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(id)).Select(c => c.SnapshotJson).SingleAsync());
        Assert.Equal("1", System.Text.Json.Nodes.JsonNode.Parse(snapshot)!["prescriptionIssue"]!.GetValue<string>());
        var (status, body) = await http.SendJsonAsync(HttpMethod.Get, "/confirmations/feed?after=0&limit=50");
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = body!["entries"]!.AsArray().Single(e => e!["confirmationId"]!.GetValue<string>() == id)!;
        Assert.Equal("1", entry["result"]!["prescriptionIssueSelect"]!.GetValue<string>());

        // The face file the agent writes, read back at the public path (oqs-system.md §3.5, MessageBody).
        string? face = null;
        for (var poll = 0; poll < 3000 && face is null; poll++)
        {
            face = Directory.GetFiles(agent.Folders.Face, "OQSsiquc01res_face_*.xml").SingleOrDefault();
            if (face is null)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(face is not null, "No face file within 30 s of the confirmation.");
        using var faceReader = XmlReader.Create(new StringReader(await File.ReadAllTextAsync(face, TestContext.Current.CancellationToken)), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var xpath = new XPathDocument(faceReader).CreateNavigator();
        Assert.Equal("1", xpath.SelectSingleNode("/XmlMsg/MessageBody/PrescriptionIssueSelect")?.Value);
        Assert.Equal("QualificationValidity", xpath.SelectSingleNode("/XmlMsg/MessageBody/PrescriptionIssueSelect/preceding-sibling::*[1]")?.Name);
    }

    [Fact]
    public async Task APharmacyIsNeitherAskedNorStoresAPrescriptionChoice()
    {
        using var clinic = await portal.ClinicAsync();
        var machine = await portal.MachineAsync(clinic.Institution);
        using var http = portal.MachineClient(machine);
        using var app = await portal.ReadyAppAsync(clinic);
        var current = await app.GetAsync("/sessions/current");
        Assert.False(current.Body!["asksPrescriptionIssue"]!.GetValue<bool>());

        var confirmed = await SendConfirmationAsync(app, await portal.PersonAsync(name: "薬局 次郎"), "outpatient", prescriptionIssue: "paper");

        Assert.Equal(HttpStatusCode.Created, confirmed.Status);
        Assert.Null(confirmed.Body!["prescriptionIssue"]);
        var (_, body) = await http.SendJsonAsync(HttpMethod.Get, "/confirmations/feed?after=0&limit=50");
        var entry = body!["entries"]!.AsArray().Single(e => e!["confirmationId"]!.GetValue<string>() == confirmed.Str("confirmationId"))!;
        Assert.Null(entry["result"]!["prescriptionIssueSelect"]);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> FeedResultAsync(HttpClient http, string confirmationId)
    {
        var (status, body) = await http.SendJsonAsync(HttpMethod.Get, "/confirmations/feed?after=0&limit=200");
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = body!["entries"]!.AsArray().Single(e => e!["confirmationId"]!.GetValue<string>() == confirmationId);
        return entry!["result"]!["results"]!.AsArray().Single()!;
    }

    /// <summary>The server refuses identification without a revocation list of the anchor (fail closed): load the test CA's once.</summary>
    private async Task EnsureRevocationListAsync()
    {
        if (!await portal.QueryAsync(db => db.RevocationLists.AnyAsync()))
        {
            await portal.LoadCrlAsync();
        }
    }

    private async Task ConfirmManyAsync(AppClient app, SeededPerson person, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ConfirmAsync(app, person, "outpatient", link: i == 0);
        }
    }

    private readonly Dictionary<long, Onshi.Card.Virtual.CardImage> _cards = [];

    /// <summary>A 目視確認 confirmation through the real app API (challenge, certificate, attestation, consents).</summary>
    private async Task<string> ConfirmAsync(AppClient app, SeededPerson person, string purpose, bool link = true)
    {
        var confirmed = await SendConfirmationAsync(app, person, purpose, prescriptionIssue: null, link);
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());
        return confirmed.Str("confirmationId");
    }

    private async Task<AppResponse> SendConfirmationAsync(AppClient app, SeededPerson person, string purpose, string? prescriptionIssue, bool link = true)
    {
        await EnsureRevocationListAsync();
        Onshi.Card.Virtual.CardImage card;
        lock (_cards)
        {
            if (!_cards.TryGetValue(person.PersonId, out card!))
            {
                card = TestJpki.Issue(new CardIssueRequest { Name = "山田 太郎", Address = "東京都千代田区千代田1-1", BirthDate = person.Birthdate }, portal.Time);
                _cards[person.PersonId] = card;
                link = true;
            }
            else
            {
                link = false;
            }
        }

        if (link)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(card.AuthCertificate);
            var linked = await portal.WithServiceAsync<LinkCard, OperationResult<CardLink>>(l =>
                l.ExecuteAsync(person.PersonId, TestJpki.LinkageKey(card), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), TestContext.Current.CancellationToken));
            Assert.True(linked.Succeeded, linked.Refusal?.Code);
        }

        var (challengeId, challenge) = await app.ChallengeAsync(purpose);
        var proof = await Patients.ProvePresenceAsync(card, challenge, app.InstitutionCode!, app.Thumbprint, Patients.ToJpkiPurpose(purpose));
        return await app.ConfirmAsync(Patients.VisualBody(challengeId, card.AuthCertificate, proof, purpose,
            consents: new { pharmacy = true, diagnosis = false, checkup = (bool?)null, operation = (bool?)null }, prescriptionIssue: prescriptionIssue));
    }
}

public sealed class FaceFeedTestsOnSqlite(SqlitePortal portal) : FaceFeedTests(portal), IClassFixture<SqlitePortal>;

public sealed class FaceFeedTestsOnPostgres(PostgresPortal portal) : FaceFeedTests(portal), IClassFixture<PostgresPortal>;
