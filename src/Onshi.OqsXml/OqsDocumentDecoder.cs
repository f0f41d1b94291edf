using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml;

internal static class OqsDocumentDecoder
{
    public static (string? Text, OqsCharacterEncoding Encoding, OqsError? Error) Decode(ReadOnlySpan<byte> content, OqsReadOptions options)
    {
        if (content.Length > options.MaxBytes)
        {
            return (null, OqsCharacterEncoding.Utf8, OqsErrorCatalogue.Create(OqsErrorCode.FileTooLarge));
        }

        if (content.IsEmpty)
        {
            return (null, OqsCharacterEncoding.Utf8, new OqsError(OqsErrorCode.MalformedXml, "ファイルが空です。"));
        }

        var (encoding, bomLength, error) = XmlDeclarationSniffer.Detect(content);
        if (error is not null)
        {
            return (null, encoding, error);
        }

        var (text, decodeError) = XmlDeclarationSniffer.Decode(content, encoding, bomLength);
        return (text, encoding, decodeError);
    }

    public static byte[] ReadBounded(Stream stream, OqsReadOptions options)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }
}
