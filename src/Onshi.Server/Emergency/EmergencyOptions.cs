using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.Emergency;

/// <summary>Configuration section "Emergency" (緊急時医療情報・資格確認機能); the reasons are in readme.md.</summary>
public sealed class EmergencyOptions
{
    public const string Section = "Emergency";

    public const int ReasonLength = 200;

    /// <summary>Longest period an administrator may set; a longer disaster needs a new, again audited, activation.</summary>
    [Range(1, 90)]
    public int MaximumDays { get; set; } = 14;

    /// <summary>More persons than this for one search: refused, staff are asked to narrow with 住所 or 保険者番号.</summary>
    [Range(1, 20)]
    public int MaximumMatches { get; set; } = 5;

    /// <summary>How long one recorded oral consent lets 医療情報閲覧 accounts view (never beyond the period).</summary>
    [Range(1, 72)]
    public int ConsentHours { get; set; } = 24;
}
