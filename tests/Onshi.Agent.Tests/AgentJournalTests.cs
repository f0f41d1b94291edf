using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Requests;

namespace Onshi.Agent.Tests;

/// <summary>
/// The agent's crash windows, reproduced with real files: the journal survives a restart (and a torn last line), a
/// response staged before a crash is renamed instead of answered again, a stray temporary file is discarded, and a
/// response name still taken in res/ is never overwritten. No server is needed: none of these paths may call it.
/// </summary>
public sealed class AgentJournalTests : IDisposable
{
    private readonly OqsFolders _folders = new(Path.Combine(Path.GetTempPath(), "onshi-agent-tests", Guid.NewGuid().ToString("N")));

    public AgentJournalTests() => _folders.EnsureExist();

    [Fact]
    public void TheJournalRemembersStagesAcrossARestartAndIgnoresATornLastLine()
    {
        using (var journal = new AgentJournal(_folders.State))
        {
            journal.Record("OQSsiquc01req_a.xml", "h1", RequestStage.ResponseStaged);
            journal.Record("OQSsiquc01req_b.xml", "h2", RequestStage.Answered);
            journal.Record("OQSsiquc01req_c.xml", "h3", RequestStage.Archived);
        }

        File.AppendAllText(Path.Combine(_folders.State, "requests.journal"), "2\tOQSsiquc01req_d.x", Encoding.UTF8);
        using var reopened = new AgentJournal(_folders.State);
        Assert.Equal(RequestStage.ResponseStaged, reopened.StageOf("OQSsiquc01req_a.xml", "h1"));
        Assert.Equal(RequestStage.Answered, reopened.StageOf("OQSsiquc01req_b.xml", "h2"));
        Assert.Equal(RequestStage.New, reopened.StageOf("OQSsiquc01req_c.xml", "h3"));
        Assert.Equal(RequestStage.New, reopened.StageOf("OQSsiquc01req_b.xml", "other-content"));
        Assert.Equal(2, reopened.Unfinished().Count);
    }

    [Fact]
    public void RecoveryRenamesAStagedResponseAndArchivesItsRequestWithoutAnsweringAgain()
    {
        File.WriteAllText(Path.Combine(_folders.Requests, "OQSsiquc01req_a.xml"), "request");
        File.WriteAllText(Path.Combine(_folders.Responses, OqsFolders.TempNameFor("OQSsiquc01res_a.xml")), "staged response");
        File.WriteAllText(Path.Combine(_folders.Responses, OqsFolders.TempNameFor("OQSsiquc01res_stray.xml")), "never committed");
        using var journal = new AgentJournal(_folders.State);
        journal.Record("OQSsiquc01req_a.xml", "h1", RequestStage.ResponseStaged);

        Processor(journal).Recover();

        Assert.Equal("staged response", File.ReadAllText(Path.Combine(_folders.Responses, "OQSsiquc01res_a.xml")));
        Assert.True(File.Exists(Path.Combine(_folders.Trash, "OQSsiquc01req_a.xml")));
        Assert.False(File.Exists(Path.Combine(_folders.Requests, "OQSsiquc01req_a.xml")));
        Assert.Empty(Directory.GetFiles(_folders.Responses, OqsFolders.TempPrefix + "*"));
        Assert.Equal(RequestStage.New, journal.StageOf("OQSsiquc01req_a.xml", "h1"));
        Assert.Empty(journal.Unfinished());
    }

    [Fact]
    public void RecoveryNeverOverwritesAResponseNameTheRecetaComputerHasNotCollected()
    {
        File.WriteAllText(Path.Combine(_folders.Responses, "OQSsiquc01res_a.xml"), "older response");
        File.WriteAllText(Path.Combine(_folders.Responses, OqsFolders.TempNameFor("OQSsiquc01res_a.xml")), "newer response");
        using var journal = new AgentJournal(_folders.State);
        journal.Record("OQSsiquc01req_a.xml", "h1", RequestStage.ResponseStaged);

        Processor(journal).Recover();
        Assert.Equal("older response", File.ReadAllText(Path.Combine(_folders.Responses, "OQSsiquc01res_a.xml")));
        Assert.Single(journal.Unfinished());

        File.Delete(Path.Combine(_folders.Responses, "OQSsiquc01res_a.xml")); // the レセコン collects it
        Processor(journal).Recover();
        Assert.Equal("newer response", File.ReadAllText(Path.Combine(_folders.Responses, "OQSsiquc01res_a.xml")));
        Assert.Empty(journal.Unfinished());
    }

    [Fact]
    public async Task AMalformedRequestIsAnsweredLocallyAndKeptInTheErrorFolder()
    {
        // The file never reaches the server: the client points nowhere, and any call would fail the test.
        using var journal = new AgentJournal(_folders.State);
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><XmlMsg><MessageHeader>");
        var path = Path.Combine(_folders.Requests, "OQSsiimm01req_bad.xml");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        Assert.True(await Processor(journal).ProcessFileAsync(path, TestContext.Current.CancellationToken));
        var response = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(_folders.Responses, "OQSsiimm01res_bad.xml"), TestContext.Current.CancellationToken));
        Assert.Contains("<SegmentOfResult>9</SegmentOfResult>", response, StringComparison.Ordinal);
        Assert.Contains("<ErrorCode>ONSX0010</ErrorCode>", response, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_folders.Error, "OQSsiimm01req_bad.xml"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AFileWithoutARequestNameIsMovedToTheErrorFolderAndNeverDeleted()
    {
        using var journal = new AgentJournal(_folders.State);
        var path = Path.Combine(_folders.Requests, "OQSxxxxx01req_?.xml".Replace("?", "a b", StringComparison.Ordinal));
        await File.WriteAllTextAsync(path, "x", TestContext.Current.CancellationToken);
        Assert.False(await Processor(journal).ProcessFileAsync(path, TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(_folders.Error, Path.GetFileName(path))));
        Assert.Empty(Directory.GetFiles(_folders.Responses));
    }

    [Fact]
    public async Task AShiftJisRequestGetsAShiftJisErrorResponse()
    {
        using var journal = new AgentJournal(_folders.State);
        var request = new QualificationConfirmationRequest { Header = new OqsRequestHeader { MedicalInstitutionCode = "123" } };
        var path = Path.Combine(_folders.Requests, "OQSsiquc01req_sjis.xml");
        await File.WriteAllBytesAsync(path, OqsRequestWriter.Write(request, OqsCharacterEncoding.ShiftJis).Content.ToArray(), TestContext.Current.CancellationToken);
        Assert.True(await Processor(journal).ProcessFileAsync(path, TestContext.Current.CancellationToken));
        var text = Encoding.ASCII.GetString(await File.ReadAllBytesAsync(Path.Combine(_folders.Responses, "OQSsiquc01res_sjis.xml"), TestContext.Current.CancellationToken));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>", text, StringComparison.Ordinal);
        Assert.Contains("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>", text, StringComparison.Ordinal);
        Assert.Contains("<SegmentOfResult>9</SegmentOfResult>", text, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folders.Root, recursive: true);

    private RequestProcessor Processor(AgentJournal journal) =>
        new(_folders, journal, new ReceiptApiClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") }, "rc-test", "secret"), TimeProvider.System, NullLogger.Instance, stableMilliseconds: 0);
}
