using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Accounts;

/// <summary>
/// アカウント管理(更新): change ユーザ名, カナ, 権限区分 and 利用期間 of an account in the administrator's institution.
/// The ユーザID never changes. 管理者 accounts keep their role and period here: they are managed with the operator tool,
/// so an administrator cannot demote or expire the institution's last administrator by mistake.
/// </summary>
public sealed class UpdateAccount(AppDbContext db, AuditLog audit)
{
    public async Task<OperationResult<Account>> ExecuteAsync(Actor actor, int accountId, Guid expectedVersion, AccountFieldsInput input, CancellationToken cancellationToken)
    {
        var (refusal, account) = await AdministeredAccount.LoadAsync(db, actor, accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return OperationResult<Account>.Fail(refusal!);
        }

        var checkedFields = AccountFieldRules.Check(input with { UserId = account.UserId }, checkUserId: false);
        if (!checkedFields.Succeeded)
        {
            return OperationResult<Account>.Fail(checkedFields.Refusals);
        }

        var fields = checkedFields.Value!;
        if (account.Role == AccountRole.Administrator)
        {
            if (fields.Role != AccountRole.Administrator || fields.StartDate != account.StartDate || fields.EndDate != account.EndDate)
            {
                return OperationResult<Account>.Fail(Refusals.AdministratorManagedByOperator);
            }
        }
        else if (!AccountRoleNames.Assignable.Contains(fields.Role))
        {
            return OperationResult<Account>.Fail(Refusals.RoleNotAssignable);
        }

        db.Entry(account).Property(a => a.Version).OriginalValue = expectedVersion;
        var changes = new List<string>();
        if (account.Role != fields.Role)
        {
            changes.Add($"role {account.Role}->{fields.Role}");
            account.SecurityStamp = Guid.NewGuid();
        }

        if (account.StartDate != fields.StartDate || account.EndDate != fields.EndDate)
        {
            changes.Add($"period {JapanTime.Format(fields.StartDate)}-{(fields.EndDate is { } e ? JapanTime.Format(e) : "")}");
        }

        if (account.Name != fields.Name || account.NameKana != fields.NameKana)
        {
            changes.Add("name");
        }

        account.Name = fields.Name;
        account.NameKana = fields.NameKana;
        account.Role = fields.Role;
        account.StartDate = fields.StartDate;
        account.EndDate = fields.EndDate;
        audit.Add(actor, account.InstitutionId, "account.updated", $"account:{account.Id}", string.Join("; ", changes));
        return await AdministeredAccount.TrySaveAsync(db, account, cancellationToken).ConfigureAwait(false)
            ? OperationResult<Account>.Ok(account)
            : OperationResult<Account>.Fail(Refusals.AccountChangedConcurrently);
    }
}
