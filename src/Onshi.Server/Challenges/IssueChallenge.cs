using System.Security.Cryptography;
using Onshi.Server.AppApi;
using Onshi.Server.Data;

namespace Onshi.Server.Challenges;

/// <summary>本人確認の開始: a fresh challenge for one identification, only for a purpose the institution enabled.</summary>
public sealed class IssueChallenge(AppDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<(AppRefusal? Refusal, Challenge? Challenge)> ExecuteAsync(AppDevice device, AppSessionContext session, string? purposeText, CancellationToken cancellationToken)
    {
        if (!WirePurposes.TryParse(purposeText, out var purpose))
        {
            return (AppRefusals.RequestInvalid, null);
        }

        if (!Purposes.IsEnabled(session.Settings, purpose))
        {
            return (AppRefusals.PurposeNotEnabled, null);
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
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (null, challenge);
    }
}
