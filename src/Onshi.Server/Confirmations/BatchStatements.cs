using System.Data.Common;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Onshi.Server.AppSessions;
using Onshi.Server.Audit;
using Onshi.Server.Challenges;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Devices;
using Onshi.Server.Receipt;

namespace Onshi.Server.Confirmations;

/// <summary>
/// The statements of the confirmation group commit (<see cref="ConfirmationWriter"/>), built once per EF Core model
/// (a process may hold two, SQLite and PostgreSQL, as the tests do).
/// </summary>
internal sealed class BatchStatements
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, BatchStatements> Built = [];

    private readonly RelationalTypeMapping _challengeId;
    private readonly RelationalTypeMapping _challengeUsedAt;
    private readonly RelationalTypeMapping _sessionId;
    private readonly RelationalTypeMapping _sessionLastSeenAt;

    private BatchStatements(IModel model)
    {
        Confirmation = new ModelInsert<AppConfirmation>(model);
        Consent = new ModelInsert<ConsentRecord>(model);
        Feed = new ModelInsert<ConfirmationFeedEntry>(model);
        Proof = new ModelInsert<UsedProof>(model);
        Audit = new ModelInsert<AuditEntry>(model);

        var challenge = model.FindEntityType(typeof(Challenge))!;
        var challengeId = challenge.FindProperty(nameof(Challenges.Challenge.Id))!;
        var usedAt = challenge.FindProperty(nameof(Challenges.Challenge.UsedAt))!;
        _challengeId = ModelStatements.MappingOf(challengeId);
        _challengeUsedAt = ModelStatements.MappingOf(usedAt);
        // Consumed only if still unused: the challenge's single use is decided by the database, not by the earlier read.
        ConsumeChallenge = $"UPDATE {ModelStatements.Quote(ModelStatements.TableOf(challenge))} SET {ModelStatements.Quote(ModelStatements.ColumnOf(usedAt))} = @used " +
            $"WHERE {ModelStatements.Quote(ModelStatements.ColumnOf(challengeId))} = @id AND {ModelStatements.Quote(ModelStatements.ColumnOf(usedAt))} IS NULL";

        var session = model.FindEntityType(typeof(AppSession))!;
        var sessionId = session.FindProperty(nameof(AppSession.Id))!;
        var lastSeen = session.FindProperty(nameof(AppSession.LastSeenAt))!;
        _sessionId = ModelStatements.MappingOf(sessionId);
        _sessionLastSeenAt = ModelStatements.MappingOf(lastSeen);
        TouchSession = $"UPDATE {ModelStatements.Quote(ModelStatements.TableOf(session))} SET {ModelStatements.Quote(ModelStatements.ColumnOf(lastSeen))} = @seen " +
            $"WHERE {ModelStatements.Quote(ModelStatements.ColumnOf(sessionId))} = @id";
    }

    public static BatchStatements For(IModel model) => Built.GetValue(model, m => new BatchStatements(m));

    public ModelInsert<AppConfirmation> Confirmation { get; }

    public ModelInsert<ConsentRecord> Consent { get; }

    public ModelInsert<ConfirmationFeedEntry> Feed { get; }

    public ModelInsert<UsedProof> Proof { get; }

    public ModelInsert<AuditEntry> Audit { get; }

    public string ConsumeChallenge { get; }

    public string TouchSession { get; }

    public void BindConsumeChallenge(DbCommand factory, DbParameterCollection target, Guid challengeId, DateTimeOffset usedAt)
    {
        target.Add(ModelStatements.Parameter(factory, _challengeUsedAt, "@used", usedAt, nullable: true));
        target.Add(ModelStatements.Parameter(factory, _challengeId, "@id", challengeId, nullable: false));
    }

    public void BindTouchSession(DbCommand factory, DbParameterCollection target, Guid sessionId, DateTimeOffset seenAt)
    {
        target.Add(ModelStatements.Parameter(factory, _sessionLastSeenAt, "@seen", seenAt, nullable: false));
        target.Add(ModelStatements.Parameter(factory, _sessionId, "@id", sessionId, nullable: false));
    }
}
