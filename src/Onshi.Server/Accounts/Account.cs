using Onshi.Server.Institutions;

namespace Onshi.Server.Accounts;

/// <summary>A person's login to the portal (and, from issue 4, to the マイナ資格確認アプリ) within one institution.</summary>
public sealed class Account
{
    public int Id { get; set; }

    public int InstitutionId { get; set; }

    public Institution? Institution { get; set; }

    /// <summary>ユーザID as typed: 2–8 half-width alphanumerics.</summary>
    public required string UserId { get; set; }

    /// <summary>Upper-cased ユーザID; unique per institution so that "Staff1" and "staff1" cannot both exist.</summary>
    public required string NormalizedUserId { get; set; }

    /// <summary>ユーザ名.</summary>
    public required string Name { get; set; }

    /// <summary>ユーザ名(カナ), full-width katakana.</summary>
    public required string NameKana { get; set; }

    /// <summary>権限区分.</summary>
    public AccountRole Role { get; set; }

    /// <summary>利用開始年月日 (Japan date, inclusive).</summary>
    public DateOnly StartDate { get; set; }

    /// <summary>利用終了年月日 (Japan date, inclusive); null means no end.</summary>
    public DateOnly? EndDate { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>
    /// True while the password is a one-time password chosen by somebody else (initial or reset): the holder must
    /// replace it before doing anything else.
    /// </summary>
    public bool MustChangePassword { get; set; }

    /// <summary>
    /// Null until the holder has logged in and replaced the initial password once. The app (issue 4) refuses accounts
    /// that never did, as the notice requires.
    /// </summary>
    public DateTimeOffset? FirstLoginCompletedAt { get; set; }

    public int ConsecutiveFailedLogins { get; set; }

    /// <summary>When set and in the future, logins are refused until then or until an administrator unlocks.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>利用停止: set by an administrator; the account can no longer log in.</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>
    /// Changes whenever something that signed-in sessions depend on changes (password, role, stop); sessions carrying
    /// an older stamp are rejected on their next request.
    /// </summary>
    public Guid SecurityStamp { get; set; } = Guid.NewGuid();

    /// <summary>Optimistic concurrency token: two administrators editing the same account cannot silently overwrite.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public bool HasCompletedFirstLogin => FirstLoginCompletedAt is not null;

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public bool IsWithinPeriod(DateOnly today) => IsWithinPeriod(StartDate, EndDate, today);

    /// <summary>利用期間: from the start date to the end date, both inclusive (no end date: open-ended).</summary>
    public static bool IsWithinPeriod(DateOnly startDate, DateOnly? endDate, DateOnly today) => startDate <= today && (endDate is null || today <= endDate);
}
