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

    private static readonly QualificationView Assistance = Qualification with
    {
        InsurerNumber = "12136016",
        InsurerName = "新宿区福祉事務所",
        InsuredCardSymbol = "",
        InsuredIdentificationNumber = "1234566",
        InsuredBranchNumber = "",
        InsuredCardClassification = "A1",
        PartialContributionRatio = "",
        ElderlyRecipient = null,
        LimitCertificate = null,
        MedicalTickets =
        [
            new MedicalTicketView("01", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), "0000123", new DateOnly(2026, 11, 1), "1312345679", "オンシ診療所",
                "", "", ["高血圧症"], "02", 0, "福祉　一郎", "", "01", "02", ""),
        ],
    };

    [Fact]
    public void AMedicalAssistanceResultShowsThePublicExpenseAndTheTicketInJapanese()
    {
        var view = ResultView.From(Result() with { Qualification = Assistance, Qualifications = [Assistance] });

        var assistance = view.Sections.Single(s => s.Title == "公費（医療扶助）");
        Assert.Equal(["公費負担者番号", "受給者番号", "福祉事務所", "有効期間", "医療券等"], assistance.Fields.Select(f => f.Label));
        Assert.Equal(["12136016", "1234566", "新宿区福祉事務所", "令和元年5月1日〜", "医療券"], assistance.Fields.Select(f => f.Value));
        var ticket = view.Sections.Single(s => s.Title == "医療券");
        Assert.Contains(new ResultField("診療年月", "令和8年11月"), ticket.Fields);
        Assert.Contains(new ResultField("傷病名", "高血圧症"), ticket.Fields);
        Assert.Contains(new ResultField("診療別", "入院外"), ticket.Fields);

        // No 保険者, 負担割合, 限度額 or 高齢受給者証 for a 生活保護 patient.
        Assert.DoesNotContain(view.Sections.SelectMany(s => s.Fields), f => f.Label is "保険者番号" or "負担割合");
        Assert.DoesNotContain(view.Sections, s => s.Title is "限度額適用認定証" or "高齢受給者証");
        Assert.StartsWith("資格情報\r\n確認日 : \t令和8年11月25日\r\n資格情報(医療扶助)\r\n公費負担者番号\t12136016\r\n", view.ToClipboardText(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAssistanceWithoutATicketSaysTheTicketIsNotRegistered()
    {
        var unregistered = Assistance with { MedicalTickets = null };
        var view = ResultView.From(Result("6") with { Qualification = unregistered, Qualifications = [unregistered] });

        Assert.Equal(ValidityTone.Valid, view.Tone);
        Assert.StartsWith("未登録", view.Sections.Single(s => s.Title == "公費（医療扶助）").Fields.Single(f => f.Label == "医療券等").Value, StringComparison.Ordinal);
    }

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
