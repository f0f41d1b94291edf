using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.Requests;

/// <summary>
/// What reading a request file produced. <see cref="FileError"/> set: answer with SegmentOfResult 9
/// (<see cref="Request"/> may still hold what was parsed, e.g. for echoing the header). Otherwise answer every row;
/// <see cref="RowErrors"/>[i] non-null means row i gets ProcessingResultStatus 2 with that error.
/// </summary>
public sealed record OqsRequestReadResult
{
    /// <summary>The encoding the request used; write the response in the same one.</summary>
    public OqsCharacterEncoding Encoding { get; init; }

    public OqsRequest? Request { get; init; }

    public OqsError? FileError { get; init; }

    /// <summary>One entry per person row (one for single requests, none for 02req and 同意済 requests).</summary>
    public EquatableList<OqsError?> RowErrors { get; init; } = EquatableList.Empty<OqsError?>();

    /// <summary>
    /// Paths of elements and attributes (<c>…/@name</c>) that the layout does not define at a position that tolerates
    /// them (header, body; never inside a search condition): skipped, answered without, and to be logged by the caller
    /// so the operator learns that the レセコン sends something newer. At most 20 distinct paths; no values.
    /// </summary>
    public EquatableList<string> SkippedElements { get; init; } = EquatableList.Empty<string>();

    public bool IsFileValid => FileError is null && Request is not null;

    public int ValidRowCount => RowErrors.Count(e => e is null);
}
