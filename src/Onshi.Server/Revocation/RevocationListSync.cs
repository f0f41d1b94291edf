using Microsoft.EntityFrameworkCore;
using Onshi.Jpki;
using Onshi.Server.Data;

namespace Onshi.Server.Revocation;

/// <summary>
/// Keeps this process's <see cref="JpkiRevocationStore"/> equal to the newest CRL per anchor in the database.
/// Every server process over the same database runs one; a CRL stored by any of them (or by `onshi crl load`)
/// reaches the others within one poll interval. A refresh that finds nothing new is one indexed query returning
/// no rows; only new lists are read and parsed.
/// </summary>
public sealed partial class RevocationListSync(JpkiRevocationStore store, IServiceScopeFactory scopes, TimeProvider time, ILogger<RevocationListSync> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastSeenId;

    public JpkiRevocationStore Store => store;

    /// <summary>Loads lists stored since the last refresh (only the newest per anchor). Returns how many were applied.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var last = _lastSeenId;
            var fresh = await db.RevocationLists.AsNoTracking()
                .Where(r => r.Id > last)
                .Select(r => new { r.Id, r.AnchorId })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (fresh.Count == 0)
            {
                return 0;
            }

            var newestIds = fresh.GroupBy(r => r.AnchorId).Select(g => g.Max(r => r.Id)).ToList();
            var lists = await db.RevocationLists.AsNoTracking()
                .Where(r => newestIds.Contains(r.Id))
                .OrderBy(r => r.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var applied = 0;
            foreach (var list in lists)
            {
                var result = store.Load(list.Content, time.GetUtcNow());
                if (result.IsSuccess)
                {
                    applied++;
                }
                else if (result.Error != CrlLoadError.OlderThanCurrent)
                {
                    // E.g. the list went stale, or this process trusts other anchors: keep failing closed, and say why.
                    LogNotLoaded(logger, list.Id, list.AnchorId, result.MachineCode, result.Detail);
                }
            }

            _lastSeenId = fresh.Max(r => r.Id);
            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored CRL {Id} for anchor {Anchor} was not loaded: {Code} {Detail}")]
    private static partial void LogNotLoaded(ILogger logger, long id, string anchor, string? code, string? detail);
}

/// <summary>Runs <see cref="RevocationListSync.RefreshAsync"/> at start and then every <see cref="JpkiOptions.RevocationPollSeconds"/>.</summary>
internal sealed partial class RevocationListPoller(RevocationListSync sync, Microsoft.Extensions.Options.IOptions<JpkiOptions> options, TimeProvider time, ILogger<RevocationListPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.RevocationPollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sync.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The poller must survive a database that is briefly down or not yet migrated.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRefreshFailed(logger, exception, interval);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh revocation lists from the database; retrying in {Interval}.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, TimeSpan interval);
}
