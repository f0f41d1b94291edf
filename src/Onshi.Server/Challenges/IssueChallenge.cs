using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.AppSessions;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Devices;

namespace Onshi.Server.Challenges;

/// <summary>本人確認の開始: a fresh challenge for one identification, only for a purpose the institution enabled.</summary>
public sealed class IssueChallenge(AppDbContext db, ProofLedger ledger, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<OperationResult<Challenge>> ExecuteAsync(AppDevice device, AppSessionContext session, string? purposeText, CancellationToken cancellationToken)
    {
        if (!WirePurposes.TryParse(purposeText, out var purpose))
        {
            return OperationResult<Challenge>.Fail(Refusals.AppRequestInvalid);
        }

        if (!Purposes.IsEnabled(session.Settings, purpose))
        {
            return OperationResult<Challenge>.Fail(ChallengeRefusals.PurposeNotEnabled);
        }

        var now = time.GetUtcNow();
        var challenge = new Challenge
        {
            Id = Guid.NewGuid(),
            Value = RandomNumberGenerator.GetBytes(32),
            DeviceId = device.Id,
            SessionId = session.Id,
            InstitutionId = device.InstitutionId,
            Purpose = purpose,
            IssuedAt = now,
            ExpiresAt = now + Lifetime,
        };
        db.Challenges.Add(challenge);

        // The proof's jti and the session's last-seen time go into the same commit as the challenge; a refused request
        // (above) stores nothing, not even its jti, so replaying it only repeats the refusal.
        ledger.AddTo(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            return OperationResult<Challenge>.Fail(DeviceRefusals.ProofReplayed);
        }

        return OperationResult<Challenge>.Ok(challenge);
    }
}
