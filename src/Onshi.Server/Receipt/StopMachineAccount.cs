using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>利用停止 of a machine account: final (create a new one to resume), effective from the next request.</summary>
public sealed class StopMachineAccount(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<MachineAccount>> ExecuteAsync(Actor actor, int machineAccountId, Guid version, CancellationToken cancellationToken)
    {
        var (refused, account) = await MachineAccountChange.LoadAsync(db, actor, machineAccountId, version, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<MachineAccount>.Fail(refused!);
        }

        account.StoppedAt = time.GetUtcNow();
        return await MachineAccountChange.SaveAsync(db, audit, actor, account, "machine_account.stopped", cancellationToken).ConfigureAwait(false) is { } conflict
            ? OperationResult<MachineAccount>.Fail(conflict)
            : OperationResult<MachineAccount>.Ok(account);
    }
}
