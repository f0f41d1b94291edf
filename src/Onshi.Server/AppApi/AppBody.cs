using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Onshi.Server.AppApi;

/// <summary>
/// Reads a JSON request body ourselves (after the device proof was checked, never before): at most
/// <see cref="MaximumBytes"/>, and a body that is not the expected JSON is <c>app.request_invalid</c>, not an exception.
/// </summary>
public static class AppBody
{
    /// <summary>
    /// The largest request is a 目視確認 confirmation: two certificates (≈ 1.5 KB each), signatures, a few answers and the
    /// signed card-face record (at most Onshi.Jpki.CardFaceRecord.MaximumBytes, 64 KB, as base64url).
    /// </summary>
    public const int MaximumBytes = 128 * 1024;

    public static async Task<byte[]?> ReadBytesAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaximumBytes || http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaximumBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static T? Deserialize<T>(HttpContext http, ReadOnlySpan<byte> bytes)
        where T : class =>
        Deserialize<T>(http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions, bytes);

    public static T? Deserialize<T>(JsonSerializerOptions options, ReadOnlySpan<byte> bytes)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<T?> ReadAsync<T>(HttpContext http)
        where T : class
    {
        var bytes = await ReadBytesAsync(http).ConfigureAwait(false);
        return bytes is null ? null : Deserialize<T>(http, bytes);
    }
}
