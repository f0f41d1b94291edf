using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;

namespace Onshi.Server.Devices;

/// <summary>
/// Deletes used DPoP proofs whose replay window has passed and challenges that can no longer be used, every few
/// minutes, so the replay table stays small (its size is bounded by requests per replay window).
/// </summary>
public sealed partial class ExpiredRecordsCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<ExpiredRecordsCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = time.GetUtcNow();
            await db.UsedProofs.Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

            // Keep used challenges (confirmations point at them); unused ones a day past expiry are only noise.
            var cutoff = now.AddDays(-1);
            await db.Challenges.Where(c => c.UsedAt == null && c.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // A missed round only leaves rows for the next one; never take the server down for it.
            LogCleanupFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up expired proofs and challenges failed; will retry.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
