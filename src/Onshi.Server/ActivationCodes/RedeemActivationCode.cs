using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.ActivationCodes;

/// <summary>
/// Binds a device to an unused, unexpired code of the given institution — the step the マイナ資格確認アプリ performs at
/// its first start (issue 4 calls this after checking the user's ID and password). A code binds exactly one device:
/// the concurrency token makes two simultaneous redemptions end with one winner and one <c>activation_code.used</c>.
/// </summary>
public sealed class RedeemActivationCode(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<ActivationCode>> ExecuteAsync(Actor actor, int institutionId, string? code, Guid deviceId, CancellationToken cancellationToken)
    {
        var normalized = ActivationCodeSecret.Normalize(code);
        if (normalized is null)
        {
            await audit.RecordNowAsync(actor, institutionId, "activation_code.redeem_refused", null, "malformed", cancellationToken).ConfigureAwait(false);
            return OperationResult<ActivationCode>.Fail(Refusals.ActivationCodeMalformed);
        }

        var hash = ActivationCodeSecret.Hash(normalized);

        // The app is not a portal session, so the institution comes from the caller, not from the cookie scope.
        var record = await db.ActivationCodes.IgnoreQueryFilters()
            .SingleOrDefaultAsync(c => c.CodeHash == hash && c.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        var refusal = record switch
        {
            null => Refusals.ActivationCodeUnknown,
            { Status: ActivationCodeStatus.Invalidated } => Refusals.ActivationCodeInvalidated,
            { Status: ActivationCodeStatus.InUse } => Refusals.ActivationCodeUsed,
            _ when record.IsExpired(time.GetUtcNow()) => Refusals.ActivationCodeExpired,
            _ => null,
        };
        if (refusal is not null)
        {
            await audit.RecordNowAsync(actor, institutionId, "activation_code.redeem_refused", record is null ? null : $"activation_code:{record.Id}", refusal.Code, cancellationToken).ConfigureAwait(false);
            return OperationResult<ActivationCode>.Fail(refusal);
        }

        record!.Status = ActivationCodeStatus.InUse;
        record.ActivatedAt = time.GetUtcNow();
        record.DeviceId = deviceId;
        record.Version = Guid.NewGuid();
        audit.Add(actor, institutionId, "activation_code.redeemed", $"activation_code:{record.Id}", $"device={deviceId}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else redeemed or invalidated it a moment earlier; report what it became.
            db.ChangeTracker.Clear();
            var now = await db.ActivationCodes.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == record.Id, cancellationToken).ConfigureAwait(false);
            var lost = now.Status == ActivationCodeStatus.Invalidated ? Refusals.ActivationCodeInvalidated : Refusals.ActivationCodeUsed;
            await audit.RecordNowAsync(actor, institutionId, "activation_code.redeem_refused", $"activation_code:{record.Id}", lost.Code, cancellationToken).ConfigureAwait(false);
            return OperationResult<ActivationCode>.Fail(lost);
        }

        return OperationResult<ActivationCode>.Ok(record);
    }
}
