using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.Card.Issuing;
using Onshi.Card.Virtual;
using CardSex = Onshi.Card.Applications.Sex;

namespace Onshi.Demo;

/// <summary>A virtual card issued for a synthetic person, and what the demo operator needs to use it.</summary>
public sealed record IssuedCard(long PersonId, string Label, string File, string? Pin, string SecurityCode, string LinkageKey, DateTimeOffset CertificateNotAfter,
    string Name = "", DateOnly BirthDate = default, DateOnly CardExpiry = default);

/// <summary>
/// Issues virtual My Number cards (Onshi.Card) for synthetic persons and writes the files that link them:
/// <c>cards/&lt;person&gt;.json</c> (card images), <c>cards.csv</c> (PINs and security codes for the demo operator —
/// test data only) and <c>card-links.csv</c> in the import format. Card keys are random (RSA key generation), the
/// person data is not.
/// </summary>
public static class SyntheticCards
{
    /// <summary>The linkage key the server will compute (JpkiCertificateInfo.LinkageKey): anchor SHA-256 + ':' + serial.</summary>
    public static string LinkageKey(X509Certificate2 authCa, byte[] certificateDer)
    {
        ArgumentNullException.ThrowIfNull(authCa);
        using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        var serial = certificate.SerialNumberBytes.Span;
        var start = 0;
        while (start < serial.Length - 1 && serial[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(SHA256.HashData(authCa.RawData)) + ":" + Convert.ToHexString(serial[start..]);
    }

    // describe: the scenario of a card by label (the demo cards.csv column "scenario"); null leaves the column empty.
    public static IReadOnlyList<IssuedCard> IssueAndWrite(IEnumerable<(SyntheticPerson Person, string Label, Func<CardIssueRequest, CardIssueRequest> Adjust, int? PinTriesLeft)> cards,
        TestCertificateAuthority ca, string directory, TimeProvider time, int seed, bool writeLinks = true, Func<string, string?>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(ca);
        var random = new Random(seed);
        var issued = new List<IssuedCard>();
        Directory.CreateDirectory(Path.Combine(directory, "cards"));
        foreach (var (person, label, adjust, triesLeft) in cards)
        {
            var pin = random.Next(0, 10000).ToString("0000", CultureInfo.InvariantCulture);
            if (Onshi.Card.Credentials.CardPin.Validate(pin) is not null)
            {
                pin = "2580";
            }

            var request = adjust(new CardIssueRequest
            {
                Name = person.Name,
                NameKana = person.NameKana,
                Address = person.Address,
                BirthDate = person.Birthdate,
                Sex = person.Sex switch { Onshi.Core.Codes.Sex.Male => CardSex.Male, Onshi.Core.Codes.Sex.Female => CardSex.Female, _ => CardSex.NotApplicable },
                Pin = pin,
                SecurityCode = random.Next(0, 10000).ToString("0000", CultureInfo.InvariantCulture),
            });
            var image = CardIssuer.Issue(request, ca, time);
            if (triesLeft is { } left)
            {
                image.RetryCounters["jpki/0018"] = left;
            }

            var file = Path.Combine("cards", person.Id.ToString(CultureInfo.InvariantCulture) + ".json");
            CardImageFile.Save(Path.Combine(directory, file), image);
            using var certificate = X509CertificateLoader.LoadCertificate(image.AuthCertificate);
            issued.Add(new IssuedCard(person.Id, label, file, image.AuthPin, image.SecurityCode, LinkageKey(ca.AuthCa, image.AuthCertificate),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), image.Name, image.BirthDate, image.CardExpiry));
        }

        // One table for whoever walks the demo: who is on the card (as the panel shows it), what case it is, the PIN,
        // and the three parts of 照合番号B as staff type them (生年月日 in 和暦, 有効期限の年, セキュリティコード) — test data only.
        using (var list = new CsvFileWriter(Path.Combine(directory, "cards.csv")))
        {
            list.Header("person_id", "label", "name", "scenario", "card_file", "pin", "birth_date", "birth_date_wareki", "card_expiry_year", "security_code",
                "check_code_b", "certificate_not_after");
            foreach (var card in issued)
            {
                var wareki = Onshi.Core.Dates.JapaneseDate.TryFromGregorian(card.BirthDate, out var japanese, out _) ? japanese.ToDisplayString() : "";
                var checkCode = Onshi.Card.Credentials.CheckCodeB.TryCompose(card.BirthDate, card.CardExpiry.Year, card.SecurityCode, out var code, out _) ? code!.Value : "";
                list.Row(card.PersonId.ToString(CultureInfo.InvariantCulture), card.Label, card.Name, describe?.Invoke(card.Label) ?? "", card.File, card.Pin ?? "",
                    card.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), wareki, card.CardExpiry.Year.ToString(CultureInfo.InvariantCulture), card.SecurityCode,
                    checkCode, card.CertificateNotAfter.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
            }
        }

        if (writeLinks)
        {
            WriteLinks(Path.Combine(directory, "card-links.csv"), issued);
        }

        return issued;
    }

    public static void WriteLinks(string path, IEnumerable<IssuedCard> cards)
    {
        using var links = new CsvFileWriter(path);
        links.Header("person_id", "linkage_key", "certificate_not_after");
        foreach (var card in cards.OrderBy(c => c.PersonId))
        {
            links.Row(card.PersonId.ToString(CultureInfo.InvariantCulture), card.LinkageKey, card.CertificateNotAfter.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
        }
    }
}
