using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;

namespace Onshi.Server.Audit;

/// <summary>
/// The first record where a chain stops being what was written, and what is wrong with it. Problem is a stable code:
/// sequence_gap, sequence_out_of_order, previous_hash_mismatch, content_altered, head_mismatch, head_missing, chain_missing.
/// </summary>
public sealed record AuditChainBreak(int ChainKey, long? EntryId, long? Sequence, DateTimeOffset? OccurredAt, string Problem, string Explanation);

public sealed record AuditChainReport(int ChainKey, long Entries, string HeadHash, AuditChainBreak? Break)
{
    public bool Intact => Break is null;
}

/// <summary>
/// Recomputes every chain from its first entry: positions must run 1, 2, 3 … without gaps, each entry must name the
/// hash of the one before it, each stored hash must match the recomputed one, and the chain head must point at the
/// last entry (otherwise entries were cut off the end). Reads across institutions: this is the operator's tool.
/// </summary>
public sealed class AuditChainVerifier(AppDbContext db)
{
    /// <summary>Verifies one chain (an institution id, or 0) or, with null, all chains.</summary>
    public async Task<IReadOnlyList<AuditChainReport>> VerifyAsync(int? chainKey, CancellationToken cancellationToken)
    {
        var heads = await db.AuditChainHeads.AsNoTracking()
            .Where(h => chainKey == null || h.ChainKey == chainKey)
            .ToDictionaryAsync(h => h.ChainKey, cancellationToken).ConfigureAwait(false);
        var keys = await db.AuditEntries.IgnoreQueryFilters().Where(e => chainKey == null || e.ChainKey == chainKey)
            .Select(e => e.ChainKey).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);

        // Every institution's chain starts with its creation, so a registered institution without a chain lost all of it
        // (entries and head deleted together leave nothing else to compare with).
        keys.AddRange(await db.Institutions.IgnoreQueryFilters().Where(i => chainKey == null || i.Id == chainKey)
            .Select(i => i.Id).ToListAsync(cancellationToken).ConfigureAwait(false));
        var reports = new List<AuditChainReport>();
        foreach (var key in keys.Distinct().Union(heads.Keys).Order())
        {
            reports.Add(await VerifyChainAsync(key, heads.GetValueOrDefault(key), cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }

    private async Task<AuditChainReport> VerifyChainAsync(int key, AuditChainHead? head, CancellationToken cancellationToken)
    {
        long expected = 1;
        var previous = AuditChainHash.Genesis;
        AuditEntry? last = null;
        var entries = db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.ChainKey == key).OrderBy(e => e.Sequence).ThenBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var problem = Check(entry, expected, previous);
            if (problem is not null)
            {
                return new AuditChainReport(key, expected - 1, previous,
                    new AuditChainBreak(key, entry.Id, entry.Sequence, entry.OccurredAt, problem.Value.Code, problem.Value.Explanation));
            }

            previous = entry.Hash;
            last = entry;
            expected++;
        }

        var count = expected - 1;
        if (head is null && count == 0 && key != 0)
        {
            return new AuditChainReport(key, 0, previous, new AuditChainBreak(key, null, null, null, "chain_missing",
                "登録されている医療機関の監査ログ(チェーン)が丸ごとありません(チェーン全体の削除)。"));
        }

        if (head is null)
        {
            return new AuditChainReport(key, count, previous, count == 0 ? null
                : new AuditChainBreak(key, last?.Id, last?.Sequence, last?.OccurredAt, "head_missing", "チェーンの先頭記録(AuditChainHeads)がありません。"));
        }

        if (head.LastSequence != count || head.LastHash != previous)
        {
            return new AuditChainReport(key, count, previous, new AuditChainBreak(key, last?.Id, last?.Sequence, last?.OccurredAt, "head_mismatch",
                $"先頭記録は{head.LastSequence}件目までを指していますが、記録は{count}件目で終わっています(末尾の削除または先頭記録の改ざん)。"));
        }

        return new AuditChainReport(key, count, previous, null);
    }

    private static (string Code, string Explanation)? Check(AuditEntry entry, long expected, string previous)
    {
        if (entry.Sequence > expected)
        {
            return ("sequence_gap", $"{expected}件目から{entry.Sequence - 1}件目までの記録がありません(削除)。");
        }

        if (entry.Sequence < expected)
        {
            return ("sequence_out_of_order", $"{entry.Sequence}件目が重複しているか順序が入れ替えられています。");
        }

        if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
        {
            return ("previous_hash_mismatch", "直前の記録のハッシュと一致しません(挿入・削除・並べ替え)。");
        }

        if (!string.Equals(AuditChainHash.Compute(entry), entry.Hash, StringComparison.Ordinal))
        {
            return ("content_altered", "記録の内容が書き込み時のハッシュと一致しません(改ざん)。");
        }

        return null;
    }
}
