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
    /// Strict mode (the default): an element or attribute the layout does not define fails the file with
    /// <c>oqs.unknown_element</c> / <c>oqs.unexpected_attribute</c>, because silently ignoring a field the
    /// レセコン meant to send would answer a different question than it asked. False skips them.
    /// </summary>
    public bool RejectUnknownElements { get; init; } = true;
}
