using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.ActivationCodes;

/// <summary>Configuration section "ActivationCodes".</summary>
public sealed class ActivationCodeOptions
{
    public const string Section = "ActivationCodes";

    /// <summary>An unused code stops working after this many days: a code lying on a note should not stay usable.</summary>
    [Range(1, 90)]
    public int UnusedLifetimeDays { get; set; } = 7;

    /// <summary>Rows per page of the list.</summary>
    [Range(1, 200)]
    public int PageSize { get; set; } = 20;
}
