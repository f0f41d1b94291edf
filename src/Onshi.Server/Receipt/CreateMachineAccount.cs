using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>The secret in clear text exists only in this result: shown once, never stored.</summary>
public sealed record IssuedMachineCredentials(MachineAccount Account, string Secret);

/// <summary>連携アプリ用アカウントの作成 by the 管理者: a new client id and secret for one machine of the institution.</summary>
public sealed class CreateMachineAccount(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxLabelLength = 40;

    public async Task<OperationResult<IssuedMachineCredentials>> ExecuteAsync(Actor actor, string? label, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId || actor.AccountId is not { } accountId)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(Refusals.NotAdministrator);
        }

        label = label?.Trim() ?? "";
        if (label.Length == 0)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(ReceiptRefusals.LabelRequired);
        }

        if (label.Length > MaxLabelLength)
        {
            return OperationResult<IssuedMachineCredentials>.Fail(ReceiptRefusals.LabelTooLong);
        }

        var secret = MachineCredentials.NewSecret();
        var account = new MachineAccount
        {
            InstitutionId = institutionId,
            ClientId = MachineCredentials.NewClientId(),
            Label = label,
            SecretHash = MachineCredentials.Hash(secret),
            CreatedAt = time.GetUtcNow(),
            CreatedByAccountId = accountId,
        };
        db.MachineAccounts.Add(account);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        audit.Add(actor, institutionId, "machine_account.created", $"machine_account:{account.Id}", $"client_id={account.ClientId}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<IssuedMachineCredentials>.Ok(new IssuedMachineCredentials(account, secret));
    }
}
