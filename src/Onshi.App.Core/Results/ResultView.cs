using System.Globalization;
using System.Text;
using Onshi.Core.Codes;
using Onshi.Core.Dates;

namespace Onshi.App.Core.Results;

/// <summary>How the validity is coloured: 有効 green, 無効 red, anything that needs a person's judgement amber.</summary>
public enum ValidityTone
{
    Valid = 1,
    Invalid = 2,
    Attention = 3,
}

/// <summary>One labelled value of the result screen.</summary>
public sealed record ResultField(string Label, string Value);

/// <summary>A titled group of fields (資格情報, 高齢受給者証, 限度額適用認定証 …).</summary>
public sealed record ResultSection(string Title, IReadOnlyList<ResultField> Fields);

/// <summary>
/// The result as people read it: validity in words and colour, dates in 和暦, codes as their labels, and the
/// copy-as-text block in the real app's tab-separated format (oqs-system.md §1.6).
/// </summary>
public sealed class ResultView
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    private ResultView(ConfirmationResponse result)
    {
        Result = result;
        Tone = result.Validity.Code switch
        {
            "1" or "6" => ValidityTone.Valid,
            "2" or "3" or "4" => ValidityTone.Invalid,
            _ => ValidityTone.Attention,
        };
        ValidityLabel = string.IsNullOrWhiteSpace(result.Validity.Label)
            ? OqsCodes.QualificationValidity.TryParse(result.Validity.Code, out var v) ? OqsCodes.QualificationValidity.ToLabel(v) : result.Validity.Code
            : result.Validity.Label;
        ConfirmedOn = DisplayDate(DateOnly.FromDateTime(result.ConfirmedAt.ToOffset(Jst).DateTime));
        Sections = BuildSections(result);
    }

    public ConfirmationResponse Result { get; }

    public ValidityTone Tone { get; }

    public string ValidityLabel { get; }

    /// <summary>確認日 in 和暦 (Japan time).</summary>
    public string ConfirmedOn { get; }

    public IReadOnlyList<ResultSection> Sections { get; }

    public static ResultView From(ConfirmationResponse result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultView(result);
    }

    /// <summary>
    /// The clipboard text: a first line <c>資格情報</c>, then <c>key&lt;TAB&gt;value</c> lines, section headers
    /// <c>高齢受給者証</c> and <c>限度額適用認定証</c> on lines of their own, CRLF line ends (a Windows clipboard).
    /// Empty values are left out; dates are 和暦, sex 男/女, 本人・家族の別 本人/家族.
    /// </summary>
    public string ToClipboardText()
    {
        var q = Result.Qualification;
        var text = new StringBuilder();
        void Line(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.Append(key).Append('\t').Append(value).Append("\r\n");
            }
        }

        text.Append("資格情報\r\n");
        text.Append("確認日 : \t").Append(ConfirmedOn).Append("\r\n");
        if (q is null)
        {
            Line("資格有効性", ValidityLabel);
            return text.ToString();
        }

        if (q.IsMedicalAssistance)
        {
            // The real app's 医療扶助 block (oqs-system.md §1.6): its own header, 公費 numbers in place of the insurer's.
            text.Append("資格情報(医療扶助)\r\n");
            Line("公費負担者番号", q.InsurerNumber);
            Line("受給者番号", q.InsuredIdentificationNumber);
            Line("福祉事務所名", q.InsurerName);
            Line("フリガナ", q.NameKana);
            Line("氏名", q.Name);
            Line("生年月日", DisplayDate(q.Birthdate));
            Line("性別", Label(OqsCodes.Sex, q.Sex));
            Line("有効開始日", DisplayDate(q.QualificationDate));
            Line("有効終了日", DisplayDate(q.DisqualificationDate));
            foreach (var ticket in q.MedicalTickets ?? [])
            {
                text.Append("裏面記載情報(医療扶助)\r\n");
                Line("券種", Label(OqsCodes.MedicalTicketType, ticket.TicketType));
                Line("診療年月", DisplayMonth(ticket.TreatmentMonth));
                Line("指定医療機関名", ticket.DesignatedInstitutionName);
                Line("傷病名", string.Join("、", ticket.InjuryNames));
                Line("本人支払額", ticket.SelfPayAmount.ToString(CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        Line("保険者番号", q.InsurerNumber);
        Line("保険者名", q.InsurerName);
        Line("記号", q.InsuredCardSymbol);
        Line("番号", q.InsuredIdentificationNumber);
        Line("枝番", q.InsuredBranchNumber);
        Line("フリガナ", q.NameKana);
        Line("氏名", q.Name);
        Line("生年月日", DisplayDate(q.Birthdate));
        Line("性別", Label(OqsCodes.Sex, q.Sex));
        Line("郵便番号", q.PostNumber);
        Line("住所", q.Address);
        Line("証区分", Label(OqsCodes.InsuredCardClassification, q.InsuredCardClassification));
        Line("有効開始日", DisplayDate(q.InsuredCardValidDate));
        Line("有効終了日", DisplayDate(q.InsuredCardExpirationDate));
        Line("資格取得年月日", DisplayDate(q.QualificationDate));
        Line("負担割合", Label(OqsCodes.PartialContributionRatio, q.PartialContributionRatio));
        Line("本人・家族の別", Label(OqsCodes.PersonalFamilyClassification, q.PersonalFamilyClassification));
        Line("被保険者氏名", q.InsuredName);
        if (q.Preschool)
        {
            Line("未就学区分", "義務教育就学前");
        }

        if (q.ElderlyRecipient is { } elderly)
        {
            text.Append("高齢受給者証\r\n");
            Line("有効開始日", DisplayDate(elderly.ValidStartDate));
            Line("有効終了日", DisplayDate(elderly.ValidEndDate));
            Line("負担割合", Label(OqsCodes.PartialContributionRatio, elderly.PartialContributionRatio));
        }

        if (q.LimitCertificate is { } limit)
        {
            text.Append("限度額適用認定証\r\n");
            Line("区分", Label(OqsCodes.LimitCertificateClassification, limit.Classification));
            Line("適用区分", Label(OqsCodes.LimitApplicationBracket, limit.ClassificationFlag));
            Line("有効開始年月日", DisplayDate(limit.ValidStartDate));
            Line("有効終了年月日", DisplayDate(limit.ValidEndDate));
        }

        return text.ToString();
    }

    /// <summary>A date as 和暦 (令和2年2月24日); dates before 明治 stay in ISO form.</summary>
    public static string DisplayDate(DateOnly? date)
    {
        if (date is not { } d)
        {
            return "";
        }

        return JapaneseDate.TryFromGregorian(d, out var japanese, out _)
            ? japanese.ToDisplayString()
            : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>A month as 和暦 (令和8年12月).</summary>
    public static string DisplayMonth(DateOnly month)
    {
        var day = DisplayDate(new DateOnly(month.Year, month.Month, 1));
        return day.EndsWith("月1日", StringComparison.Ordinal) ? day[..^2] : day;
    }

    /// <summary>The label of a wire code; an unknown code is shown as it came, never dropped.</summary>
    public static string Label<TEnum>(CodeTable<TEnum> table, string? code)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Display(code);
    }

    private static List<ResultSection> BuildSections(ConfirmationResponse result)
    {
        var q = result.Qualification;
        if (q is null)
        {
            return [];
        }

        var sections = new List<ResultSection>();
        if (q.IsMedicalAssistance)
        {
            // 生活保護 only: no insurer, 記号, 負担割合, 限度額 or 高齢受給者証 to show; the 公費 sections say it all.
            sections.Add(new ResultSection("資格情報", PersonFields(q)));
            sections.AddRange(AssistanceSections(q));
            return sections;
        }

        var main = new List<ResultField>();

        Add(main, "氏名", q.Name);
        Add(main, "フリガナ", q.NameKana);
        Add(main, "生年月日", DisplayDate(q.Birthdate));
        Add(main, "性別", Label(OqsCodes.Sex, q.Sex));
        Add(main, "保険者番号", q.InsurerNumber);
        Add(main, "保険者名", q.InsurerName);
        Add(main, "記号", q.InsuredCardSymbol);
        Add(main, "番号", q.InsuredIdentificationNumber);
        Add(main, "枝番", q.InsuredBranchNumber);
        Add(main, "本人・家族の別", Label(OqsCodes.PersonalFamilyClassification, q.PersonalFamilyClassification));
        Add(main, "被保険者氏名", q.InsuredName);
        Add(main, "証区分", Label(OqsCodes.InsuredCardClassification, q.InsuredCardClassification));
        Add(main, "負担割合", Label(OqsCodes.PartialContributionRatio, q.PartialContributionRatio));
        Add(main, "資格取得年月日", DisplayDate(q.QualificationDate));
        Add(main, "有効開始日", DisplayDate(q.InsuredCardValidDate));
        Add(main, "有効終了日", DisplayDate(q.InsuredCardExpirationDate));
        Add(main, "資格喪失年月日", DisplayDate(q.DisqualificationDate));
        Add(main, "資格喪失事由", Label(OqsCodes.ReasonOfLoss, q.ReasonOfLoss));
        Add(main, "郵便番号", q.PostNumber);
        Add(main, "住所", q.Address);
        if (q.Preschool)
        {
            Add(main, "未就学区分", "義務教育就学前");
        }

        sections.Add(new ResultSection("資格情報", main));

        var limit = new List<ResultField>();
        if (q.LimitCertificate is { } l)
        {
            Add(limit, "区分", Label(OqsCodes.LimitCertificateClassification, l.Classification));
            Add(limit, "適用区分", Label(OqsCodes.LimitApplicationBracket, l.ClassificationFlag));
            Add(limit, "有効開始年月日", DisplayDate(l.ValidStartDate));
            Add(limit, "有効終了年月日", DisplayDate(l.ValidEndDate));
        }
        else
        {
            limit.Add(new ResultField("区分", "なし"));
        }

        sections.Add(new ResultSection("限度額適用認定証", limit));

        var elderly = new List<ResultField>();
        if (q.ElderlyRecipient is { } e)
        {
            Add(elderly, "負担割合", Label(OqsCodes.PartialContributionRatio, e.PartialContributionRatio));
            Add(elderly, "有効開始日", DisplayDate(e.ValidStartDate));
            Add(elderly, "有効終了日", DisplayDate(e.ValidEndDate));
        }
        else
        {
            elderly.Add(new ResultField("高齢受給者証", "なし"));
        }

        sections.Add(new ResultSection("高齢受給者証", elderly));

        if (q.SpecificDiseases is { Count: > 0 } diseases)
        {
            sections.Add(new ResultSection("特定疾病療養受療証",
                [.. diseases.Select(d => new ResultField(Label(OqsCodes.SpecificDiseaseCategory, d.DiseaseCategory),
                    $"{DisplayDate(d.ValidStartDate)}〜{DisplayDate(d.ValidEndDate)}"))]));
        }

        // 医療保険 with 医療扶助 (併用): the 公費 follows the insurance.
        foreach (var assistance in result.Qualifications.Where(a => a.IsMedicalAssistance))
        {
            sections.AddRange(AssistanceSections(assistance));
        }

        return sections;
    }

    private static List<ResultField> PersonFields(QualificationView q)
    {
        var fields = new List<ResultField>();
        Add(fields, "氏名", q.Name);
        Add(fields, "フリガナ", q.NameKana);
        Add(fields, "生年月日", DisplayDate(q.Birthdate));
        Add(fields, "性別", Label(OqsCodes.Sex, q.Sex));
        Add(fields, "証区分", Label(OqsCodes.InsuredCardClassification, q.InsuredCardClassification));
        Add(fields, "郵便番号", q.PostNumber);
        Add(fields, "住所", q.Address);
        return fields;
    }

    /// <summary>医療扶助: 公費負担者番号, 受給者番号, 福祉事務所, 有効期間, then each 医療券・調剤券 (or 未登録).</summary>
    private static IEnumerable<ResultSection> AssistanceSections(QualificationView a)
    {
        var period = a.DisqualificationDate is { } end ? $"{DisplayDate(a.QualificationDate)}〜{DisplayDate(end)}" : $"{DisplayDate(a.QualificationDate)}〜";
        var tickets = a.MedicalTickets ?? [];
        yield return new ResultSection("公費（医療扶助）",
        [
            new ResultField("公費負担者番号", a.InsurerNumber),
            new ResultField("受給者番号", a.InsuredIdentificationNumber),
            new ResultField("福祉事務所", a.InsurerName),
            new ResultField("有効期間", period),
            new ResultField("医療券等", tickets.Count == 0 ? "未登録（当月分はまだ登録されていません。福祉事務所に確認してください）" : string.Join("、", tickets.Select(t => Label(OqsCodes.MedicalTicketType, t.TicketType)))),
        ]);

        foreach (var t in tickets)
        {
            var fields = new List<ResultField>();
            Add(fields, "診療年月", DisplayMonth(t.TreatmentMonth));
            Add(fields, "有効期間", $"{DisplayDate(t.ValidStartDate)}〜{DisplayDate(t.ValidEndDate)}");
            Add(fields, "指定医療機関", t.DesignatedInstitutionName);
            Add(fields, "診療別", Label(OqsCodes.MedicalTreatmentType, t.TreatmentType));
            Add(fields, "傷病名", string.Join("、", t.InjuryNames));
            Add(fields, "本人支払額", t.SelfPayAmount.ToString("N0", CultureInfo.InvariantCulture) + "円");
            Add(fields, "単独・併用", Label(OqsCodes.SingleOrCombinedUse, t.SingleOrCombinedUse));
            Add(fields, "交付番号", t.IssueNumber);
            Add(fields, "地区担当員", t.DistrictContactName);
            Add(fields, "処方箋発行元", t.PrescriptionIssuerName);
            yield return new ResultSection(Label(OqsCodes.MedicalTicketType, t.TicketType), fields);
        }
    }

    private static void Add(List<ResultField> list, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            list.Add(new ResultField(label, value));
        }
    }
}

/// <summary>The patient-facing words of the consent screens.</summary>
public static class InformationLabels
{
    public static string Title(string informationType) => informationType switch
    {
        WireInformationTypes.Pharmacy => "薬剤情報",
        WireInformationTypes.Diagnosis => "診療情報",
        WireInformationTypes.Checkup => "特定健診情報",
        WireInformationTypes.Operation => "手術情報",
        _ => informationType,
    };

    public static string Explanation(string informationType) => informationType switch
    {
        WireInformationTypes.Pharmacy => "これまでに処方されたお薬の情報です。",
        WireInformationTypes.Diagnosis => "これまでに受けた診療（検査や処置など）の情報です。",
        WireInformationTypes.Checkup => "特定健診（健康診断）の結果です。",
        WireInformationTypes.Operation => "これまでに受けた手術の情報です。",
        _ => "",
    };

    public static string Purpose(string purpose) => purpose switch
    {
        WirePurposes.Outpatient => "外来診療等（通常とは異なる動線）",
        WirePurposes.HomeVisit => "訪問診療等",
        WirePurposes.Online => "オンライン診療等",
        _ => purpose,
    };
}
