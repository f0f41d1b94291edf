using Microsoft.Extensions.Time.Testing;
using Onshi.Card.Applications;
using Onshi.Card.Issuing;
using Onshi.Card.Virtual;

namespace Onshi.App.Core.Tests.Flow;

/// <summary>Real virtual cards issued once per run (RSA key generation is slow), copied into a folder per test.</summary>
public static class TestCards
{
    public static readonly DateTimeOffset IssueTime = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    public const string Pin = "1234";

    public static CardIssueRequest Kuroki { get; } = new()
    {
        Name = "黒桐　幹也",
        Address = "東京都清瀬市観布子南１２－７－２０２",
        BirthDate = new DateOnly(1980, 2, 17),
        Sex = Sex.Male,
        Pin = Pin,
        SecurityCode = "2285",
        CardExpiry = new DateOnly(2035, 2, 17),
    };

    private static readonly Lazy<TestCertificateAuthority> LazyCa = new(() => TestCertificateAuthority.Create(new FakeTimeProvider(IssueTime)));
    private static readonly Lazy<string> Standard = new(() => CardImageFile.Serialize(CardIssuer.Issue(Kuroki, LazyCa.Value, new FakeTimeProvider(IssueTime))));

    /// <summary>A folder with one standard card, <c>kuroki.json</c>.</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "onshi-app-cards-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kuroki.json"), Standard.Value);
        return folder;
    }
}
