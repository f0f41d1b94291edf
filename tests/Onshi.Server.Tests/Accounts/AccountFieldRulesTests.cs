using Onshi.Server.Accounts;

namespace Onshi.Server.Tests.Accounts;

public sealed class AccountFieldRulesTests
{
    private static IEnumerable<string> Codes(string? userId = "staff1", string? name = "山田", string? kana = "ヤマダ", AccountRole? role = AccountRole.General, string? start = "2025-06-01", string? end = null) =>
        AccountFieldRules.Check(new AccountFieldsInput(userId, name, kana, role, start, end)).Refusals.Select(r => r.Code);

    [Theory]
    [InlineData("ab")]
    [InlineData("A1b2C3d4")]
    public void AcceptsTwoToEightHalfWidthAlphanumerics(string userId) => Assert.Empty(Codes(userId));

    [Theory]
    [InlineData("a", "account.user_id_length")]
    [InlineData("abcdefghi", "account.user_id_length")]
    [InlineData("ab-c", "account.user_id_characters")]
    [InlineData("ａｂｃ", "account.user_id_characters")]
    [InlineData("やまだ", "account.user_id_characters")]
    public void RefusesOtherUserIds(string userId, string code) => Assert.Contains(code, Codes(userId));

    [Theory]
    [InlineData("ヤマダ タロウ")]
    [InlineData("ヤマダ　タロウ")]
    [InlineData("ジョーンズ・メアリー")]
    [InlineData("ヴァン")]
    public void AcceptsFullWidthKatakana(string kana) => Assert.Empty(Codes(kana: kana));

    [Theory]
    [InlineData("ﾔﾏﾀﾞ")]
    [InlineData("やまだ")]
    [InlineData("Yamada")]
    [InlineData("ヤマダ1")]
    public void RefusesAnythingElseAsKana(string kana) => Assert.Equal(["account.kana_not_katakana"], Codes(kana: kana));

    [Fact]
    public void ChecksTheDates()
    {
        Assert.Equal(["account.start_date_required"], Codes(start: ""));
        Assert.Equal(["account.start_date_invalid"], Codes(start: "2025-13-01"));
        Assert.Equal(["account.end_date_invalid"], Codes(end: "tomorrow"));
        Assert.Equal(["account.end_before_start"], Codes(start: "2025/06/02", end: "2025/06/01"));
        Assert.Empty(Codes(start: "2025/06/02", end: "2025-06-02"));
    }
}
