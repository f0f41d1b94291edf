using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.AppSessions;
using Onshi.Server.Data;

namespace Onshi.Server.Devices;

/// <summary>
/// The replay bookkeeping of one app request (scoped): <see cref="AppApi.DeviceProofFilter"/> notes the accepted proof and
/// whether the session's last-seen time is due; whoever commits the request's work writes both, in that commit. The
/// filter commits at once (<see cref="FlushAsync"/>) unless the endpoint is marked
/// <see cref="AppApi.RecordsProofInOwnTransaction"/>; then the operation adds them to its own write
/// (<see cref="AddTo"/>, or <see cref="NewEntry"/> for the batched confirmation writer). This is the one place that
/// builds a <see cref="UsedProof"/> row. Rules and reasons: readme.md.
/// </summary>
public sealed class ProofLedger(IOptions<DeviceProofOptions> options)
{
    private byte[]? _key;

    /// <summary>When the proof was accepted: the time its jti is remembered from, and the session's new last-seen time.</summary>
    public DateTimeOffset NotedAt { get; private set; }

    /// <summary>The session whose last-seen time must be written with the proof (the touch interval has passed), if any.</summary>
    public Guid? SessionToTouch { get; private set; }

    /// <summary>Called by the filter once the proof is valid; a request carries exactly one proof.</summary>
    public void Note(DeviceProof proof, Guid? sessionToTouch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (_key is not null)
        {
            throw new InvalidOperationException("A request carries exactly one proof.");
        }

        _key = UsedProof.KeyOf(proof);
        SessionToTouch = sessionToTouch;
        NotedAt = now;
    }

    /// <summary>
    /// A new used-proof row for a write that stores it itself. A fresh row on every call, because the context of a
    /// refused write may still track the previous one (a confirmation retried after its batch was refused).
    /// </summary>
    public UsedProof NewEntry()
    {
        var key = _key ?? throw new InvalidOperationException("No proof was noted in this request.");
        return new UsedProof { Key = key, ExpiresAt = NotedAt.AddMinutes(options.Value.ReplayMemoryMinutes) };
    }

    /// <summary>Adds the used-proof row and the due session touch to <paramref name="db"/>'s pending changes.</summary>
    public void AddTo(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.UsedProofs.Add(NewEntry());
        if (SessionToTouch is { } sessionId)
        {
            AppSessionActivity.Touch(db, sessionId, NotedAt);
        }
    }

    /// <summary>Stores the row and the touch now, in one statement batch; false when the jti was already used (a replay).</summary>
    public async Task<bool> FlushAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        AddTo(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
