using Microsoft.Extensions.Options;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Devices;

namespace Onshi.Server.AppSessions;

public sealed record StartedAppSession(string Token, AppSession Session, StaffMember Staff);

/// <summary>Staff login on an activated device: only accounts of the device's institution, with the activation's account rules.</summary>
public sealed class StartAppSession(AppDbContext db, CheckStaffCredentials credentials, AuditLog audit, TimeProvider time, IOptions<AppSessionOptions> options)
{
    public async Task<OperationResult<StartedAppSession>> ExecuteAsync(AppDevice device, StaffLoginRequest request, CancellationToken cancellationToken)
    {
        var (refusal, staff) = await credentials.ExecuteAsync(null, device.InstitutionId, request.UserId, request.Password, "app.session", cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return OperationResult<StartedAppSession>.Fail(refusal);
        }

        var account = staff!.Account;
        var now = time.GetUtcNow();
        var token = AppSessionTokens.Generate();
        var session = new AppSession
        {
            Id = Guid.NewGuid(),
            TokenHash = AppSessionTokens.Hash(token),
            DeviceId = device.Id,
            AccountId = account.Id,
            InstitutionId = account.InstitutionId,
            AccountSecurityStamp = account.SecurityStamp,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now.AddHours(options.Value.AbsoluteLifetimeHours),
        };
        db.AppSessions.Add(session);
        account.LastLoginAt = now;
        account.Version = Guid.NewGuid();
        audit.Add(new Actor(account.Id, account.InstitutionId, account.Role, account.UserId), account.InstitutionId, "app.session_started", $"device:{device.Id}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await credentials.ClearFailuresAsync(staff, cancellationToken).ConfigureAwait(false);
        return OperationResult<StartedAppSession>.Ok(new StartedAppSession(token, session, staff));
    }
}

/// <summary>ログアウト: the session ends at once; its token is useless from now on.</summary>
public sealed class EndAppSession(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task ExecuteAsync(AppDevice device, AppSessionContext session, CancellationToken cancellationToken)
    {
        var stub = new AppSession { Id = session.Id, TokenHash = [] };
        db.AppSessions.Attach(stub);
        stub.EndedAt = time.GetUtcNow();
        stub.EndReason = AppSessionEnd.LoggedOut;
        db.Entry(stub).Property(s => s.EndedAt).IsModified = true;
        db.Entry(stub).Property(s => s.EndReason).IsModified = true;
        audit.Add(new Actor(session.AccountId, device.InstitutionId, session.Role, session.UserId), device.InstitutionId, "app.session_ended", $"device:{device.Id}", "logged_out");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
