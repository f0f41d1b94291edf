namespace Onshi.Server.Audit;

/// <summary>One line of the audit log: who did what, to what, when, in which institution, and whether it worked.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Null only for operator actions that are not about one institution.</summary>
    public int? InstitutionId { get; set; }

    public int? ActorAccountId { get; set; }

    /// <summary>ユーザID of the actor as typed at the time (kept even if the account changes), or "operator".</summary>
    public required string Actor { get; set; }

    /// <summary>Stable action code, e.g. "account.created", "login.failed".</summary>
    public required string Action { get; set; }

    /// <summary>What the action was about, e.g. "account:12", "activation_code:5".</summary>
    public string? Target { get; set; }

    /// <summary>Short machine-readable detail, e.g. the real reason of a failed login. Never a secret.</summary>
    public string? Detail { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>
    /// Which hash chain the entry belongs to: the institution id, or 0 for entries about no institution (operator
    /// actions, logins naming an unknown 機関コード). Set by <see cref="AuditChainInterceptor"/>, never by callers.
    /// </summary>
    public int ChainKey { get; set; }

    /// <summary>Position in its chain, 1, 2, 3 … without gaps. Set when the entry is saved.</summary>
    public long Sequence { get; set; }

    /// <summary>Hash of the previous entry of the chain (lower-case hex SHA-256; 64 zeros for the first).</summary>
    public string PreviousHash { get; set; } = "";

    /// <summary>SHA-256 over the canonical encoding of this entry and <see cref="PreviousHash"/>; see readme.md.</summary>
    public string Hash { get; set; } = "";
}
