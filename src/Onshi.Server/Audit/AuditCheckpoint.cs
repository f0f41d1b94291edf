using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Data;

namespace Onshi.Server.Audit;

/// <summary>One chain as a checkpoint saw it: its length and the hash of its last entry (the entry at position Length).</summary>
public sealed record AuditCheckpointChain(int ChainKey, long Length, string HeadHash);

/// <summary>The heads of every chain at one moment, as signed into a checkpoint file.</summary>
public sealed record AuditCheckpoint(int Version, DateTimeOffset CreatedAt, IReadOnlyList<AuditCheckpointChain> Chains);

/// <summary>What a checkpoint says is wrong with today's database. Problem: checkpoint_entry_missing, checkpoint_hash_mismatch, chain_broken.</summary>
public sealed record AuditCheckpointFinding(int ChainKey, long Position, string Problem, string Explanation);

/// <summary>Why a checkpoint file was not accepted (stable code plus Japanese message).</summary>
public sealed class AuditCheckpointException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Signed checkpoints of the audit chains (readme.md, "Checkpoints"): someone who can write the database can rewrite a
/// chain from any entry onwards and fix up its head, and the database alone cannot tell. A checkpoint is kept outside
/// the database (a file the operator archives elsewhere) and signed with an ECDSA P-256 key that is not in the database
/// either, so a later check finds any chain that no longer holds, at the same position, the head it had then.
/// </summary>
public sealed class AuditCheckpoints(AppDbContext db, AuditChainVerifier verifier, TimeProvider time)
{
    public const string Format = "onshi-audit-checkpoint-v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>The current heads of every chain (or one). A broken chain is refused: a checkpoint must never vouch for tampered data.</summary>
    public async Task<AuditCheckpoint> CaptureAsync(int? chainKey, CancellationToken cancellationToken)
    {
        var reports = await verifier.VerifyAsync(chainKey, cancellationToken).ConfigureAwait(false);
        if (reports.FirstOrDefault(r => !r.Intact) is { } broken)
        {
            throw new AuditCheckpointException("audit.checkpoint_chain_broken",
                $"チェーン {broken.ChainKey} が壊れているため、チェックポイントを作成できません([{broken.Break!.Problem}] {broken.Break.Explanation})。");
        }

        return new AuditCheckpoint(1, time.GetUtcNow(), [.. reports.Select(r => new AuditCheckpointChain(r.ChainKey, r.Entries, r.HeadHash))]);
    }

    /// <summary>The checkpoint file: the payload's exact bytes, its signature and the signing key's fingerprint.</summary>
    public static string Sign(AuditCheckpoint checkpoint, ECDsa key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(checkpoint, Json);
        var signature = key.SignData(payload, HashAlgorithmName.SHA256);
        return JsonSerializer.Serialize(new CheckpointFile(Format, KeyId(key), Convert.ToBase64String(payload), Convert.ToBase64String(signature)), Json);
    }

    /// <summary>Reads a checkpoint file and checks its signature against <paramref name="key"/> (the public half is enough).</summary>
    public static AuditCheckpoint Read(string text, ECDsa key)
    {
        CheckpointFile? file;
        byte[] payload;
        byte[] signature;
        try
        {
            file = JsonSerializer.Deserialize<CheckpointFile>(text, Json);
            payload = Convert.FromBase64String(file?.Payload ?? "");
            signature = Convert.FromBase64String(file?.Signature ?? "");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new AuditCheckpointException("audit.checkpoint_malformed", "チェックポイントファイルの形式が正しくありません。");
        }

        if (file?.Format != Format || payload.Length == 0)
        {
            throw new AuditCheckpointException("audit.checkpoint_malformed", "チェックポイントファイルの形式が正しくありません。");
        }

        if (!key.VerifyData(payload, signature, HashAlgorithmName.SHA256))
        {
            throw new AuditCheckpointException("audit.checkpoint_signature_invalid",
                "チェックポイントの署名が正しくありません(ファイルの改ざん、又は別の鍵で署名されたもの)。");
        }

        return JsonSerializer.Deserialize<AuditCheckpoint>(payload, Json)
            ?? throw new AuditCheckpointException("audit.checkpoint_malformed", "チェックポイントファイルの形式が正しくありません。");
    }

    /// <summary>
    /// Every chain of the checkpoint must still be intact up to the checkpointed position and hold, at that position,
    /// the entry whose hash the checkpoint recorded. Entries after it are newer than the checkpoint and not its business.
    /// </summary>
    public async Task<IReadOnlyList<AuditCheckpointFinding>> CheckAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var findings = new List<AuditCheckpointFinding>();
        var reports = (await verifier.VerifyAsync(null, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.ChainKey);
        foreach (var chain in checkpoint.Chains.Where(c => c.Length > 0))
        {
            var atPosition = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.ChainKey == chain.ChainKey && e.Sequence == chain.Length)
                .Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (atPosition is null)
            {
                findings.Add(new(chain.ChainKey, chain.Length, "checkpoint_entry_missing",
                    $"チェックポイント時点の{chain.Length}件目の記録がありません(末尾又はチェーン全体の削除)。"));
            }
            else if (!string.Equals(atPosition, chain.HeadHash, StringComparison.Ordinal))
            {
                findings.Add(new(chain.ChainKey, chain.Length, "checkpoint_hash_mismatch",
                    $"{chain.Length}件目の記録のハッシュがチェックポイントと異なります(それ以前の記録の削除・改ざん後の書き換え)。"));
            }
            else if (reports.TryGetValue(chain.ChainKey, out var report) && report.Break is { Sequence: { } broken } failure && broken <= chain.Length)
            {
                findings.Add(new(chain.ChainKey, broken, "chain_broken", $"チェックポイント以前の記録が壊れています([{failure.Problem}] {failure.Explanation})。"));
            }
        }

        return findings;
    }

    /// <summary>Loads the key (private for signing, public or private for checking) from a PEM file.</summary>
    public static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException)
        {
            key.Dispose();
            throw new AuditCheckpointException("audit.checkpoint_key_invalid", $"チェックポイント用の鍵ファイル {path} に ECDSA の PEM 鍵がありません。");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new AuditCheckpointException("audit.checkpoint_key_invalid", $"チェックポイント用の鍵は ECDSA P-256 にしてください({path})。");
        }

        return key;
    }

    private static string KeyId(ECDsa key) => Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo())).ToLowerInvariant();

    private sealed record CheckpointFile(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("keyId")] string KeyId,
        [property: JsonPropertyName("payload")] string Payload,
        [property: JsonPropertyName("signature")] string Signature);
}
