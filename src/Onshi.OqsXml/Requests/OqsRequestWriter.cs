using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Layout;

namespace Onshi.OqsXml.Requests;

/// <summary>
/// Writes a request file as a レセコン would (for tests, simulators and the agent's own checks). It does not
/// validate values — writing a deliberately wrong request is its point — but it keeps element order, escapes
/// text, and never writes a character the encoding cannot hold (Shift_JIS gets 〓, reported).
/// </summary>
public static class OqsRequestWriter
{
    public static OqsWrittenFile Write(OqsRequest request, OqsCharacterEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(request);
        var substitutions = new List<CharacterSubstitution>();
        var text = LayoutWriter.Write(request, OqsLayouts.For(request.Kind), encoding, substitutions);
        return new OqsWrittenFile(OqsEncodings.For(encoding).GetBytes(text), encoding, substitutions);
    }

    /// <summary>Decodes written bytes back to text (for logs and tests).</summary>
    public static string ToText(OqsWrittenFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return OqsEncodings.For(file.Encoding).GetString(file.Content.Span);
    }
}
