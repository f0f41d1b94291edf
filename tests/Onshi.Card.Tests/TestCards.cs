using Microsoft.Extensions.Time.Testing;
using Onshi.Card.Applications;
using Onshi.Card.Issuing;
using Onshi.Card.Transport;
using Onshi.Card.Virtual;

namespace Onshi.Card.Tests;

/// <summary>Issues real test cards once (RSA key generation is slow) and hands out independent copies.</summary>
public static class TestCards
{
    public static readonly DateTimeOffset IssueTime = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    /// <summary>The person of the public test-card dump (card-protocol.md §5.1), with 照合番号B 55021720352285.</summary>
    public static CardIssueRequest Kuroki { get; } = new()
    {
        Name = "黒桐　幹也",
        Address = "東京都清瀬市観布子南１２－７－２０２",
        BirthDate = new DateOnly(1980, 2, 17),
        Sex = Sex.Male,
        MyNumber = "123456789018",
        Pin = "1234",
        SecurityCode = "2285",
        CardExpiry = new DateOnly(2035, 2, 17),
    };

    private static readonly Lazy<TestCertificateAuthority> LazyCa = new(() => TestCertificateAuthority.Create(new FakeTimeProvider(IssueTime)));
    private static readonly Lazy<string> StandardJson = new(() => CardImageFile.Serialize(CardIssuer.Issue(Kuroki, Ca, Time)));
    private static readonly Lazy<string> FaceOnlyJson = new(() =>
        CardImageFile.Serialize(CardIssuer.Issue(Kuroki with { FaceAuthenticationOnly = true }, Ca, Time)));

    public static FakeTimeProvider Time => new(IssueTime);

    public static TestCertificateAuthority Ca => LazyCa.Value;

    public const string KurokiCheckCodeB = "55021720352285";

    public static CardImage StandardImage() => CardImageFile.Deserialize(StandardJson.Value);

    public static CardImage FaceOnlyImage() => CardImageFile.Deserialize(FaceOnlyJson.Value);

    public static VirtualMyNumberCard StandardCard() => new(StandardImage());

    public static (VirtualMyNumberCard Card, CountingCardTransport Transport, MyNumberCardReader Reader) Reader(CardImage? image = null)
    {
        var card = new VirtualMyNumberCard(image ?? StandardImage());
        var transport = new CountingCardTransport(new InMemoryCardTransport(card));
        return (card, transport, new MyNumberCardReader(transport));
    }

    /// <summary>Sends hex, returns the response in hex (data ‖ SW).</summary>
    public static string Send(this ICardEmulator card, string hex) => Convert.ToHexString(card.Process(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));

    /// <summary>The last four hex digits of the response.</summary>
    public static string Sw(this ICardEmulator card, string hex) => card.Send(hex)[^4..];
}
