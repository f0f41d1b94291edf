using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>
/// The checks every change of a machine account makes before it mutates anything (管理者 of the account's own
/// institution, the account exists there and is not stopped, nobody changed it since the page was shown), and the
/// audited save with the concurrency check. Rotate and stop differ only in what they change.
/// </summary>
internal static class MachineAccountChange
{
    public static async Task<OperationResult<MachineAccount>> LoadAsync(AppDbContext db, Actor actor, int machineAccountId, Guid version, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<MachineAccount>.Fail(Refusals.NotAdministrator);
        }

        // The actor's institution is checked explicitly rather than through the context's filter, so the rule holds
        // for every caller (portal page, operator tool, tests) whatever scope the context has.
        var account = await db.MachineAccounts.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.Id == machineAccountId && m.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<MachineAccount>.Fail(ReceiptRefusals.MachineAccountNotFound);
        }

        if (account.StoppedAt is not null)
        {
            return OperationResult<MachineAccount>.Fail(ReceiptRefusals.MachineAccountStopped);
        }

        return account.Version != version ? OperationResult<MachineAccount>.Fail(ReceiptRefusals.ChangedConcurrently) : OperationResult<MachineAccount>.Ok(account);
    }

    /// <summary>Stamps a new version, audits <paramref name="action"/> and saves; null, or the concurrency refusal.</summary>
    public static async Task<Refusal?> SaveAsync(AppDbContext db, AuditLog audit, Actor actor, MachineAccount account, string action, CancellationToken cancellationToken)
    {
        account.Version = Guid.NewGuid();
        audit.Add(actor, account.InstitutionId, action, $"machine_account:{account.Id}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReceiptRefusals.ChangedConcurrently;
        }
    }
}
