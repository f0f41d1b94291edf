namespace Onshi.App.Core.Api;

/// <summary>base64url without padding (RFC 4648 §5), the encoding of every binary field of the app API and of JOSE.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public static byte[] Decode(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);

    /// <summary>Decodes, or returns null for anything that is not base64url.</summary>
    public static byte[]? TryDecode(string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
