using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>シークレット再発行: a new secret replaces the old one at once (the old one is refused from the next request).</summary>
public sealed class RotateMachineSecret(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<IssuedMachineCredentials>> ExecuteAsync(Actor actor, int machineAccountId, Guid version, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(Refusals.NotAdministrator);
        }

        // The actor's institution is checked explicitly rather than through the context's filter, so the rule holds
        // for every caller (portal page, operator tool, tests) whatever scope the context has.
        var account = await db.MachineAccounts.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.Id == machineAccountId && m.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(ReceiptRefusals.MachineAccountNotFound);
        }

        if (account.StoppedAt is not null)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(ReceiptRefusals.MachineAccountStopped);
        }

        if (account.Version != version)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(ReceiptRefusals.ChangedConcurrently);
        }

        var secret = MachineCredentials.NewSecret();
        account.SecretHash = MachineCredentials.Hash(secret);
        account.SecretRotatedAt = time.GetUtcNow();
        account.Version = Guid.NewGuid();
        audit.Add(actor, institutionId, "machine_account.secret_rotated", $"machine_account:{account.Id}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(ReceiptRefusals.ChangedConcurrently);
        }

        return OperationResult<IssuedMachineCredentials>.Ok(new IssuedMachineCredentials(account, secret));
    }
}
