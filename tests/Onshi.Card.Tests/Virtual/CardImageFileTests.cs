using Onshi.Card.Virtual;

namespace Onshi.Card.Tests.Virtual;

public sealed class CardImageFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "onshi-card-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void RoundTripsEveryFieldThroughTheFile()
    {
        var image = TestCards.StandardImage();
        image.RetryCounters["visual/0012"] = 7;
        var path = Path.Combine(_directory, "card.json");
        CardImageFile.Save(path, image);
        var loaded = CardImageFile.Load(path);
        Assert.Equal(CardImageFile.Serialize(image), CardImageFile.Serialize(loaded));
        Assert.Equal(7, loaded.RetryCounters["visual/0012"]);
        Assert.Equal(image.AuthPrivateKey, loaded.AuthPrivateKey);
        Assert.Contains("\"format\": \"onshi-virtual-mynumber-card\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void ABlockedPinStaysBlockedAfterTheCardIsLoadedAgain()
    {
        var path = Path.Combine(_directory, "card.json");
        CardImageFile.Save(path, TestCards.StandardImage());
        using (var card = VirtualMyNumberCard.Open(path))
        {
            card.Send("00A4040C0AD392F000260100000001");
            for (var i = 0; i < 3; i++)
            {
                card.Send("002000980439393939");
            }
        }

        using var again = VirtualMyNumberCard.Open(path);
        again.Send("00A4040C0AD392F000260100000001");
        Assert.Equal("63C0", again.Sw("00200098"));
        Assert.Equal("6984", again.Sw("002000980431323334"));
    }

    [Fact]
    public void SavesEachCounterChangeAsItHappens()
    {
        var path = Path.Combine(_directory, "card.json");
        CardImageFile.Save(path, TestCards.StandardImage());
        using var card = VirtualMyNumberCard.Open(path);
        card.Send("00A4040C0AD3921000310001010402");
        card.Send("002000920E3030303030303030303030303030");
        Assert.Equal(9, CardImageFile.Load(path).RetryCounters["visual/0012"]);
    }

    [Theory]
    [InlineData("not json", "JSON")]
    [InlineData("{\"format\":\"other\",\"version\":1}", "カードイメージではありません")]
    [InlineData("{\"format\":\"onshi-virtual-mynumber-card\",\"version\":9}", "版 9")]
    [InlineData("{\"format\":\"onshi-virtual-mynumber-card\",\"version\":1}", "証明書または鍵")]
    public void RefusesFilesThatAreNotUsableCardImagesInJapanese(string json, string expected)
    {
        var error = Assert.Throws<CardImageException>(() => CardImageFile.Deserialize(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaysWhichFileIsMissing()
    {
        var error = Assert.Throws<CardImageException>(() => CardImageFile.Load(Path.Combine(_directory, "none.json")));
        Assert.Contains("none.json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
