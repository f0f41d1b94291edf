using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>シークレット再発行: a new secret replaces the old one at once (the old one is refused from the next request).</summary>
public sealed class RotateMachineSecret(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<IssuedMachineCredentials>> ExecuteAsync(Actor actor, int machineAccountId, Guid version, CancellationToken cancellationToken)
    {
        var (refused, account) = await MachineAccountChange.LoadAsync(db, actor, machineAccountId, version, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(refused!);
        }

        var secret = MachineCredentials.NewSecret();
        account.SecretHash = MachineCredentials.Hash(secret);
        account.SecretRotatedAt = time.GetUtcNow();
        return await MachineAccountChange.SaveAsync(db, audit, actor, account, "machine_account.secret_rotated", cancellationToken).ConfigureAwait(false) is { } conflict
            ? OperationResult<IssuedMachineCredentials>.Fail(conflict)
            : OperationResult<IssuedMachineCredentials>.Ok(new IssuedMachineCredentials(account, secret));
    }
}
