using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;
using Onshi.OqsXml.TextFormat;

namespace Onshi.OqsXml.Tests.TextFormat;

public sealed class OqsClipboardTextTests
{
    [Fact]
    public void FormatsTheResultAsTabSeparatedLinesWithWarekiDatesAndSections()
    {
        var text = OqsClipboardText.Format(Samples.NormalResponse());

        var lines = text.Split("\r\n");
        Assert.Equal("資格情報", lines[0]);
        Assert.Equal("確認日 : \t令和8年9月29日", lines[1]);
        Assert.Contains("保険者番号\t33120015", lines);
        Assert.Contains("生年月日\t昭和50年1月2日", lines);
        Assert.Contains("性別\t男", lines);
        Assert.Contains("負担割合\t3割", lines);
        Assert.Contains("本人・家族の別\t本人", lines);
        Assert.Contains("証区分\t被保険者証(一般)", lines);
        Assert.Contains("資格取得年月日\t令和2年4月1日", lines);
        Assert.Contains("未就学区分\t義務教育就学前", lines);
        Assert.Contains("照会番号\tKARTE-000123", lines);

        var back = Array.IndexOf(lines, "裏面記載情報");
        Assert.True(back > 0);
        Assert.Equal(["氏名\t山田　たろう", "氏名カナ\tﾔﾏﾀﾞ ﾀﾛｳ", "性別\t女"], lines[(back + 1)..(back + 4)]);

        var elderly = Array.IndexOf(lines, "高齢受給者証");
        Assert.Equal(["有効開始日\t令和7年8月1日", "有効終了日\t令和8年7月31日", "負担割合\t2割"], lines[(elderly + 1)..(elderly + 4)]);

        var limit = Array.IndexOf(lines, "限度額適用認定証");
        Assert.Contains("有効開始年月日\t令和7年8月1日", lines[limit..]);
        Assert.Contains("適用区分\tウ", lines[limit..]);
        Assert.Equal("", lines[^1]);
        Assert.All(lines[..^1].Where(l => !l.StartsWith("資格情報", StringComparison.Ordinal) && !l.StartsWith("裏面", StringComparison.Ordinal) && !l.StartsWith("高齢", StringComparison.Ordinal) && !l.StartsWith("限度額", StringComparison.Ordinal)),
            l => Assert.Single(l.Split('\t').Skip(1)));
    }

    [Fact]
    public void LeavesOutOptionalSectionsAndKeepsTheMainKeysStable()
    {
        var minimal = new ResultOfQualificationConfirmation { InsurerNumber = "  138457", Name = "a\tb", Birthdate = "19890108", Sex1 = "2", InsuredPartialContributionRatio = "025" };

        var lines = OqsClipboardText.Format(minimal, "20190501", null).Split("\r\n");

        Assert.Equal("確認日 : \t令和元年5月1日", lines[1]);
        Assert.Contains("保険者番号\t138457", lines);
        Assert.Contains("氏名\ta b", lines);
        Assert.Contains("生年月日\t平成元年1月8日", lines);
        Assert.Contains("性別\t女", lines);
        Assert.Contains("負担割合\t025", lines);
        Assert.Contains("記号\t", lines);
        Assert.DoesNotContain("裏面記載情報", lines);
        Assert.DoesNotContain("高齢受給者証", lines);
        Assert.DoesNotContain("限度額適用認定証", lines);
        Assert.Equal(23, lines.Length);
    }
}
