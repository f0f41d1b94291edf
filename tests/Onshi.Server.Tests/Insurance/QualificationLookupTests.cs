using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Core.Codes;
using Onshi.Server.CardLinks;
using Onshi.Server.Data;
using Onshi.Server.Insurance;
using Onshi.Server.Tests.Infrastructure;
using static Onshi.Server.Tests.Insurance.InsuranceSeed;

namespace Onshi.Server.Tests.Insurance;

/// <summary>資格有効性 1–5 and 未登録 through <see cref="QualificationLookup"/> on a real database.</summary>
public abstract class QualificationLookupTests(PortalFixture portal)
{
    private static readonly DateOnly Today = new(2025, 6, 2);
    private static readonly DateTimeOffset NotAfter = new(2029, 3, 31, 14, 59, 59, TimeSpan.Zero);

    private async Task SeedAsync(Action<AppDbContext> add)
    {
        portal.SkipIfUnavailable();
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await EnsureInsurersAsync(db);
        add(db);
        await db.SaveChangesAsync();
    }

    private Task<QualificationLookupResult> ByCardAsync(string key, DateOnly? asOf = null) =>
        portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l => l.FindByCardAsync(key, asOf ?? Today, TestContext.Current.CancellationToken));

    private Task<OperationLinkResult> LinkAsync(long personId, string key) =>
        portal.WithServiceAsync<LinkCard, OperationLinkResult>(async l =>
        {
            var result = await l.ExecuteAsync(personId, key, NotAfter, TestContext.Current.CancellationToken);
            return new OperationLinkResult(result.Succeeded, result.Refusal?.Code);
        });

    private static string NewKey() => "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789:" + Guid.NewGuid().ToString("N").ToUpperInvariant();

    [Fact]
    public async Task AValidQualificationWithItsCertificatesIsCodeOne()
    {
        var id = NextPersonId();
        var number = NextNumber();
        await SeedAsync(db =>
        {
            db.InsuredPersons.Add(Person(id, new DateOnly(1953, 4, 10)));
            db.Qualifications.Add(Qualification(id, Kyokai, number, new DateOnly(2010, 4, 1)));
            db.ElderlyRecipientCertificates.Add(new ElderlyRecipientCertificate { PersonId = id, InsurerNumber = Kyokai.Value, ValidFrom = new DateOnly(2024, 8, 1), ValidUntil = new DateOnly(2025, 7, 31), ContributionRatio = PartialContributionRatio.TwoTenths });
            db.ElderlyRecipientCertificates.Add(new ElderlyRecipientCertificate { PersonId = id, InsurerNumber = Kyokai.Value, ValidFrom = new DateOnly(2023, 8, 1), ValidUntil = new DateOnly(2024, 7, 31), ContributionRatio = PartialContributionRatio.ThreeTenths });
            db.LimitCertificates.Add(new LimitCertificate { PersonId = id, InsurerNumber = Kyokai.Value, Classification = LimitCertificateClassification.LimitApplication, Bracket = LimitApplicationBracket.WorkingAgeLevel1, ValidFrom = new DateOnly(2025, 4, 1), ValidUntil = new DateOnly(2026, 3, 31) });
            db.SpecificDiseaseCertificates.Add(new SpecificDiseaseCertificate { PersonId = id, InsurerNumber = Kyokai.Value, Category = SpecificDiseaseCategory.ChronicRenalFailureOnDialysis, ValidFrom = new DateOnly(2020, 1, 1), SelfPayLimit = 10000 });
        });
        var key = NewKey();
        Assert.Equal(new OperationLinkResult(true, null), await LinkAsync(id, key));

        var result = await ByCardAsync(key);

        Assert.False(result.CardNotLinked);
        Assert.Equal(QualificationValidity.Valid, result.Validity);
        Assert.Equal(id, result.PersonId);
        Assert.Equal(NotAfter, result.CertificateNotAfter);
        var q = Assert.Single(result.Qualifications);
        Assert.Equal((Kyokai.Value, "全国健康保険協会東京支部", number, "00"), (q.InsurerNumber, q.InsurerName, q.Number, q.Branch));
        Assert.Equal(("山田 太郎", new DateOnly(1953, 4, 10)), (q.Name, q.Birthdate));
        Assert.Equal(PartialContributionRatio.TwoTenths, q.ElderlyRecipient?.ContributionRatio);
        Assert.Equal(LimitApplicationBracket.WorkingAgeLevel1, q.LimitCertificate?.Bracket);
        Assert.Equal(SpecificDiseaseCategory.ChronicRenalFailureOnDialysis, Assert.Single(q.SpecificDiseases).Category);

        // The certificates are those valid on the query day, not just any.
        var lastYear = await ByCardAsync(key, new DateOnly(2024, 6, 1));
        Assert.Equal(PartialContributionRatio.ThreeTenths, lastYear.Qualifications[0].ElderlyRecipient?.ContributionRatio);
        Assert.Null(lastYear.Qualifications[0].LimitCertificate);
    }

    [Fact]
    public async Task ALostQualificationIsCodeTwoWithItsDateAndReason()
    {
        var id = NextPersonId();
        await SeedAsync(db =>
        {
            db.InsuredPersons.Add(Person(id, new DateOnly(1980, 1, 1)));
            db.Qualifications.Add(Qualification(id, Kumiai, NextNumber(), new DateOnly(2005, 4, 1), lostOn: new DateOnly(2015, 4, 1)));
            db.Qualifications.Add(Qualification(id, Kyokai, NextNumber(), new DateOnly(2015, 4, 1), lostOn: new DateOnly(2025, 5, 1)));
        });
        var key = NewKey();
        await LinkAsync(id, key);

        var result = await ByCardAsync(key);

        Assert.Equal(QualificationValidity.Invalid, result.Validity);
        var lost = Assert.Single(result.Qualifications);
        Assert.Equal((Kyokai.Value, new DateOnly(2025, 5, 1), ReasonOfLoss.OtherInsuranceAcquired), (lost.InsurerNumber, lost.DisqualificationDate, lost.ReasonOfLoss));

        // The day before the 喪失日 the qualification was still valid.
        Assert.Equal(QualificationValidity.Valid, (await ByCardAsync(key, new DateOnly(2025, 4, 30))).Validity);
    }

    [Fact]
    public async Task AnInsuranceCardOfALostQualificationIsCodeThreeWhenThePersonHasANewerOne()
    {
        var id = NextPersonId();
        var oldNumber = NextNumber();
        var newNumber = NextNumber();
        var birthdate = new DateOnly(1990, 2, 3);
        await SeedAsync(db =>
        {
            db.InsuredPersons.Add(Person(id, birthdate));
            db.Qualifications.Add(Qualification(id, Kumiai, oldNumber, new DateOnly(2012, 4, 1), lostOn: new DateOnly(2025, 4, 1)));
            db.Qualifications.Add(Qualification(id, Kokuho, newNumber, new DateOnly(2025, 4, 1), symbol: ""));
        });

        var result = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
            l.FindByInsuranceCardAsync(Kumiai, "記号1", oldNumber, "00", birthdate, Today, TestContext.Current.CancellationToken));

        Assert.Equal(QualificationValidity.InvalidNewQualificationExists, result.Validity);
        Assert.Equal(id, result.PersonId);
        Assert.Equal([oldNumber, newNumber], result.Qualifications.Select(q => q.Number));

        // The new card itself is valid, and the old one without a newer qualification would be 2.
        var current = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
            l.FindByInsuranceCardAsync(Kokuho, "", newNumber, null, birthdate, Today, TestContext.Current.CancellationToken));
        Assert.Equal(QualificationValidity.Valid, current.Validity);
        var wrongBirthdate = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
            l.FindByInsuranceCardAsync(Kokuho, "", newNumber, null, birthdate.AddDays(1), Today, TestContext.Current.CancellationToken));
        Assert.Equal(QualificationValidity.NoQualification, wrongBirthdate.Validity);
        Assert.Null(wrongBirthdate.PersonId);
    }

    [Fact]
    public async Task NoQualificationOnTheDayIsCodeFourAndAnUnlinkedCardIsItsOwnOutcome()
    {
        var id = NextPersonId();
        await SeedAsync(db =>
        {
            db.InsuredPersons.Add(Person(id, new DateOnly(2000, 1, 1)));
            db.Qualifications.Add(Qualification(id, Kyokai, NextNumber(), new DateOnly(2025, 7, 1)));
        });
        var key = NewKey();
        await LinkAsync(id, key);

        var notYet = await ByCardAsync(key);
        Assert.Equal(QualificationValidity.NoQualification, notYet.Validity);
        Assert.False(notYet.CardNotLinked);
        Assert.Empty(notYet.Qualifications);
        Assert.Equal(id, notYet.PersonId);

        var unlinked = await ByCardAsync(NewKey());
        Assert.True(unlinked.CardNotLinked);
        Assert.Equal("card.not_linked", QualificationLookupResult.CardNotLinkedCode);
        Assert.Null(unlinked.PersonId);
    }

    [Fact]
    public async Task TwoPersonsMatchingTheSameCardFieldsAreCodeFive()
    {
        var first = NextPersonId();
        var second = NextPersonId();
        var number = NextNumber();
        var birthdate = new DateOnly(2015, 5, 5);
        await SeedAsync(db =>
        {
            db.InsuredPersons.Add(Person(first, birthdate, "佐藤 花子", "サトウ ハナコ"));
            db.InsuredPersons.Add(Person(second, birthdate, "佐藤 桜", "サトウ サクラ"));
            db.Qualifications.Add(Qualification(first, Kyokai, number, new DateOnly(2015, 5, 5), branch: "01"));
            db.Qualifications.Add(Qualification(second, Kyokai, number, new DateOnly(2015, 5, 5), branch: "02"));
        });

        var withoutBranch = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
            l.FindByInsuranceCardAsync(Kyokai, "記号1", number, null, birthdate, Today, TestContext.Current.CancellationToken));
        Assert.Equal(QualificationValidity.MultipleMatches, withoutBranch.Validity);
        Assert.Equal(["01", "02"], withoutBranch.Qualifications.Select(q => q.Branch).Order());
        Assert.Null(withoutBranch.PersonId);

        var withBranch = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
            l.FindByInsuranceCardAsync(Kyokai, "記号1", number, "02", birthdate, Today, TestContext.Current.CancellationToken));
        Assert.Equal(QualificationValidity.Valid, withBranch.Validity);
        Assert.Equal(second, withBranch.PersonId);
    }

    [Fact]
    public async Task ANewCardReplacesTheLinkAndTheOldCertificateNoLongerIdentifies()
    {
        var id = NextPersonId();
        var other = NextPersonId();
        await SeedAsync(db =>
        {
            db.InsuredPersons.Add(Person(id, new DateOnly(1970, 1, 1)));
            db.InsuredPersons.Add(Person(other, new DateOnly(1971, 1, 1)));
            db.Qualifications.Add(Qualification(id, Kyokai, NextNumber(), new DateOnly(2010, 4, 1)));
        });
        var oldKey = NewKey();
        var newKey = NewKey();
        await LinkAsync(id, oldKey);
        Assert.Equal(QualificationValidity.Valid, (await ByCardAsync(oldKey)).Validity);

        Assert.Equal(new OperationLinkResult(true, null), await LinkAsync(id, newKey));

        Assert.True((await ByCardAsync(oldKey)).CardNotLinked);
        Assert.Equal(id, (await ByCardAsync(newKey)).PersonId);
        var history = await portal.QueryAsync(db => db.CardLinks.Where(l => l.PersonId == id).OrderBy(l => l.Id).ToListAsync());
        Assert.Equal([oldKey, newKey], history.Select(l => l.LinkageKey));
        Assert.NotNull(history[0].ReplacedAt);
        Assert.Null(history[1].ReplacedAt);

        // The replaced card cannot come back, and a current card cannot be taken over by someone else.
        Assert.Equal(new OperationLinkResult(false, "card_link.superseded"), await LinkAsync(id, oldKey));
        Assert.Equal(new OperationLinkResult(false, "card_link.linked_to_other_person"), await LinkAsync(other, newKey));
        Assert.Equal(new OperationLinkResult(false, "card_link.person_unknown"), await LinkAsync(NextPersonId(), NewKey()));
    }

    [Fact]
    public async Task TheBatchLookupGivesEveryKeyExactlyTheSingleLookupsResultAcrossChunks()
    {
        var (found, lost, renewed, future, twinA, twinB) = (NextPersonId(), NextPersonId(), NextPersonId(), NextPersonId(), NextPersonId(), NextPersonId());
        var (foundNumber, lostNumber, renewedOld, renewedNew, futureNumber, twinNumber) = (NextNumber(), NextNumber(), NextNumber(), NextNumber(), NextNumber(), NextNumber());
        var birthdate = new DateOnly(1970, 1, 2);
        await SeedAsync(db =>
        {
            foreach (var id in new[] { found, lost, renewed, future, twinA, twinB })
            {
                db.InsuredPersons.Add(Person(id, birthdate));
            }

            db.Qualifications.Add(Qualification(found, Kyokai, foundNumber, new DateOnly(2010, 4, 1)));
            db.LimitCertificates.Add(new LimitCertificate { PersonId = found, InsurerNumber = Kyokai.Value, Classification = LimitCertificateClassification.LimitApplication, Bracket = LimitApplicationBracket.WorkingAgeLevel1, ValidFrom = new DateOnly(2025, 4, 1), ValidUntil = new DateOnly(2026, 3, 31) });
            db.Qualifications.Add(Qualification(lost, Kumiai, lostNumber, new DateOnly(2012, 4, 1), lostOn: new DateOnly(2025, 4, 1)));
            db.Qualifications.Add(Qualification(renewed, Kumiai, renewedOld, new DateOnly(2012, 4, 1), lostOn: new DateOnly(2025, 4, 1)));
            db.Qualifications.Add(Qualification(renewed, Kokuho, renewedNew, new DateOnly(2025, 4, 1), symbol: ""));
            db.Qualifications.Add(Qualification(future, Kyokai, futureNumber, new DateOnly(2025, 7, 1)));
            db.Qualifications.Add(Qualification(twinA, Kyokai, twinNumber, new DateOnly(2015, 5, 5), branch: "01"));
            db.Qualifications.Add(Qualification(twinB, Kyokai, twinNumber, new DateOnly(2015, 5, 5), branch: "02"));
        });
        InsuranceCardKey[] mix =
        [
            new(Kyokai, "記号1", foundNumber, "00", birthdate),
            new(Kyokai, "記号1", foundNumber, null, birthdate),
            new(Kyokai, "記号1", foundNumber, "00", birthdate.AddDays(1)),
            new(Kyokai, "記号2", foundNumber, "00", birthdate),
            new(Kumiai, "記号1", lostNumber, "00", birthdate),
            new(Kumiai, "記号1", renewedOld, "00", birthdate),
            new(Kokuho, "", renewedNew, null, birthdate),
            new(Kyokai, "記号1", futureNumber, "00", birthdate),
            new(Kyokai, "記号1", twinNumber, null, birthdate),
            new(Kyokai, "記号1", twinNumber, "02", birthdate),
            new(Kokuho, "", NextNumber(), null, birthdate),
        ];

        // More keys than one batch, so that the chunk boundary is crossed with the same keys on both sides.
        var keys = Enumerable.Range(0, QualificationLookup.BatchSize + 2 * mix.Length).Select(i => mix[i % mix.Length]).ToList();
        var batch = await portal.WithServiceAsync<QualificationLookup, IReadOnlyList<QualificationLookupResult>>(l => l.FindManyByInsuranceCardAsync(keys, Today, TestContext.Current.CancellationToken));

        Assert.Equal(keys.Count, batch.Count);
        var expected = new List<string>();
        foreach (var key in mix)
        {
            var single = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
                l.FindByInsuranceCardAsync(key.Insurer, key.Symbol, key.Number, key.Branch, key.Birthdate, Today, TestContext.Current.CancellationToken));
            expected.Add(System.Text.Json.JsonSerializer.Serialize(single));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(expected[i % mix.Length], System.Text.Json.JsonSerializer.Serialize(batch[i]));
        }

        // The mix covers codes 1, 2, 3, 4 and 5, so the comparison above is not between empty results.
        Assert.Equal(
            [QualificationValidity.Valid, QualificationValidity.Valid, QualificationValidity.NoQualification, QualificationValidity.NoQualification, QualificationValidity.Invalid,
             QualificationValidity.InvalidNewQualificationExists, QualificationValidity.Valid, QualificationValidity.NoQualification, QualificationValidity.MultipleMatches,
             QualificationValidity.Valid, QualificationValidity.NoQualification],
            batch.Take(mix.Length).Select(r => r.Validity));
        Assert.NotNull(batch[0].Qualifications[0].LimitCertificate);
    }

    public sealed record OperationLinkResult(bool Succeeded, string? Code);
}

public sealed class QualificationLookupTestsOnSqlite(SqlitePortal portal) : QualificationLookupTests(portal), IClassFixture<SqlitePortal>;

public sealed class QualificationLookupTestsOnPostgres(PostgresPortal portal) : QualificationLookupTests(portal), IClassFixture<PostgresPortal>;
