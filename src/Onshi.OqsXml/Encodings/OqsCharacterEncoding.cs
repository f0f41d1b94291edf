using System.Text;

namespace Onshi.OqsXml.Encodings;

/// <summary>The two encodings of the folder interface; the value is CharacterCodeIdentifier (文字コード識別, OQSCD005).</summary>
public enum OqsCharacterEncoding
{
    Utf8 = 0,
    ShiftJis = 1,
}

public static class OqsCharacterEncodingExtensions
{
    /// <summary>The CharacterCodeIdentifier value: "0" UTF-8, "1" Shift_JIS.</summary>
    public static string Identifier(this OqsCharacterEncoding encoding) => encoding == OqsCharacterEncoding.ShiftJis ? "1" : "0";

    /// <summary>The name written in the XML declaration.</summary>
    public static string DeclarationName(this OqsCharacterEncoding encoding) => encoding == OqsCharacterEncoding.ShiftJis ? "Shift_JIS" : "UTF-8";
}

/// <summary>
/// Encoding instances. "Shift_JIS" on this interface means what Windows レセコン actually write: code page 932
/// (Windows-31J, a superset with ①, 髙 and the NEC/IBM extensions), taken straight from
/// <see cref="CodePagesEncodingProvider"/> so no process-wide registration is needed.
/// </summary>
internal static class OqsEncodings
{
    public static readonly System.Text.Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static readonly System.Text.Encoding StrictShiftJis =
        CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("Code page 932 is not available.");

    /// <summary>Used only to probe whether a character survives a round trip; never for output.</summary>
    public static readonly System.Text.Encoding ProbeShiftJis =
        CodePagesEncodingProvider.Instance.GetEncoding(932, new EncoderReplacementFallback("\u3013"), new DecoderReplacementFallback("\uFFFD"))
        ?? throw new InvalidOperationException("Code page 932 is not available.");

    public static System.Text.Encoding For(OqsCharacterEncoding encoding) =>
        encoding == OqsCharacterEncoding.ShiftJis ? StrictShiftJis : StrictUtf8;
}
