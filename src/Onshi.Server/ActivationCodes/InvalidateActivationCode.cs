using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.ActivationCodes;

/// <summary>
/// 無効化する: immediate and permanent. An unused code can no longer be redeemed; a code in use cuts its device off
/// (its device is invalidated and its sessions end in the same commit; the app API also checks the code on every request). The expected version makes a race with a redemption
/// visible instead of silently overwriting it.
/// </summary>
public sealed class InvalidateActivationCode(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<ActivationCode>> ExecuteAsync(Actor actor, int activationCodeId, Guid expectedVersion, CancellationToken cancellationToken)
    {
        if (actor.Role != AccountRole.Administrator || actor.InstitutionId is null)
        {
            return OperationResult<ActivationCode>.Fail(Refusals.NotAdministrator);
        }

        var code = await db.ActivationCodes.SingleOrDefaultAsync(c => c.Id == activationCodeId, cancellationToken).ConfigureAwait(false);
        if (code is null || !actor.IsAdministratorOf(code.InstitutionId))
        {
            return OperationResult<ActivationCode>.Fail(Refusals.ActivationCodeNotFound);
        }

        if (code.Status == ActivationCodeStatus.Invalidated)
        {
            return OperationResult<ActivationCode>.Fail(Refusals.ActivationCodeAlreadyInvalidated);
        }

        db.Entry(code).Property(c => c.Version).OriginalValue = expectedVersion;
        var previous = code.Status;
        code.Status = ActivationCodeStatus.Invalidated;
        code.InvalidatedAt = time.GetUtcNow();
        code.InvalidatedByAccountId = actor.AccountId;
        code.Version = Guid.NewGuid();
        audit.Add(actor, code.InstitutionId, "activation_code.invalidated", $"activation_code:{code.Id}", $"label={code.Label} was={previous}");
        if (code.DeviceId is { } deviceId)
        {
            // The device and its staff sessions end in the same commit (the app API also re-checks the code's status
            // on every request, so nothing can slip through between the two).
            var device = await db.Devices.SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken).ConfigureAwait(false);
            if (device is not null)
            {
                device.Status = Devices.DeviceStatus.Invalidated;
                device.InvalidatedAt = code.InvalidatedAt;
            }

            var sessions = await db.AppSessions.Where(s => s.DeviceId == deviceId && s.EndedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var session in sessions)
            {
                session.EndedAt = code.InvalidatedAt;
                session.EndReason = AppSessions.AppSessionEnd.DeviceInvalidated;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return OperationResult<ActivationCode>.Fail(Refusals.ActivationCodeChangedConcurrently);
        }

        return OperationResult<ActivationCode>.Ok(code);
    }
}
