using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

/// <summary>What one recorded failure did to the account.</summary>
public enum FailureOutcome
{
    /// <summary>Counted; the account is not (newly) locked.</summary>
    Counted,

    /// <summary>This failure reached the limit and locked the account.</summary>
    NowLocked,

    /// <summary>The account was locked by a concurrent failure before this one could be counted.</summary>
    AlreadyLocked,
}

/// <summary>
/// The failure counter behind the lockout, changed only by single UPDATE … RETURNING statements in the database. Reading
/// the count, adding one and saving (optimistic concurrency) loses failures when guesses arrive in parallel: 50 parallel
/// wrong passwords used to count a handful. Here the database serialises the increments, so exactly the configured
/// number of failures is counted before the lock, whatever the parallelism and the number of server processes.
/// </summary>
public sealed class AccountLockout(AppDbContext db, TimeProvider time, IOptions<AccountOptions> options, Hosting.OnshiMetrics metrics)
{
    /// <summary>
    /// Counts one failure. An unlocked account locks (and its count restarts at 0) when the count reaches the limit.
    /// With <paramref name="countWhileLocked"/> (the app, which verifies a locked account's password a limited number
    /// of times, see AppSessions/readme.md) a locked account's count still rises up to the limit; otherwise a failure
    /// on an account locked in the meantime is not counted.
    /// </summary>
    public async Task<FailureOutcome> RecordFailureAsync(int accountId, bool countWhileLocked, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var max = options.Value.MaxConsecutiveFailedLogins;
        var until = options.Value.LockoutMinutes == 0 ? now.AddYears(100) : now.AddMinutes(options.Value.LockoutMinutes);
        object nowValue = db.Database.IsSqlite() ? now.UtcTicks : now.ToUniversalTime();
        object untilValue = db.Database.IsSqlite() ? until.UtcTicks : until.ToUniversalTime();

        // Right-hand sides see the row as it was before this statement, so both CASEs agree. The statement is fixed
        // text: only values travel as parameters.
        var unlocked = "(\"LockedUntil\" IS NULL OR \"LockedUntil\" <= {1})";
        var sql = "UPDATE \"Accounts\" SET "
            + $"\"ConsecutiveFailedLogins\" = CASE WHEN {unlocked} AND \"ConsecutiveFailedLogins\" + 1 >= {{2}} THEN 0 ELSE \"ConsecutiveFailedLogins\" + 1 END, "
            + $"\"LockedUntil\" = CASE WHEN {unlocked} AND \"ConsecutiveFailedLogins\" + 1 >= {{2}} THEN {{3}} ELSE \"LockedUntil\" END "
            + $"WHERE \"Id\" = {{0}} AND ({unlocked}" + (countWhileLocked ? " OR \"ConsecutiveFailedLogins\" < {2}" : "") + ") "
            + "RETURNING \"ConsecutiveFailedLogins\" AS \"Value\"";
        var counts = await db.Database.SqlQueryRaw<int>(sql, accountId, nowValue, max, untilValue).ToListAsync(cancellationToken).ConfigureAwait(false);

        // Every counted failure leaves at least 1, except the one that locked (which restarts the count at 0).
        var outcome = counts switch
        {
            [] => FailureOutcome.AlreadyLocked,
            [0] => FailureOutcome.NowLocked,
            _ => FailureOutcome.Counted,
        };
        if (outcome == FailureOutcome.NowLocked)
        {
            metrics.AccountLocked();
        }

        return outcome;
    }

    /// <summary>Clears the count after a success that is allowed to clear it.</summary>
    public Task ClearAsync(int accountId, CancellationToken cancellationToken) =>
        db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ConsecutiveFailedLogins, 0), cancellationToken);
}
