using System.Globalization;

namespace Onshi.OqsXml.Errors;

/// <summary>
/// Why a file or a row was refused: the stable code, the Japanese sentence for the person at the レセコン,
/// the element path that broke the rule (when one did) and, in bulk files, the 1-based row.
/// The message never repeats the refused value (it may be personal data and is written into response files).
/// </summary>
public sealed record OqsError(OqsErrorCode Code, string Message, string? ElementPath = null, int? Row = null)
{
    /// <summary>The code written into ErrorCode / ProcessingResultCode, e.g. <c>ONSX0104</c>.</summary>
    public string WireCode => OqsErrorCatalogue.WireCodeOf(Code);

    /// <summary>A snake_case name for logs and the JSON API, e.g. <c>oqs.field_invalid_date</c>.</summary>
    public string MachineCode => OqsErrorCatalogue.MachineCodeOf(Code);

    public OqsError WithRow(int row) => this with { Row = row };

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{WireCode} {MachineCode}{(ElementPath is null ? "" : " at " + ElementPath)}{(Row is null ? "" : $" row {Row}")}: {Message}");
}
