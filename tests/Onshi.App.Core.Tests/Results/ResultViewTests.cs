using Onshi.App.Core.Results;

namespace Onshi.App.Core.Tests.Results;

public sealed class ResultViewTests
{
    private static readonly QualificationView Qualification = new(
        InsurerNumber: "06139999",
        InsurerName: "オンシ健康保険組合",
        InsuredCardSymbol: "記号A",
        InsuredIdentificationNumber: "1234",
        InsuredBranchNumber: "01",
        PersonalFamilyClassification: "1",
        InsuredName: "",
        Name: "黒桐　幹也",
        NameKana: "コクトウ　ミキヤ",
        Sex: "1",
        Birthdate: new DateOnly(1980, 2, 17),
        Address: "東京都清瀬市",
        PostNumber: "204-0000",
        InsuredCardClassification: "01",
        InsuredCardValidDate: null,
        InsuredCardExpirationDate: null,
        QualificationDate: new DateOnly(2019, 5, 1),
        DisqualificationDate: null,
        ReasonOfLoss: null,
        PartialContributionRatio: "030",
        Preschool: false,
        ElderlyRecipient: new ElderlyRecipientView(null, new DateOnly(2025, 8, 1), new DateOnly(2026, 7, 31), "020"),
        LimitCertificate: new LimitCertificateView("01", "A03", null, new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), null),
        SpecificDiseases: []);

    private static ConfirmationResponse Result(string validity = "1") => new(
        ConfirmationId: Guid.Parse("00000000-0000-0000-0000-0000000000c1"),
        ConfirmedAt: new DateTimeOffset(2026, 11, 24, 16, 30, 0, TimeSpan.Zero), // 2026-11-25 01:30 JST
        Method: "pin",
        Purpose: "outpatient",
        Validity: new ValidityView(validity, validity == "1" ? "有効" : "無効"),
        Notices: [],
        QualificationOnly: false,
        Qualification: Qualification,
        Qualifications: [],
        Consents: new Dictionary<string, ConsentView>());

    [Fact]
    public void CopyTextFollowsTheTabSeparatedFormatOfTheRealApp()
    {
        var text = ResultView.From(Result()).ToClipboardText();

        var lines = text.Split("\r\n");
        Assert.Equal("資格情報", lines[0]);
        Assert.Equal("確認日 : \t令和8年11月25日", lines[1]);
        Assert.Contains("保険者番号\t06139999", lines);
        Assert.Contains("保険者名\tオンシ健康保険組合", lines);
        Assert.Contains("記号\t記号A", lines);
        Assert.Contains("番号\t1234", lines);
        Assert.Contains("枝番\t01", lines);
        Assert.Contains("氏名\t黒桐　幹也", lines);
        Assert.Contains("フリガナ\tコクトウ　ミキヤ", lines);
        Assert.Contains("生年月日\t昭和55年2月17日", lines);
        Assert.Contains("性別\t男", lines);
        Assert.Contains("証区分\t被保険者証(一般)", lines);
        Assert.Contains("資格取得年月日\t令和元年5月1日", lines);
        Assert.Contains("本人・家族の別\t本人", lines);
        var elderly = Array.IndexOf(lines, "高齢受給者証");
        var limit = Array.IndexOf(lines, "限度額適用認定証");
        Assert.True(elderly > 0 && limit > elderly);
        Assert.Equal("負担割合\t3割", lines.First(l => l.StartsWith("負担割合", StringComparison.Ordinal)));
        Assert.Contains("負担割合\t2割", lines[elderly..limit]);
        Assert.Contains("有効開始日\t令和7年8月1日", lines[elderly..limit]);
        Assert.Contains("有効開始年月日\t令和8年4月1日", lines[limit..]);
        Assert.Contains("有効終了年月日\t令和9年3月31日", lines[limit..]);
        Assert.Contains("適用区分\tウ", lines[limit..]);
        Assert.All(lines.Skip(1).Where(l => l.Length > 0 && l is not ("高齢受給者証" or "限度額適用認定証")), l => Assert.Single(l.Split('\t').Skip(1)));
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidityGetsItsToneAndCodesTheirLabels()
    {
        var valid = ResultView.From(Result("1"));
        var lost = ResultView.From(Result("2"));
        var multiple = ResultView.From(Result("5") with { Validity = new ValidityView("5", "") });

        Assert.Equal(ValidityTone.Valid, valid.Tone);
        Assert.Equal(ValidityTone.Invalid, lost.Tone);
        Assert.Equal(ValidityTone.Attention, multiple.Tone);
        Assert.Equal("複数該当", multiple.ValidityLabel);
        var main = valid.Sections[0];
        Assert.Equal("資格情報", main.Title);
        Assert.Contains(new ResultField("負担割合", "3割"), main.Fields);
        Assert.Contains(new ResultField("生年月日", "昭和55年2月17日"), main.Fields);
        Assert.Contains(new ResultField("適用区分", "ウ"), valid.Sections.Single(s => s.Title == "限度額適用認定証").Fields);
    }

    [Fact]
    public void AnUnknownCodeIsShownAsItCameNotDropped()
    {
        Assert.Equal("999", ResultView.Label(Onshi.Core.Codes.OqsCodes.PartialContributionRatio, "999"));
        Assert.Equal("", ResultView.DisplayDate(null));
        Assert.Equal("令和2年2月24日", ResultView.DisplayDate(new DateOnly(2020, 2, 24)));
    }
}
