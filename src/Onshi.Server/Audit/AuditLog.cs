using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Audit;

/// <summary>
/// Appends audit entries to the same unit of work as the change they describe, so a change and its audit line are
/// committed together or not at all. Refusals are recorded with <see cref="RecordNowAsync"/>, which saves at once.
/// </summary>
public sealed class AuditLog(AppDbContext db, TimeProvider time)
{
    public void Add(Actor actor, int? institutionId, string action, string? target = null, string? detail = null, bool succeeded = true) =>
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = time.GetUtcNow(),
            InstitutionId = institutionId,
            ActorAccountId = actor.AccountId,
            Actor = actor.DisplayId,
            Action = action,
            Target = target,
            Detail = detail,
            Succeeded = succeeded,
        });

    /// <summary>Records a refused or failed attempt and saves at once (callers only have the attempt's own bookkeeping pending).</summary>
    public async Task RecordNowAsync(Actor actor, int? institutionId, string action, string? target, string? detail, CancellationToken cancellationToken)
    {
        Add(actor, institutionId, action, target, detail, succeeded: false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
