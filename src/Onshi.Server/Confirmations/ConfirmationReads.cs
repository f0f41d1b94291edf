using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Onshi.Server.Challenges;
using Onshi.Server.Data;

namespace Onshi.Server.Confirmations;

/// <summary>A confirmation already stored under the request's Idempotency-Key (its answer, for a retry).</summary>
internal sealed record StoredConfirmation(Guid Id, byte[] RequestHash, string ResultJson);

/// <summary>
/// The two reads every confirmation starts with — the stored answer for its Idempotency-Key and its challenge — as one
/// command of two statements: one round trip on PostgreSQL instead of two (docs/performance.md). Neither read is
/// filtered by institution (the device and the challenge's own columns decide), as the EF Core queries before it.
/// </summary>
internal sealed class ConfirmationReads
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, ConfirmationReads> Built = [];

    private readonly ModelRead<Challenge> _challenge;
    private readonly RelationalTypeMapping _deviceId;
    private readonly RelationalTypeMapping _idempotencyKey;
    private readonly RelationalTypeMapping _challengeId;
    private readonly string _sql;

    private ConfirmationReads(IModel model)
    {
        var confirmation = model.FindEntityType(typeof(AppConfirmation))!;
        string Column(IEntityType entity, string property) => ModelStatements.Quote(ModelStatements.ColumnOf(entity.FindProperty(property)!));
        _deviceId = ModelStatements.MappingOf(confirmation.FindProperty(nameof(AppConfirmation.DeviceId))!);
        _idempotencyKey = ModelStatements.MappingOf(confirmation.FindProperty(nameof(AppConfirmation.IdempotencyKey))!);
        _challenge = new ModelRead<Challenge>(model, "c");
        var challenge = model.FindEntityType(typeof(Challenge))!;
        _challengeId = ModelStatements.MappingOf(challenge.FindProperty(nameof(Challenge.Id))!);
        _sql =
            $"SELECT a.{Column(confirmation, nameof(AppConfirmation.Id))}, a.{Column(confirmation, nameof(AppConfirmation.RequestHash))}, a.{Column(confirmation, nameof(AppConfirmation.ResultJson))} " +
            $"FROM {ModelStatements.Quote(ModelStatements.TableOf(confirmation))} AS a " +
            $"WHERE a.{Column(confirmation, nameof(AppConfirmation.DeviceId))} = @device AND a.{Column(confirmation, nameof(AppConfirmation.IdempotencyKey))} = @key;\n" +
            $"SELECT {_challenge.Columns} FROM {_challenge.Table} WHERE c.{Column(challenge, nameof(Challenge.Id))} = @challenge";
    }

    public static ConfirmationReads For(IModel model) => Built.GetValue(model, m => new ConfirmationReads(m));

    /// <summary>The stored confirmation for (device, key) and the challenge <paramref name="challengeId"/> (null: none asked).</summary>
    public async Task<(StoredConfirmation? Stored, Challenge? Challenge)> ReadAsync(AppDbContext db, Guid deviceId, Guid idempotencyKey, Guid? challengeId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = db.Database.GetDbConnection().CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
#pragma warning disable CA2100 // Built from the EF Core model's table and column names only; every value is a parameter.
                command.CommandText = _sql;
#pragma warning restore CA2100
                command.Parameters.Add(ModelStatements.Parameter(command, _deviceId, "@device", deviceId, nullable: false));
                command.Parameters.Add(ModelStatements.Parameter(command, _idempotencyKey, "@key", idempotencyKey, nullable: false));
                // Guid.Empty names no challenge (ids are random), so the statement text stays the same and stays prepared.
                command.Parameters.Add(ModelStatements.Parameter(command, _challengeId, "@challenge", challengeId ?? Guid.Empty, nullable: false));
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    StoredConfirmation? stored = null;
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        stored = new StoredConfirmation(reader.GetFieldValue<Guid>(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2));
                    }

                    Challenge? challenge = null;
                    if (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        challenge = _challenge.Materialize(reader);
                    }

                    return (stored, challengeId is null ? null : challenge);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
