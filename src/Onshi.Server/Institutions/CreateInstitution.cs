using Microsoft.EntityFrameworkCore;
using Onshi.Core.Identifiers;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Settings;

namespace Onshi.Server.Institutions;

public sealed record CreatedInstitution(Institution Institution, Account Administrator, string InitialPassword);

/// <summary>
/// Registers an institution with its default 環境設定情報 and its first 管理者 account (the job the マスタアカウント does
/// in the real system). Only the operator tool calls this; the administrator must replace the initial password at the
/// first login.
/// </summary>
public sealed class CreateInstitution(AppDbContext db, PasswordHashing hashing, AuditLog audit, TimeProvider time)
{
    public const string DefaultAdministratorUserId = "admin";

    /// <summary>Creates the institution; <c>initialPassword</c> is null for a random one-time password (demo mode passes a fixed one).</summary>
    public async Task<OperationResult<CreatedInstitution>> ExecuteAsync(
        string? code, string? name, string? administratorUserId, string? initialPassword, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var parsed = MedicalInstitutionCode.Parse(code?.Trim());
        if (!parsed.IsValid)
        {
            refusals.Add(Refusals.InstitutionCodeInvalid(parsed.Error!.Message));
        }

        name = name?.Trim() ?? "";
        if (name.Length == 0)
        {
            refusals.Add(Refusals.InstitutionNameRequired);
        }
        else if (name.Length > 100)
        {
            refusals.Add(Refusals.InstitutionNameTooLong);
        }

        administratorUserId = string.IsNullOrWhiteSpace(administratorUserId) ? DefaultAdministratorUserId : administratorUserId.Trim();
        refusals.AddRange(AccountFieldRules.CheckUserId(administratorUserId));
        if (refusals.Count > 0)
        {
            return OperationResult<CreatedInstitution>.Fail(refusals);
        }

        var codeText = parsed.Value.GetValueOrDefault().Value;
        if (await db.Institutions.AnyAsync(i => i.Code == codeText, cancellationToken).ConfigureAwait(false))
        {
            return OperationResult<CreatedInstitution>.Fail(Refusals.InstitutionCodeTaken);
        }

        var now = time.GetUtcNow();
        var institution = new Institution { Code = codeText, Name = name, CreatedAt = now };
        db.Institutions.Add(institution);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        db.InstitutionSettings.Add(new InstitutionSettings { InstitutionId = institution.Id, UpdatedAt = now });
        var fields = new AccountFields(administratorUserId, "管理者", "カンリシャ", AccountRole.Administrator, JapanTime.Today(time), null);
        var created = CreateAccount.NewAccount(institution.Id, fields, hashing, time, initialPassword);
        db.Accounts.Add(created.Account);
        audit.Add(Actor.Operator, institution.Id, "institution.created", $"institution:{codeText}", $"administrator={administratorUserId}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<CreatedInstitution>.Ok(new CreatedInstitution(institution, created.Account, created.InitialPassword));
    }
}
