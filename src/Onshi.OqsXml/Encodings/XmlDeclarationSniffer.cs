using System.Text;
using System.Text.RegularExpressions;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.Encodings;

/// <summary>
/// Decides a request's encoding from its first bytes: a UTF-8 BOM, else the encoding pseudo-attribute of the
/// XML declaration (ASCII in both encodings), else UTF-8 as XML 1.0 prescribes. Anything but UTF-8 and the
/// Shift_JIS family (Shift_JIS, SJIS, Windows-31J, CP932, MS932) is refused; UTF-16 too, since no レセコン uses it.
/// </summary>
internal static partial class XmlDeclarationSniffer
{
    private static readonly HashSet<string> ShiftJisNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Shift_JIS", "Shift-JIS", "SJIS", "Windows-31J", "CP932", "MS932", "x-sjis",
    };

    private static readonly HashSet<string> Utf8Names = new(StringComparer.OrdinalIgnoreCase) { "UTF-8", "UTF8" };

    public static (OqsCharacterEncoding Encoding, int BomLength, OqsError? Error) Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (OqsCharacterEncoding.Utf8, 3, null);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (OqsCharacterEncoding.Utf8, 0, OqsErrorCatalogue.Create(OqsErrorCode.EncodingUnsupported));
        }

        // The declaration must be the very first thing; 200 bytes is far more than any real one.
        var head = bytes[..Math.Min(bytes.Length, 200)];
        if (!head.StartsWith("<?xml"u8))
        {
            return (OqsCharacterEncoding.Utf8, 0, null);
        }

        var end = head.IndexOf("?>"u8);
        if (end < 0)
        {
            return (OqsCharacterEncoding.Utf8, 0, null);
        }

        var declaration = System.Text.Encoding.ASCII.GetString(head[..end]);
        var match = EncodingAttribute().Match(declaration);
        if (!match.Success)
        {
            return (OqsCharacterEncoding.Utf8, 0, null);
        }

        var name = match.Groups["name"].Value;
        if (Utf8Names.Contains(name))
        {
            return (OqsCharacterEncoding.Utf8, 0, null);
        }

        return ShiftJisNames.Contains(name)
            ? (OqsCharacterEncoding.ShiftJis, 0, null)
            : (OqsCharacterEncoding.Utf8, 0, new OqsError(OqsErrorCode.EncodingUnsupported, OqsErrorCatalogue.DefaultMessageOf(OqsErrorCode.EncodingUnsupported)));
    }

    /// <summary>Decodes strictly: invalid byte sequences are an error, never a silent U+FFFD.</summary>
    public static (string? Text, OqsError? Error) Decode(ReadOnlySpan<byte> bytes, OqsCharacterEncoding encoding, int bomLength)
    {
        try
        {
            return (OqsEncodings.For(encoding).GetString(bytes[bomLength..]), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, new OqsError(
                OqsErrorCode.EncodingInvalidBytes,
                $"{encoding.DeclarationName()} として読めないバイト列が含まれています。XML宣言の encoding とファイルの文字コードを一致させてください。"));
        }
    }

    [GeneratedRegex(@"\sencoding\s*=\s*[""'](?<name>[A-Za-z0-9._\-]+)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex EncodingAttribute();
}
