using Onshi.Server.Data;

namespace Onshi.Server.AppSessions;

/// <summary>Writes a session's last-seen time as part of someone else's commit (the proof ledger, the confirmation writer).</summary>
public static class AppSessionActivity
{
    /// <summary>Marks only LastSeenAt of a session as modified, without loading it.</summary>
    public static void Touch(AppDbContext db, Guid sessionId, DateTimeOffset seenAt)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stub = new AppSession { Id = sessionId, TokenHash = [] };
        db.AppSessions.Attach(stub);
        stub.LastSeenAt = seenAt;
        db.Entry(stub).Property(s => s.LastSeenAt).IsModified = true;
    }
}
