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
}
