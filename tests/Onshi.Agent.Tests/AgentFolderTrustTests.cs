using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Onshi.Agent.Tests;

/// <summary>
/// The OQS folder is shared with the レセコン (and whoever else can write to it): a symbolic link planted in req/ or in
/// place of a temporary file in res/ must not make the agent read or overwrite the file it points at, and a huge file
/// must be refused without being read. Nothing is deleted: refused files are kept in error/ with a reason beside them.
/// No server is needed: none of these paths may call it (the client points at a closed port).
/// </summary>
public sealed class AgentFolderTrustTests : IDisposable
{
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "onshi-agent-trust", Guid.NewGuid().ToString("N"));
    private readonly OqsFolders _folders;

    public AgentFolderTrustTests()
    {
        _folders = new OqsFolders(Path.Combine(_outside, "oqs"));
        _folders.EnsureExist();
    }

    [Fact]
    public async Task ARequestThatIsASymlinkIsNotFollowedAndTheLinkIsKeptInError()
    {
        var target = Path.Combine(_outside, "private-data.xml");
        await File.WriteAllTextAsync(target, "<secret>not for the agent</secret>", TestContext.Current.CancellationToken);
        var written = File.GetLastWriteTimeUtc(target);
        var link = Path.Combine(_folders.Requests, "OQSsiquc01req_link.xml");
        File.CreateSymbolicLink(link, target);

        using var journal = new AgentJournal(_folders.State);
        Assert.False(await Processor(journal).ProcessFileAsync(link, TestContext.Current.CancellationToken));

        Assert.False(File.Exists(link));
        var kept = Path.Combine(_folders.Error, "OQSsiquc01req_link.xml");
        Assert.NotNull(new FileInfo(kept).LinkTarget);  // the link itself was moved, not a copy of what it points at
        Assert.StartsWith(RequestProcessor.LinkRefusedCode, await File.ReadAllTextAsync(kept + ".reason.txt", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("<secret>not for the agent</secret>", await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken));
        Assert.Equal(written, File.GetLastWriteTimeUtc(target));
        Assert.Empty(Directory.GetFiles(_folders.Responses));
    }

    [Fact]
    public void ATemporaryResponseNamePlantedAsASymlinkIsReplacedNotWrittenThrough()
    {
        var target = Path.Combine(_outside, "victim.txt");
        File.WriteAllText(target, "original");
        var temp = Path.Combine(_folders.Responses, OqsFolders.TempNameFor("OQSsiquc01res_x.xml"));
        File.CreateSymbolicLink(temp, target);

        OqsFolders.WriteDurably(temp, Encoding.UTF8.GetBytes("<response/>"));

        Assert.Equal("original", File.ReadAllText(target));
        Assert.Null(new FileInfo(temp).LinkTarget);
        Assert.Equal("<response/>", File.ReadAllText(temp));
    }

    [Fact]
    public async Task ATwoGigabyteRequestIsRefusedUnreadAndKept()
    {
        var big = Path.Combine(_folders.Requests, "OQSsiquc01req_big.xml");
        await using (var stream = new FileStream(big, FileMode.CreateNew, FileAccess.Write))
        {
            stream.SetLength(2L * 1024 * 1024 * 1024);  // sparse: no disk space is used
        }

        using var journal = new AgentJournal(_folders.State);
        Assert.False(await Processor(journal).ProcessFileAsync(big, TestContext.Current.CancellationToken));

        Assert.False(File.Exists(big));
        var kept = Path.Combine(_folders.Error, "OQSsiquc01req_big.xml");
        Assert.Equal(2L * 1024 * 1024 * 1024, new FileInfo(kept).Length);
        var reason = await File.ReadAllTextAsync(kept + ".reason.txt", TestContext.Current.CancellationToken);
        Assert.StartsWith(RequestProcessor.TooLargeCode, reason, StringComparison.Ordinal);
        Assert.Contains("大きすぎる", reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folders.Responses));
    }

    [Fact]
    public async Task TheCapComesFromConfigurationWithATenMebibyteDefault()
    {
        var request = Path.Combine(_folders.Requests, "OQSsiquc01req_small.xml");
        await File.WriteAllBytesAsync(request, new byte[2048], TestContext.Current.CancellationToken);

        using var journal = new AgentJournal(_folders.State);
        var processor = new RequestProcessor(_folders, journal, Client(), TimeProvider.System, NullLogger.Instance, stableMilliseconds: 0, maxRequestBytes: 2047);
        Assert.False(await processor.ProcessFileAsync(request, TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(_folders.Error, "OQSsiquc01req_small.xml")));
        Assert.Equal(RequestProcessor.DefaultMaxRequestBytes, new AgentOptions().MaxRequestBytes);
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    private static ReceiptApiClient Client() => new(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") }, "rc-test", "secret");

    private RequestProcessor Processor(AgentJournal journal) =>
        new(_folders, journal, Client(), TimeProvider.System, NullLogger.Instance, stableMilliseconds: 0);
}
