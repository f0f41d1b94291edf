namespace Onshi.OqsXml;

/// <summary>Limits for reading a 連携 file. The defaults are Onshi's; the real system's limits are not public.</summary>
public sealed record OqsReadOptions
{
    public static OqsReadOptions Default { get; } = new();

    /// <summary>Largest file accepted, in bytes (also the cap on decoded characters). 64 MiB.</summary>
    public int MaxBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most repeated elements (persons) in one file.</summary>
    public int MaxRows { get; init; } = 50_000;

    /// <summary>
    /// True (the default): an element or attribute the layout does not define fails the file with
    /// <c>oqs.unknown_element</c> / <c>oqs.unexpected_attribute</c> wherever its position refuses them (search
    /// conditions, every response position), because ignoring a field the レセコン meant to send there would answer a
    /// different question; positions that tolerate them skip and report. False skips (and reports) them everywhere.
    /// </summary>
    public bool RejectUnknownElements { get; init; } = true;
}
