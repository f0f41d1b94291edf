using System.Diagnostics;
using System.Globalization;
using System.Text;
using Onshi.Agent;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;
using Onshi.Server.Tests.Hosting;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Insurance;

namespace Onshi.Server.Tests.Receipt;

/// <summary>
/// The agent end to end: real request files (UTF-8 and Shift_JIS bytes) in a temporary OQS folder, the real agent, the
/// real server in-process over HTTP, real responses checked by the independent layout checker.
/// </summary>
public abstract class AgentFolderTests(PortalFixture portal)
{
    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    public static TheoryData<OqsCharacterEncoding> Encodings => new(OqsCharacterEncoding.Utf8, OqsCharacterEncoding.ShiftJis);

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task AnswersAQualificationRequestInTheEncodingOfTheRequestWithLimitInformation(OqsCharacterEncoding encoding)
    {
        var machine = await portal.MachineAsync();
        var person = await portal.PersonAsync(name: "髙橋 ①子");
        await using var agent = portal.Agent(machine);
        agent.Start();

        var request = Single(machine, person);
        agent.WriteRequest("OQSsiquc01req_202506020001.xml", OqsRequestWriter.Write(request, encoding).Content.Span);
        var bytes = await agent.ResponseAsync("OQSsiquc01res_202506020001.xml");

        var response = Check<QualificationConfirmationResponse>(bytes, encoding, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal(encoding.Identifier(), response.Header.CharacterCodeIdentifier);
        Assert.Equal("1", response.Header.SegmentOfResult);
        Assert.Equal("2", response.Header.ReferenceClassification);
        Assert.Equal(machine.Institution.Code, response.Header.MedicalInstitutionCode);
        Assert.Equal("1", response.Body.ProcessingResultStatus);
        Assert.Equal("1", response.Body.QualificationValidity);
        var result = Assert.Single(response.Body.Results);
        Assert.Equal("髙橋 ①子", result.Name);
        Assert.Equal("A03", result.LimitApplicationCertificateRelatedInfo!.LimitApplicationCertificateClassificationFlag);
        Assert.Equal("1", result.LimitApplicationCertificateRelatedConsFlg);
        Assert.Equal("ID-1", result.ArbitraryIdentifier);
        await WaitUntilAsync(() => File.Exists(Path.Combine(agent.Folders.Trash, "OQSsiquc01req_202506020001.xml")));
        Assert.False(File.Exists(Path.Combine(agent.Folders.Requests, "OQSsiquc01req_202506020001.xml")));
        Assert.Empty(Directory.GetFiles(agent.Folders.Responses, OqsFolders.TempPrefix + "*"));
    }

    [Fact]
    public async Task AnswersARequestFromANewerRecetaComputerAndLogsTheElementsItDidNotUnderstand()
    {
        var machine = await portal.MachineAsync();
        var person = await portal.PersonAsync();
        var logs = new CapturingLoggerProvider();
        await using var agent = portal.Agent(machine, logs: logs);
        agent.Start();

        var xml = Encoding.UTF8.GetString(OqsRequestWriter.Write(Single(machine, person), OqsCharacterEncoding.Utf8).Content.Span)
            .Replace("</MessageHeader>", "<ResponseCompressionKind>zip</ResponseCompressionKind></MessageHeader>", StringComparison.Ordinal);
        agent.WriteRequest("OQSsiquc01req_newer.xml", Encoding.UTF8.GetBytes(xml));
        var response = Check<QualificationConfirmationResponse>(
            await agent.ResponseAsync("OQSsiquc01res_newer.xml"), OqsCharacterEncoding.Utf8, OqsMessageKind.QualificationConfirmationResponse);

        Assert.Equal("1", response.Header.SegmentOfResult);
        Assert.Equal("1", response.Body.QualificationValidity);
        Assert.Contains(logs.Lines, line => line.Contains("OQSsiquc01req_newer.xml", StringComparison.Ordinal)
            && line.Contains("XmlMsg/MessageHeader/ResponseCompressionKind", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("zip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindsANationalHealthInsuranceCardWhoseSixDigitInsurerNumberIsPaddedToEight()
    {
        var machine = await portal.MachineAsync();
        var person = await portal.PersonAsync(InsuranceSeed.Kokuho);
        await using var agent = portal.Agent(machine);
        agent.Start();

        var padded = person.Insurer.ToPaddedString();
        Assert.Equal("  " + person.Insurer.Value, padded);
        var request = Single(machine, person) with { SearchInfo = Single(machine, person).SearchInfo! with { InsurerNumber = padded } };
        agent.WriteRequest("OQSsiquc01req_kokuho.xml", OqsRequestWriter.Write(request, OqsCharacterEncoding.ShiftJis).Content.Span);
        var response = Check<QualificationConfirmationResponse>(await agent.ResponseAsync("OQSsiquc01res_kokuho.xml"), OqsCharacterEncoding.ShiftJis, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal("1", response.Body.QualificationValidity);
        Assert.Equal(padded, Assert.Single(response.Body.Results).InsurerNumber);
        Assert.Equal(padded, response.Body.SearchInfo!.InsurerNumber);
    }

    [Fact]
    public async Task AnswersAnUnknownPersonWithValidityFourAndABadRowWithStatusTwo()
    {
        var machine = await portal.MachineAsync();
        var person = await portal.PersonAsync();
        await using var agent = portal.Agent(machine);
        agent.Start();

        var unknown = Single(machine, person with { Number = "99999999" });
        agent.WriteRequest("OQSsiquc01req_unknown.xml", OqsRequestWriter.Write(unknown, OqsCharacterEncoding.Utf8).Content.Span);
        var badDate = Single(machine, person) with { SearchInfo = Single(machine, person).SearchInfo! with { Birthdate = "19800230" } };
        agent.WriteRequest("OQSsiquc01req_baddate.xml", OqsRequestWriter.Write(badDate, OqsCharacterEncoding.Utf8).Content.Span);

        var four = Check<QualificationConfirmationResponse>(await agent.ResponseAsync("OQSsiquc01res_unknown.xml"), OqsCharacterEncoding.Utf8, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal("4", four.Body.QualificationValidity);
        Assert.Empty(four.Body.Results);
        var two = Check<QualificationConfirmationResponse>(await agent.ResponseAsync("OQSsiquc01res_baddate.xml"), OqsCharacterEncoding.Utf8, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal("1", two.Header.SegmentOfResult);
        Assert.Equal("2", two.Body.ProcessingResultStatus);
        Assert.Equal("ONSX0104", two.Body.ProcessingResultCode);
    }

    [Theory]
    [InlineData("malformed", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><MedicalInstitutionCode>", "ONSX0010")]
    [InlineData("unknown", "<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?><XmlMsg><MessageHeader><QualificationConfirmationDate>20250602</QualificationConfirmationDate><MedicalInstitutionCode>{code}</MedicalInstitutionCode></MessageHeader><MessageBody><QualificationConfirmSearchInfo><Favourite>x</Favourite></QualificationConfirmSearchInfo></MessageBody></XmlMsg>", "ONSX0013")]
    [InlineData("doctype", "<?xml version=\"1.0\"?><!DOCTYPE XmlMsg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><XmlMsg>&x;</XmlMsg>", "ONSX0011")]
    public async Task AnswersAnUnreadableRequestWithSegmentNineAndKeepsItInTheErrorFolder(string tag, string xml, string wireCode)
    {
        var machine = await portal.MachineAsync();
        await using var agent = portal.Agent(machine);
        agent.Start();

        var text = xml.Replace("{code}", machine.Institution.Code, StringComparison.Ordinal);
        var encoding = text.Contains("Shift_JIS", StringComparison.Ordinal) ? OqsCharacterEncoding.ShiftJis : OqsCharacterEncoding.Utf8;
        var bytes = (encoding == OqsCharacterEncoding.ShiftJis ? ShiftJis : Encoding.UTF8).GetBytes(text);
        agent.WriteRequest($"OQSsiquc01req_{tag}.xml", bytes);
        var response = Check<QualificationConfirmationResponse>(await agent.ResponseAsync($"OQSsiquc01res_{tag}.xml"), encoding, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal("9", response.Header.SegmentOfResult);
        Assert.Equal(wireCode, response.Header.ErrorCode);
        Assert.False(string.IsNullOrEmpty(response.Header.ErrorMessage));
        await WaitUntilAsync(() => File.Exists(Path.Combine(agent.Folders.Error, $"OQSsiquc01req_{tag}.xml")));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(agent.Folders.Error, $"OQSsiquc01req_{tag}.xml"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnswersARequestForAnotherInstitutionWithSegmentNine()
    {
        var machine = await portal.MachineAsync();
        var other = await portal.CreateInstitutionAsync();
        var person = await portal.PersonAsync();
        await using var agent = portal.Agent(machine);
        agent.Start();

        var request = Single(machine, person) with { Header = new OqsRequestHeader { QualificationConfirmationDate = "20250602", MedicalInstitutionCode = other.Code } };
        agent.WriteRequest("OQSsiquc01req_other.xml", OqsRequestWriter.Write(request, OqsCharacterEncoding.Utf8).Content.Span);
        var response = Check<QualificationConfirmationResponse>(await agent.ResponseAsync("OQSsiquc01res_other.xml"), OqsCharacterEncoding.Utf8, OqsMessageKind.QualificationConfirmationResponse);
        Assert.Equal("9", response.Header.SegmentOfResult);
        Assert.Equal("ONSR0003", response.Header.ErrorCode);
        Assert.Empty(response.Body.Results);
    }

    [Fact]
    public async Task RegistersReferenceNumbersSinglyAndInBulkAndReturnsThemInLaterResults()
    {
        var machine = await portal.MachineAsync();
        var first = await portal.PersonAsync();
        var second = await portal.PersonAsync(InsuranceSeed.Kokuho);
        await using var agent = portal.Agent(machine);
        agent.Start();

        var single = new ReferenceNumberRegistrationRequest
        {
            Header = new OqsRequestHeader { MedicalInstitutionCode = machine.Institution.Code },
            RegistrationInfo = Registration("P-0001", first),
        };
        agent.WriteRequest("OQSsiimm01req_1.xml", OqsRequestWriter.Write(single, OqsCharacterEncoding.ShiftJis).Content.Span);
        var registered = Check<ReferenceNumberRegistrationResponse>(await agent.ResponseAsync("OQSsiimm01res_1.xml"), OqsCharacterEncoding.ShiftJis, OqsMessageKind.ReferenceNumberRegistrationResponse);
        Assert.Equal("1", registered.Body.ProcessingResultStatus);

        var bulk = new BulkReferenceNumberRegistrationRequest
        {
            Header = new OqsRequestHeader { MedicalInstitutionCode = machine.Institution.Code },
            RegistrationInfos = new[] { Registration("P-0002", second), Registration("P-0003", second with { Number = "77777777" }) },
        };
        var units = await BulkAsync<BulkRegistrationResultResponse>(agent, machine, "OQSmuimm", bulk, OqsCharacterEncoding.Utf8);
        Assert.Equal(["1", "2"], units.Units.Select(u => u.ProcessingResultStatus));
        Assert.Equal("ONSR0101", units.Units[1].ProcessingResultCode);
        Assert.Equal("2", units.Header.NumberOfProcessingResult);
        Assert.Equal("1", units.Header.NumberOfError);

        agent.WriteRequest("OQSsiquc01req_after.xml", OqsRequestWriter.Write(Single(machine, second), OqsCharacterEncoding.Utf8).Content.Span);
        var later = Check<QualificationConfirmationResponse>(await agent.ResponseAsync("OQSsiquc01res_after.xml"), OqsCharacterEncoding.Utf8, OqsMessageKind.QualificationConfirmationResponse);
        // 照会番号 is one per person, at MessageBody level (docs/receipt-xml.md), not inside each qualification.
        Assert.Equal("P-0002", later.Body.ReferenceNumber);
        Assert.Null(Assert.Single(later.Body.Results).ReferenceNumber);
    }

    [Fact]
    public async Task ConfirmsInBulkInTwoPhasesWithSegmentTwoWhileProcessing()
    {
        var machine = await portal.MachineAsync();
        var persons = new[] { await portal.PersonAsync(), await portal.PersonAsync(InsuranceSeed.Kokuho) };
        await using var agent = portal.Agent(machine);
        agent.Start();

        var bulk = new BulkQualificationConfirmationRequest
        {
            Header = new OqsRequestHeader { QualificationConfirmationDate = "20250602", MedicalInstitutionCode = machine.Institution.Code },
            SearchInfos = persons.Select(p => Single(machine, p).SearchInfo!).Append(Single(machine, persons[0]).SearchInfo! with { InsuredBranchNumber = "1" }).ToArray(),
        };
        var result = await BulkAsync<BulkQualificationResultResponse>(agent, machine, "OQSmuquc", bulk, OqsCharacterEncoding.ShiftJis);
        Assert.Equal(["1", "1", "2"], result.Units.Select(u => u.ProcessingResultStatus));
        Assert.Equal(persons[1].Insurer.ToPaddedString(), result.Units[1].Results[0].InsurerNumber);
        Assert.Equal("ONSX0103", result.Units[2].ProcessingResultCode);
    }

    [Fact]
    public async Task AnUnknownReceptionNumberIsAnsweredWithSegmentNine()
    {
        var machine = await portal.MachineAsync();
        await using var agent = portal.Agent(machine);
        agent.Start();
        var download = new BulkResultRequest { Header = new OqsRequestHeader { MedicalInstitutionCode = machine.Institution.Code }, ReceptionNumber = "0123456789ABCDEF" };
        agent.WriteRequest("OQSmuquc02req_x.xml", OqsRequestWriter.Write(download, OqsCharacterEncoding.Utf8).Content.Span);
        var response = Check<BulkQualificationResultResponse>(await agent.ResponseAsync("OQSmuquc02res_x.xml"), OqsCharacterEncoding.Utf8, OqsMessageKind.BulkQualificationResultResponse);
        Assert.Equal("9", response.Header.SegmentOfResult);
        Assert.Equal("ONSR0004", response.Header.ErrorCode);
    }

    [Fact]
    public async Task ARestartMidStreamNeitherLosesNorRepeatsAResponse()
    {
        var machine = await portal.MachineAsync();
        var person = await portal.PersonAsync();
        var agent = portal.Agent(machine);
        await using (agent)
        {
            agent.Folders.EnsureExist();
            const int Count = 12;
            for (var i = 0; i < Count; i++)
            {
                agent.WriteRequest(string.Create(CultureInfo.InvariantCulture, $"OQSsiquc01req_r{i:D2}.xml"), OqsRequestWriter.Write(Single(machine, person), OqsCharacterEncoding.Utf8).Content.Span);
            }

            // First run: killed as soon as some (not all) responses exist.
            agent.Start();
            await agent.ResponseAsync("OQSsiquc01res_r00.xml");
            await agent.StopAsync();
            var firstRun = Directory.GetFiles(agent.Folders.Responses, "OQS*").Length;

            // A レセコン collects one response while the agent is down: it must not be written again.
            File.Move(Path.Combine(agent.Folders.Responses, "OQSsiquc01res_r00.xml"), Path.Combine(agent.Folders.Root, "collected-r00.xml"));

            agent.Start();
            for (var i = 1; i < Count; i++)
            {
                await agent.ResponseAsync(string.Create(CultureInfo.InvariantCulture, $"OQSsiquc01res_r{i:D2}.xml"));
            }

            await WaitUntilAsync(() => Directory.GetFiles(agent.Folders.Requests).Length == 0);
            // Two more complete passes over the folder, counted, not timed: after them nothing more may appear.
            var scans = agent.RequestScansCompleted;
            await WaitUntilAsync(() => agent.RequestScansCompleted >= scans + 2, timeoutMilliseconds: 60_000);
            Assert.True(firstRun >= 1);
            Assert.False(File.Exists(Path.Combine(agent.Folders.Responses, "OQSsiquc01res_r00.xml")));
            Assert.Equal(Count - 1, Directory.GetFiles(agent.Folders.Responses, "OQS*").Length);
            Assert.Equal(Count, Directory.GetFiles(agent.Folders.Trash).Length);
            Assert.Empty(Directory.GetFiles(agent.Folders.Responses, OqsFolders.TempPrefix + "*"));
        }
    }

    internal static QualificationConfirmationRequest Single(Machine machine, SeededPerson person) => new()
    {
        Header = new OqsRequestHeader { QualificationConfirmationDate = "20250602", MedicalInstitutionCode = machine.Institution.Code, ArbitraryFileIdentifier = "F-1" },
        SearchInfo = new QualificationConfirmSearchInfo
        {
            InsurerNumber = person.Insurer.ToPaddedString(),
            InsuredCardSymbol = person.Symbol,
            InsuredIdentificationNumber = person.Number,
            InsuredBranchNumber = person.Branch,
            Birthdate = person.Birthdate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            LimitApplicationCertificateRelatedConsFlg = "1",
            ArbitraryIdentifier = "ID-1",
        },
    };

    private static ReferenceNumberRegistrationInfo Registration(string reference, SeededPerson person) => new()
    {
        ReferenceNumber = reference,
        InsurerNumber = person.Insurer.ToPaddedString(),
        InsuredCardSymbol = person.Symbol,
        InsuredIdentificationNumber = person.Number,
        InsuredBranchNumber = person.Branch,
    };

    /// <summary>The two-phase exchange as a レセコン does it: 01req → 01res (受付番号), then 02req until SegmentOfResult is 1.</summary>
    internal static async Task<T> BulkAsync<T>(TestAgent agent, Machine machine, string apiId, OqsRequest upload, OqsCharacterEncoding encoding, int timeoutMilliseconds = 60_000, int pollMilliseconds = 100)
        where T : OqsResponse
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        agent.WriteRequest($"{apiId}01req_{tag}.xml", OqsRequestWriter.Write(upload, encoding).Content.Span);
        var accepted = Check<BulkAcceptedResponse>(await agent.ResponseAsync($"{apiId}01res_{tag}.xml", timeoutMilliseconds), encoding, OqsMessageKind.BulkAcceptedResponse);
        Assert.Equal("1", accepted.Header.SegmentOfResult);
        var receptionNumber = accepted.Header.ReceptionNumber!;

        var kind = apiId == "OQSmuimm" ? OqsMessageKind.BulkRegistrationResultResponse : OqsMessageKind.BulkQualificationResultResponse;
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(Environment.TickCount64 < deadline, "The bulk result did not complete in time.");
            var download = new BulkResultRequest { Header = new OqsRequestHeader { MedicalInstitutionCode = machine.Institution.Code }, ReceptionNumber = receptionNumber };
            var name = string.Create(CultureInfo.InvariantCulture, $"{apiId}02req_{tag}_{attempt}.xml");
            agent.WriteRequest(name, OqsRequestWriter.Write(download, encoding).Content.Span);
            var response = Check<T>(await agent.ResponseAsync(name.Replace("02req_", "02res_", StringComparison.Ordinal), timeoutMilliseconds), encoding, kind);
            Assert.Equal(receptionNumber, response.Header.ReceptionNumber);
            if (response.Header.SegmentOfResult == "1")
            {
                return response;
            }

            Assert.Equal("2", response.Header.SegmentOfResult);
            await Task.Delay(pollMilliseconds, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The independent checker (every element against OqsLayouts), then the library's strict reader and rules.</summary>
    internal static T Check<T>(byte[] bytes, OqsCharacterEncoding encoding, OqsMessageKind kind)
        where T : OqsResponse
    {
        var text = encoding == OqsCharacterEncoding.ShiftJis ? ShiftJis : Encoding.UTF8;
        var checkedElements = LayoutConformance.Check(bytes, OqsLayouts.For(kind), text, encoding.DeclarationName());
        Assert.True(checkedElements >= 5);
        var read = OqsResponseReader.Read(bytes, kind);
        Assert.True(read.IsSuccess, read.Error?.ToString());
        Assert.Equal(encoding, read.Encoding);
        return Assert.IsType<T>(read.Response);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int timeoutMilliseconds = 10_000)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.ElapsedMilliseconds < timeoutMilliseconds, "Condition not reached in time.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class AgentFolderTestsOnSqlite(SqlitePortal portal) : AgentFolderTests(portal), IClassFixture<SqlitePortal>;

public sealed class AgentFolderTestsOnPostgres(PostgresPortal portal) : AgentFolderTests(portal), IClassFixture<PostgresPortal>;
