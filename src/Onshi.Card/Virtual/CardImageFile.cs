using System.Text.Json;
using System.Text.Json.Serialization;

namespace Onshi.Card.Virtual;

/// <summary>A card image file that cannot be used, with a Japanese explanation.</summary>
public sealed class CardImageException : Exception
{
    public CardImageException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }

    public CardImageException()
    {
    }

    public CardImageException(string message) : base(message)
    {
    }
}

/// <summary>
/// Reads and writes card images as JSON (bytes in base64). Writes go to a temporary file in the same folder that is
/// then renamed over the old one, so a crash never leaves a half-written card and a blocked PIN stays blocked.
/// </summary>
public static class CardImageFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(CardImage image) => JsonSerializer.Serialize(image, Options);

    public static CardImage Deserialize(string json)
    {
        CardImage? image;
        try
        {
            image = JsonSerializer.Deserialize<CardImage>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new CardImageException($"カードイメージのJSONを読めません: {ex.Message}", ex);
        }

        if (image is null || image.Format != CardImage.FormatName)
        {
            throw new CardImageException($"カードイメージではありません（format が \"{CardImage.FormatName}\" ではありません）。");
        }

        if (image.Version != CardImage.CurrentVersion)
        {
            throw new CardImageException($"カードイメージの版 {image.Version} には対応していません（対応: {CardImage.CurrentVersion}）。");
        }

        if (image.AuthCertificate.Length == 0 || image.AuthPrivateKey.Length == 0 || image.ApPrivateKey.Length == 0)
        {
            throw new CardImageException("カードイメージに証明書または鍵がありません。");
        }

        return image;
    }

    public static CardImage Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CardImageException($"カードイメージ {path} を読めません: {ex.Message}", ex);
        }

        return Deserialize(json);
    }

    /// <summary>Writes the image atomically (temporary file, flush to disk, rename).</summary>
    public static void Save(string path, CardImage image)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, image, Options);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
