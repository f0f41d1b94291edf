using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

public sealed record CreatedAccount(Account Account, string InitialPassword);

/// <summary>
/// アカウント管理(登録): an administrator registers a 一般利用者 or 医療情報閲覧 account in their own institution.
/// The account gets a one-time initial password that is returned once and must be replaced at the first login.
/// </summary>
public sealed class CreateAccount(AppDbContext db, PasswordHashing hashing, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<CreatedAccount>> ExecuteAsync(Actor actor, AccountFieldsInput input, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId)
        {
            return OperationResult<CreatedAccount>.Fail(Refusals.NotAdministrator);
        }

        var checkedFields = AccountFieldRules.Check(input);
        var refusals = checkedFields.Refusals.ToList();
        if (input.Role is { } role && !AccountRoleNames.Assignable.Contains(role) && !refusals.Contains(Refusals.RoleNotAssignable))
        {
            refusals.Add(Refusals.RoleNotAssignable);
        }

        if (refusals.Count > 0)
        {
            return OperationResult<CreatedAccount>.Fail(refusals);
        }

        var fields = checkedFields.Value!;
        var normalized = AccountFieldRules.NormalizeUserId(fields.UserId);
        if (await db.Accounts.AnyAsync(a => a.InstitutionId == institutionId && a.NormalizedUserId == normalized, cancellationToken).ConfigureAwait(false))
        {
            return OperationResult<CreatedAccount>.Fail(Refusals.UserIdTaken);
        }

        var created = NewAccount(institutionId, fields, hashing, time);
        db.Accounts.Add(created.Account);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another administrator registered the same ユーザID between our check and the insert (unique index).
            db.Entry(created.Account).State = EntityState.Detached;
            return OperationResult<CreatedAccount>.Fail(Refusals.UserIdTaken);
        }

        audit.Add(actor, institutionId, "account.created", $"account:{created.Account.Id}", $"user_id={fields.UserId} role={fields.Role}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<CreatedAccount>.Ok(created);
    }

    /// <summary>Builds (does not save) an account with a fresh one-time password; shared with institution creation.</summary>
    internal static CreatedAccount NewAccount(int institutionId, AccountFields fields, PasswordHashing hashing, TimeProvider time, string? initialPassword = null)
    {
        var password = initialPassword ?? OneTimePasswords.Generate();
        var account = new Account
        {
            InstitutionId = institutionId,
            UserId = fields.UserId,
            NormalizedUserId = AccountFieldRules.NormalizeUserId(fields.UserId),
            Name = fields.Name,
            NameKana = fields.NameKana,
            Role = fields.Role,
            StartDate = fields.StartDate,
            EndDate = fields.EndDate,
            PasswordHash = "",
            MustChangePassword = true,
            CreatedAt = time.GetUtcNow(),
        };
        account.PasswordHash = hashing.Hash(account, password);
        return new CreatedAccount(account, password);
    }
}
