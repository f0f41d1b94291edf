using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>利用停止 of a machine account: final (create a new one to resume), effective from the next request.</summary>
public sealed class StopMachineAccount(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<MachineAccount>> ExecuteAsync(Actor actor, int machineAccountId, Guid version, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<MachineAccount>.Fail(Refusals.NotAdministrator);
        }

        var account = await db.MachineAccounts.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.Id == machineAccountId && m.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<MachineAccount>.Fail(ReceiptRefusals.MachineAccountNotFound);
        }

        if (account.StoppedAt is not null)
        {
            return OperationResult<MachineAccount>.Fail(ReceiptRefusals.MachineAccountStopped);
        }

        if (account.Version != version)
        {
            return OperationResult<MachineAccount>.Fail(ReceiptRefusals.ChangedConcurrently);
        }

        account.StoppedAt = time.GetUtcNow();
        account.Version = Guid.NewGuid();
        audit.Add(actor, institutionId, "machine_account.stopped", $"machine_account:{account.Id}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<MachineAccount>.Fail(ReceiptRefusals.ChangedConcurrently);
        }

        return OperationResult<MachineAccount>.Ok(account);
    }
}
