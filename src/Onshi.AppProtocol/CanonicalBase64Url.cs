namespace Onshi.AppProtocol;

/// <summary>
/// Strict decoding of base64url without padding (RFC 7515 §2) on top of the BCL's <see cref="System.Buffers.Text.Base64Url"/>:
/// only text that re-encodes to itself. A lenient decoder would give one key or one signature several spellings.
/// </summary>
public static class CanonicalBase64Url
{
    /// <summary>Decodes only canonical text, optionally of an exact decoded length; anything else is null, never an exception.</summary>
    public static byte[]? TryDecode(string? text, int? exactLength = null, int maximumLength = 64 * 1024)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maximumLength)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        byte[] bytes;
        try
        {
            bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }

        if (exactLength is { } length && bytes.Length != length)
        {
            return null;
        }

        return System.Buffers.Text.Base64Url.EncodeToString(bytes) == text ? bytes : null;
    }
}
