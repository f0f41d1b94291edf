using Onshi.Jpki;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Revocation;

/// <summary>
/// The operator loads a CRL (`onshi crl load FILE`). It is verified by the same <see cref="JpkiRevocationStore"/>
/// rules that use it (signature by a trusted anchor, freshness, no rollback), applied to this process at once,
/// and stored so every other process picks it up (<see cref="RevocationListSync"/>).
/// </summary>
public sealed class StoreRevocationList(AppDbContext db, RevocationListSync sync, TimeProvider time)
{
    public async Task<OperationResult<LoadedCrlInfo>> ExecuteAsync(byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);

        // Compare with the newest stored list, not just this process's memory, so a rollback is refused everywhere.
        await sync.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var result = sync.Store.Load(content, time.GetUtcNow());
        if (!result.IsSuccess)
        {
            return OperationResult<LoadedCrlInfo>.Fail(new Refusal(result.MachineCode!, result.Message!));
        }

        var info = result.Loaded!;
        db.RevocationLists.Add(new StoredRevocationList
        {
            AnchorId = info.AnchorId,
            ThisUpdate = info.ThisUpdate,
            NextUpdate = info.NextUpdate,
            CrlNumber = info.CrlNumber,
            RevokedCount = info.RevokedCount,
            Content = content,
            StoredAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<LoadedCrlInfo>.Ok(info);
    }
}
