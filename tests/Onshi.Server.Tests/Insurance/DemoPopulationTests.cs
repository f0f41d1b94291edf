using Microsoft.EntityFrameworkCore;
using Onshi.Card.Virtual;
using Onshi.Core.Codes;
using Onshi.Server.Insurance;
using Onshi.Demo;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Insurance;

/// <summary>The synthetic generator and the demo population, imported through the real import.</summary>
public abstract class DemoPopulationTests(PortalFixture portal)
{
    [Fact]
    public async Task TheDemoPopulationHasEveryNamedCardWithTheRightLookupOutcome()
    {
        portal.SkipIfUnavailable();
        var directory = Path.Combine(Path.GetTempPath(), "onshi-demo-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await DemoPopulation.CreateAsync(portal.Factory.Services, directory, portal.Time, TestContext.Current.CancellationToken);

            Assert.True(result.Persons >= DemoPopulation.SyntheticPersons + 10);
            Assert.Equal(["有効", "暗証番号を間違えやすい", "暗証番号ロック", "証明書期限切れ（猶予期間内）", "証明書期限切れ（猶予期間後）", "資格喪失", "顔認証マイナンバーカード", "未登録", "高齢受給者・限度額", "特定疾病", DemoPopulation.MedicalAssistanceLabel],
                result.Cards.Select(c => c.Label));
            Assert.True(File.Exists(result.TrustAnchorFile));
            Assert.Contains("未登録", await File.ReadAllTextAsync(Path.Combine(directory, "cards.csv"), TestContext.Current.CancellationToken), StringComparison.Ordinal);

            // One table: name as on the panel, scenario, PIN and the three parts of 照合番号B, consistent with the card image.
            var table = await File.ReadAllLinesAsync(Path.Combine(directory, "cards.csv"), TestContext.Current.CancellationToken);
            var header = table[0].Split(',');
            Assert.Equal(["person_id", "label", "name", "scenario", "card_file", "pin", "birth_date", "birth_date_wareki", "card_expiry_year", "security_code", "check_code_b", "certificate_not_after"], header);
            var valid = result.Cards.Single(c => c.Label == "有効").Card;
            var validImage = CardImageFile.Load(Path.Combine(directory, valid.File));
            var row = table.Single(l => l.Split(',')[1] == "有効").Split(',');
            Assert.Equal(validImage.Name, row[2]);
            Assert.Equal("有効な資格・利用登録済み", row[3]);
            Assert.Equal(validImage.AuthPin, row[5]);
            Assert.StartsWith("昭和", row[7], StringComparison.Ordinal);
            Assert.Equal(Onshi.Card.Credentials.CheckCodeB.Compose(validImage.BirthDate, validImage.CardExpiry.Year, validImage.SecurityCode).Value, row[10]);
            Assert.Contains("有効：", await File.ReadAllTextAsync(Path.Combine(directory, Path.ChangeExtension(valid.File, ".txt")), TestContext.Current.CancellationToken), StringComparison.Ordinal);

            // The server in this fixture trusts the tests' own CA, not the demo CA. Both test CAs share the JPKI DN shape, so
            // the demo CRL is matched to the fixture's anchor by name and then fails its signature check: refused, not stored.
            Assert.Equal("crl.signature_invalid", result.RevocationListRefusal);

            var today = new DateOnly(2025, 6, 2);
            async Task<QualificationLookupResult> Lookup(string label) =>
                await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
                    l.FindByCardAsync(result.Cards.Single(c => c.Label == label).Card.LinkageKey, today, TestContext.Current.CancellationToken));
            Assert.Equal(QualificationValidity.Valid, (await Lookup("有効")).Validity);
            Assert.NotNull((await Lookup("有効")).Qualifications[0].LimitCertificate);
            var elderly = (await Lookup("高齢受給者・限度額")).Qualifications[0];
            Assert.Equal(PartialContributionRatio.TwoTenths, elderly.ElderlyRecipient!.ContributionRatio);
            Assert.Equal(LimitApplicationBracket.General, elderly.LimitCertificate!.Bracket);
            Assert.Single((await Lookup("特定疾病")).Qualifications[0].SpecificDiseases);
            var assistance = await Lookup(DemoPopulation.MedicalAssistanceLabel);
            Assert.Equal(QualificationValidity.Valid, assistance.Validity);
            var publicExpense = Assert.Single(assistance.Qualifications);
            Assert.Equal((InsuredCardClassification.MedicalAssistance, DemoPopulation.DemoBearerNumber, "千代田区福祉事務所"), (publicExpense.CardClassification, publicExpense.InsurerNumber, publicExpense.InsurerName));
            Assert.Equal(new DateOnly(2025, 6, 1), Assert.Single(publicExpense.MedicalTickets).TreatmentMonth);
            Assert.Equal(QualificationValidity.Invalid, (await Lookup("資格喪失")).Validity);
            Assert.True((await Lookup("未登録")).CardNotLinked);
            Assert.Equal(QualificationValidity.Valid, (await Lookup("証明書期限切れ（猶予期間内）")).Validity);

            var image = CardImageFile.Load(Path.Combine(directory, result.Cards.Single(c => c.Label == "暗証番号を間違えやすい").Card.File));
            Assert.Equal(1, image.RetryCounters["jpki/0018"]);
            Assert.Equal(0, CardImageFile.Load(Path.Combine(directory, result.Cards.Single(c => c.Label == "暗証番号ロック").Card.File)).RetryCounters["jpki/0018"]);
            Assert.Equal(CardKind.FaceAuthenticationOnly, CardImageFile.Load(Path.Combine(directory, result.Cards.Single(c => c.Label == "顔認証マイナンバーカード").Card.File)).Kind);
            var now = portal.Time.GetUtcNow();
            var inGrace = result.Cards.Single(c => c.Label == "証明書期限切れ（猶予期間内）").Card.CertificateNotAfter;
            var beyond = result.Cards.Single(c => c.Label == "証明書期限切れ（猶予期間後）").Card.CertificateNotAfter;
            Assert.True(inGrace < now && inGrace > now.AddMonths(-3));
            Assert.True(beyond < now.AddMonths(-3));

            // The synthetic part follows the age rules: 高齢受給者証 only for 70–74, 後期高齢 (39) from 75, 未就学 2割.
            var elderlyAges = await portal.QueryAsync(db => db.ElderlyRecipientCertificates.Select(c => c.Person!.Birthdate).ToListAsync());
            Assert.All(elderlyAges, b => Assert.InRange(Age(b, today), 70, 74));
            var qualifications = await portal.QueryAsync(db => db.Qualifications.Where(q => q.PersonId < 900_000_000).Select(q => new { q.InsurerNumber, q.Person!.Birthdate, q.Preschool, q.ContributionRatio }).ToListAsync());
            Assert.All(qualifications.Where(q => q.InsurerNumber.StartsWith("39", StringComparison.Ordinal)), q => Assert.True(Age(q.Birthdate, today) >= 75));
            Assert.All(qualifications.Where(q => q.Preschool), q => Assert.Equal(PartialContributionRatio.TwoTenths, q.ContributionRatio));
            Assert.Contains(qualifications, q => q.InsurerNumber.Length == 6);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TheGeneratorIsDeterministicForASeed()
    {
        var first = Path.Combine(Path.GetTempPath(), "onshi-gen-" + Guid.NewGuid().ToString("N"));
        var second = Path.Combine(Path.GetTempPath(), "onshi-gen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new SyntheticOptions { Persons = 500, Seed = 42, Today = new DateOnly(2025, 6, 2) };
            var summary = SyntheticDataWriter.Write(first, options);
            SyntheticDataWriter.Write(second, options);
            foreach (var file in SyntheticDataWriter.Files)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(first, file + ".csv")), File.ReadAllBytes(Path.Combine(second, file + ".csv")));
            }

            Assert.Equal(500, File.ReadLines(Path.Combine(first, "persons.csv")).Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
            Assert.True(summary.Rows["persons"] > 500, "job changes add a lost qualification row");
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    private static int Age(DateOnly birthdate, DateOnly day) =>
        day.Year - birthdate.Year - (new DateOnly(day.Year, birthdate.Month, Math.Min(birthdate.Day, DateTime.DaysInMonth(day.Year, birthdate.Month))) > day ? 1 : 0);
}

public sealed class DemoPopulationTestsOnSqlite(SqlitePortal portal) : DemoPopulationTests(portal), IClassFixture<SqlitePortal>;

public sealed class DemoPopulationTestsOnPostgres(PostgresPortal portal) : DemoPopulationTests(portal), IClassFixture<PostgresPortal>;
