using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.ActivationCodes;

/// <summary>The code in clear text exists only in this result: it is shown once and never stored.</summary>
public sealed record IssuedActivationCode(ActivationCode Record, string Code);

/// <summary>アクティベーションコードの発行: one code per device, labelled so the administrator knows which device it went to.</summary>
public sealed class IssueActivationCode(AppDbContext db, AuditLog audit, TimeProvider time, IOptions<ActivationCodeOptions> options)
{
    public const int MaxLabelLength = 40;

    public async Task<OperationResult<IssuedActivationCode>> ExecuteAsync(Actor actor, string? label, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is not { } institutionId || actor.AccountId is not { } accountId)
        {
            return OperationResult<IssuedActivationCode>.Fail(Refusals.NotAdministrator);
        }

        label = label?.Trim() ?? "";
        if (label.Length == 0)
        {
            return OperationResult<IssuedActivationCode>.Fail(Refusals.ActivationLabelRequired);
        }

        if (label.Length > MaxLabelLength)
        {
            return OperationResult<IssuedActivationCode>.Fail(Refusals.ActivationLabelTooLong);
        }

        // Two live codes with one label make the list ambiguous: the administrator could invalidate the wrong device.
        // An expired unused code is listed as 無効(期限切れ), so its label is free again.
        var now = time.GetUtcNow();
        if (await db.ActivationCodes.AnyAsync(c => c.InstitutionId == institutionId && c.Label == label
                && (c.Status == ActivationCodeStatus.InUse || (c.Status == ActivationCodeStatus.Unused && c.ExpiresAt > now)), cancellationToken).ConfigureAwait(false))
        {
            return OperationResult<IssuedActivationCode>.Fail(Refusals.ActivationLabelTaken);
        }

        var code = ActivationCodeSecret.Generate();
        var record = new ActivationCode
        {
            InstitutionId = institutionId,
            Label = label,
            CodeHash = ActivationCodeSecret.Hash(ActivationCodeSecret.Normalize(code)!),
            Status = ActivationCodeStatus.Unused,
            IssuedAt = now,
            IssuedByAccountId = accountId,
            ExpiresAt = now.AddDays(options.Value.UnusedLifetimeDays),
        };
        db.ActivationCodes.Add(record);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        audit.Add(actor, institutionId, "activation_code.issued", $"activation_code:{record.Id}", $"label={label}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<IssuedActivationCode>.Ok(new IssuedActivationCode(record, code));
    }
}
