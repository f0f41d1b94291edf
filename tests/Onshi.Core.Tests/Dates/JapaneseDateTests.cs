using Onshi.Core.Dates;

namespace Onshi.Core.Tests.Dates;

public sealed class JapaneseDateTests
{
    [Theory]
    [InlineData(2020, 2, 24, JapaneseEra.Reiwa, 2, "020224", "令和2年2月24日")]
    [InlineData(2019, 5, 1, JapaneseEra.Reiwa, 1, "010501", "令和元年5月1日")]
    [InlineData(2019, 4, 30, JapaneseEra.Heisei, 31, "310430", "平成31年4月30日")]
    [InlineData(1989, 1, 8, JapaneseEra.Heisei, 1, "010108", "平成元年1月8日")]
    [InlineData(1989, 1, 7, JapaneseEra.Showa, 64, "640107", "昭和64年1月7日")]
    [InlineData(1980, 2, 17, JapaneseEra.Showa, 55, "550217", "昭和55年2月17日")]
    [InlineData(1926, 12, 24, JapaneseEra.Taisho, 15, "151224", "大正15年12月24日")]
    [InlineData(1912, 7, 29, JapaneseEra.Meiji, 45, "450729", "明治45年7月29日")]
    public void ConvertsGregorianDatesToTheEraTheyFallIn(int y, int m, int d, JapaneseEra era, int eraYear, string yymmdd, string display)
    {
        var date = JapaneseDate.FromGregorian(new DateOnly(y, m, d));
        Assert.Equal(era, date.Era);
        Assert.Equal(eraYear, date.Year);
        Assert.Equal(yymmdd, date.ToYyMmDd());
        Assert.Equal(display, date.ToDisplayString());
        Assert.Equal(new DateOnly(y, m, d), date.ToGregorian());
    }

    [Fact]
    public void BuildsADateFromWhatStaffPickedInTheEraSelector()
    {
        Assert.True(JapaneseDate.TryCreate(JapaneseEra.Reiwa, 2, 2, 24, out var date, out var error));
        Assert.Null(error);
        Assert.Equal(new DateOnly(2020, 2, 24), date.ToGregorian());
    }

    [Fact]
    public void RefusesADateOutsideItsEraAndSuggestsTheRightOne()
    {
        Assert.False(JapaneseDate.TryCreate(JapaneseEra.Heisei, 31, 5, 1, out _, out var error));
        Assert.Equal(JapaneseDateErrorCode.OutsideEra, error!.Code);
        Assert.Equal("japanese_date.outside_era", error.MachineCode);
        Assert.Contains("令和元年5月1日", error.Message, StringComparison.Ordinal);
        Assert.False(JapaneseDate.TryCreate(JapaneseEra.Heisei, 1, 1, 7, out _, out var before));
        Assert.Contains("昭和64年1月7日", before!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JapaneseEra.Reiwa, 3, 2, 29)]
    [InlineData(JapaneseEra.Reiwa, 0, 1, 1)]
    [InlineData(JapaneseEra.Showa, 10, 13, 1)]
    [InlineData(JapaneseEra.Showa, 10, 4, 31)]
    public void RefusesDaysThatDoNotExist(JapaneseEra era, int year, int month, int day)
    {
        Assert.False(JapaneseDate.TryCreate(era, year, month, day, out _, out var error));
        Assert.Equal(JapaneseDateErrorCode.NoSuchDate, error!.Code);
        Assert.EndsWith("という日付はありません。", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesDatesBeforeMeiji()
    {
        Assert.False(JapaneseDate.TryFromGregorian(new DateOnly(1868, 9, 7), out _, out var error));
        Assert.Equal(JapaneseDateErrorCode.BeforeMeiji, error!.Code);
        Assert.True(JapaneseDate.TryFromGregorian(new DateOnly(1868, 9, 8), out var first, out _));
        Assert.Equal(JapaneseEra.Meiji, first.Era);
    }

    [Fact]
    public void RoundTripsEveryDayFromMeijiToToday()
    {
        var day = new DateOnly(1868, 9, 8);
        var end = new DateOnly(2030, 12, 31);
        for (var count = 0; day <= end && count < 70000; count++, day = day.AddDays(1))
        {
            var japanese = JapaneseDate.FromGregorian(day);
            Assert.Equal(day, japanese.ToGregorian());
            Assert.True(JapaneseDate.TryCreate(japanese.Era, japanese.Year, japanese.Month, japanese.Day, out var again, out _));
            Assert.Equal(japanese, again);
        }
    }
}
