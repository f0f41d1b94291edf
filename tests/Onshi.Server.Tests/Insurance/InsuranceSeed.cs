using Onshi.Core.Codes;
using Onshi.Core.Identifiers;
using Onshi.Server.Data;
using Onshi.Server.Insurance;

namespace Onshi.Server.Tests.Insurance;

/// <summary>Builds insurance rows for tests directly through EF (the import has its own tests).</summary>
internal static class InsuranceSeed
{
    private static long _nextPersonId = 1_000_000;
    private static int _nextNumber = 1000;

    public static readonly InsurerNumber Kyokai = InsurerNumber.FromBody("0113001");
    public static readonly InsurerNumber Kumiai = InsurerNumber.FromBody("0613101");
    public static readonly InsurerNumber Kokuho = InsurerNumber.FromBody("13101");

    public static long NextPersonId() => Interlocked.Increment(ref _nextPersonId);

    public static string NextNumber() => Interlocked.Increment(ref _nextNumber).ToString("00000000", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task EnsureInsurersAsync(AppDbContext db)
    {
        foreach (var (number, name) in new[] { (Kyokai, "全国健康保険協会東京支部"), (Kumiai, "テスト健康保険組合"), (Kokuho, "千代田区") })
        {
            if (await db.Insurers.FindAsync(number.Value) is null)
            {
                db.Insurers.Add(new Insurer { Number = number.Value, Name = name });
            }
        }

        await db.SaveChangesAsync();
    }

    public static InsuredPerson Person(long id, DateOnly birthdate, string name = "山田 太郎", string kana = "ヤマダ タロウ") => new()
    {
        Id = id,
        Name = name,
        NameKana = kana,
        Sex = Sex.Male,
        Birthdate = birthdate,
        Address = "東京都千代田区千代田1-1",
        PostNumber = "100-0001",
    };

    public static Qualification Qualification(long personId, InsurerNumber insurer, string number, DateOnly from, DateOnly? lostOn = null, string symbol = "記号1", string branch = "00") => new()
    {
        PersonId = personId,
        InsurerNumber = insurer.Value,
        Symbol = symbol,
        Number = number,
        Branch = branch,
        PersonalFamilyClassification = PersonalFamilyClassification.Insured,
        InsuredName = "山田 太郎",
        CardClassification = InsuredCardClassification.General,
        QualificationDate = from,
        DisqualificationDate = lostOn,
        ReasonOfLoss = lostOn is null ? null : ReasonOfLoss.OtherInsuranceAcquired,
        ContributionRatio = PartialContributionRatio.ThreeTenths,
    };
}
