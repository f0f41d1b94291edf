using Microsoft.Extensions.Logging;

namespace Onshi.Agent;

/// <summary>
/// The agent's two loops: answering req/ (woken by FileSystemWatcher events, and by a periodic rescan because watchers
/// miss events on network shares and under load) and writing face/ from the confirmation feed. One request at a time,
/// so the journal has a single writer; transport failures leave the request in req/ for the next round.
/// </summary>
public sealed partial class ReceiptAgent(AgentOptions options, ReceiptApiClient api, TimeProvider time, ILogger<ReceiptAgent> logger) : IDisposable
{
    private readonly OqsFolders _folders = new(options.Root ?? throw new ArgumentException("Root is required.", nameof(options)));
    private AgentJournal? _journal;

    public OqsFolders Folders => _folders;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _folders.EnsureExist();
        _journal = new AgentJournal(_folders.State);
        var requests = new RequestProcessor(_folders, _journal, api, time, logger, options.StableMilliseconds, options.MaxRequestBytes);
        var face = new FaceWriter(_folders, api, options.FaceEncoding, logger);
        requests.Recover();
        face.Recover();
        await Task.WhenAll(RequestLoopAsync(requests, cancellationToken), FaceLoopAsync(face, cancellationToken)).ConfigureAwait(false);
    }

    private long _requestScans;

    /// <summary>How many passes over the request folder have finished: lets a caller wait for "nothing more happened" by count, not by clock.</summary>
    public long RequestScansCompleted => Interlocked.Read(ref _requestScans);

    private async Task RequestLoopAsync(RequestProcessor requests, CancellationToken cancellationToken)
    {
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(_folders.Requests) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite };
        watcher.Created += (_, _) => wake.Writer.TryWrite(true);
        watcher.Changed += (_, _) => wake.Writer.TryWrite(true);
        watcher.Renamed += (_, _) => wake.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await requests.ProcessFolderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                LogServerUnavailable(logger, ex.Message);
            }

            Interlocked.Increment(ref _requestScans);

            await WaitAsync(wake.Reader, TimeSpan.FromMilliseconds(options.RescanMilliseconds), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FaceLoopAsync(FaceWriter face, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await face.PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                LogServerUnavailable(logger, ex.Message);
            }

            try
            {
                await Task.Delay(options.FeedPollMilliseconds, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WaitAsync(System.Threading.Channels.ChannelReader<bool> wake, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await wake.ReadAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // timeout (rescan) or shutdown (the loop condition ends it)
        }
    }

    public void Dispose() => _journal?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Onshi server could not be reached ({Reason}); requests stay in req/ and are retried")]
    private static partial void LogServerUnavailable(ILogger logger, string reason);
}
