using Onshi.Card.Virtual;

namespace Onshi.App.Core.Readers;

/// <summary>Lists the card image files of a demo folder (<c>*.card.json</c> or <c>*.json</c>).</summary>
public static class DemoCards
{
    public static IReadOnlyList<DemoCard> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var cards = new List<DemoCard>();
        foreach (var path in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var image = CardImageFile.Load(path);
                var description = File.Exists(Path.ChangeExtension(path, ".txt"))
                    ? File.ReadAllText(Path.ChangeExtension(path, ".txt")).Trim()
                    : image.Kind == CardKind.FaceAuthenticationOnly ? "顔認証マイナンバーカード（暗証番号なし）" : "マイナンバーカード";
                cards.Add(new DemoCard(Path.GetFileName(path), image.Name, description));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or FormatException
                or UnauthorizedAccessException or ArgumentException)
            {
                // Not a card image: the panel leaves it out rather than failing the whole list.
            }
        }

        return cards;
    }

    /// <summary>Resolves a file name from the panel to a path inside <paramref name="folder"/>; null for anything else.</summary>
    public static string? Resolve(string folder, string fileName)
    {
        if (string.IsNullOrEmpty(fileName) || fileName != Path.GetFileName(fileName))
        {
            return null;
        }

        var path = Path.Combine(folder, fileName);
        return File.Exists(path) ? path : null;
    }
}
