using Microsoft.Extensions.Options;
using Onshi.Server.Accounts;

namespace Onshi.Server.Tests.Accounts;

public sealed class PasswordPolicyTests
{
    private static readonly PasswordPolicy Policy = new(Options.Create(new AccountOptions()));

    private static IEnumerable<string> Codes(string? password, string userId = "staff01", string code = "1341234567") =>
        Policy.Check(password, userId, code).Select(r => r.Code);

    [Theory]
    [InlineData("plum blossoms open at dawn")]
    [InlineData("自分だけが知っている長い合言葉です")]
    [InlineData("Tr0ub4dor&3-but-longer")]
    [InlineData("horse staple battery correct")]
    public void AcceptsLongPasswordsWithoutAnyCompositionRule(string password) => Assert.Empty(Codes(password));

    [Fact]
    public void RequiresFifteenCharactersCountedAsTheUserSeesThem()
    {
        Assert.Equal(["password.too_short"], Codes("fourteen chars"));
        Assert.Empty(Codes("fifteen chars!!".Replace("!!", "ab", StringComparison.Ordinal)));
        Assert.Equal(["password.too_short"], Codes("漢字で十四文字の合言葉ですよね"[..14]));
        Assert.Equal(["password.required"], Codes(""));
        Assert.Equal(["password.too_long"], Codes(new string('x', 60) + string.Concat(Enumerable.Range(0, 70).Select(i => (char)('a' + (i % 26))))));
    }

    [Theory]
    [InlineData("passwordpassword")]
    [InlineData("Password12345678")]
    [InlineData("!!!sakura2025!!!")]
    [InlineData("qwertyuiopasdfgh")]
    [InlineData("1q2w3e4r5t6y7u8i")]
    [InlineData("iloveyouiloveyou")]
    [InlineData("mynumbercard2025")]
    public void RefusesCommonPasswordsAndTheirPaddedOrDoubledForms(string password) => Assert.Contains("password.common", Codes(password));

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("abcabcabcabcabcabc")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("987654321098765")]
    [InlineData("1212121212121212")]
    public void RefusesRepetitionAndStraightRuns(string password) => Assert.Contains("password.repetitive", Codes(password));

    [Fact]
    public void RefusesPasswordsContainingTheUserIdOrTheInstitutionCode()
    {
        Assert.Contains("password.contains_user_id", Codes("my id is STAFF01 okay"));
        Assert.Contains("password.contains_institution_code", Codes("clinic 1341234567 door"));
    }

    [Fact]
    public void FullWidthAndHalfWidthFormsOfTheSamePasswordAreTheSame()
    {
        // NFKC: the full-width "ｐａｓｓｗｏｒｄ" is the same password as "password" and is refused the same way.
        Assert.Contains("password.common", Codes("ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ"));
        Assert.Equal(PasswordText.Normalize("ＡＢＣ１２３"), PasswordText.Normalize("ABC123"));
    }
}
