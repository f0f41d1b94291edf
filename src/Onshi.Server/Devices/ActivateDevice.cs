using Microsoft.EntityFrameworkCore;
using Onshi.Server.ActivationCodes;
using Onshi.Server.AppSessions;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Devices;

public sealed record ActivatedDevice(Device Device, string InstitutionCode, string InstitutionName);

/// <summary>
/// 初期設定: checks the staff member (機関コード + ユーザーID + パスワード, account rules), then redeems the アクティベーション
/// コード and binds the device key that signed the request's proof, all in one transaction: a code is bound to exactly
/// one key and a key to exactly one code.
/// </summary>
public sealed class ActivateDevice(AppDbContext db, CheckStaffCredentials credentials, RedeemActivationCode redeem, AuditLog audit, TimeProvider time)
{
    public async Task<OperationResult<ActivatedDevice>> ExecuteAsync(ActivationRequest request, DeviceKey key, CancellationToken cancellationToken)
    {
        var (refusal, staff) = await credentials.ExecuteAsync(request.InstitutionCode, null, request.UserId, request.Password, "app.activation", cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return OperationResult<ActivatedDevice>.Fail(refusal);
        }

        var account = staff!.Account;
        var actor = new Actor(account.Id, account.InstitutionId, account.Role, account.UserId);
        if (await db.Devices.IgnoreQueryFilters().AnyAsync(d => d.KeyThumbprint == key.Thumbprint, cancellationToken).ConfigureAwait(false))
        {
            await audit.RecordNowAsync(actor, account.InstitutionId, "device.activation_refused", null, "key_already_registered", cancellationToken).ConfigureAwait(false);
            return OperationResult<ActivatedDevice>.Fail(DeviceRefusals.DeviceKeyAlreadyRegistered);
        }

        var deviceId = Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var redeemed = await redeem.ExecuteAsync(actor, account.InstitutionId, request.ActivationCode, deviceId, cancellationToken).ConfigureAwait(false);
        if (!redeemed.Succeeded)
        {
            // The refusal's audit line is part of the transaction: keep it.
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<ActivatedDevice>.Fail(DeviceRefusals.ForActivation(redeemed.Refusal!));
        }

        var code = redeemed.Value!;
        var device = new Device
        {
            Id = deviceId,
            InstitutionId = account.InstitutionId,
            ActivationCodeId = code.Id,
            Label = code.Label,
            KeyThumbprint = key.Thumbprint,
            PublicKeyX = key.X,
            PublicKeyY = key.Y,
            Status = DeviceStatus.Active,
            ActivatedByAccountId = account.Id,
            ActivatedAt = time.GetUtcNow(),
        };
        db.Devices.Add(device);
        audit.Add(actor, account.InstitutionId, "device.activated", $"device:{deviceId}", $"activation_code:{code.Id}");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // The same key raced through two activations: the first one won, this one redeems nothing.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            return OperationResult<ActivatedDevice>.Fail(DeviceRefusals.DeviceKeyAlreadyRegistered);
        }

        await credentials.ClearFailuresAsync(staff, cancellationToken).ConfigureAwait(false);
        return OperationResult<ActivatedDevice>.Ok(new ActivatedDevice(device, account.Institution!.Code, account.Institution.Name));
    }
}
