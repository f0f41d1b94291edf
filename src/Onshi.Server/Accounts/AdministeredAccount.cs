using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

/// <summary>
/// Loads the account an administrator wants to act on, after checking the actor is an administrator of the same
/// institution. The institution query filter already hides other institutions' accounts; the explicit comparison
/// keeps the rule visible and holds even if the filter were ever bypassed.
/// </summary>
internal static class AdministeredAccount
{
    public static async Task<OperationResult<Account>> LoadAsync(AppDbContext db, Actor actor, int accountId, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is null)
        {
            return OperationResult<Account>.Fail(Refusals.NotAdministrator);
        }

        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
        if (account is null || !actor.IsAdministratorOf(account.InstitutionId))
        {
            return OperationResult<Account>.Fail(Refusals.AccountNotFound);
        }

        return OperationResult<Account>.Ok(account);
    }

    /// <summary>Saves with the account's concurrency token; false when someone else changed it first.</summary>
    public static async Task<bool> TrySaveAsync(AppDbContext db, Account account, CancellationToken cancellationToken)
    {
        account.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
