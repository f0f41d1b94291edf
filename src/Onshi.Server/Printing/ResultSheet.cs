using System.Globalization;
using Onshi.Core.Codes;
using Onshi.Core.Dates;
using Onshi.OqsXml.Responses;
using Onshi.Server.Common;

namespace Onshi.Server.Printing;

/// <summary>One labelled value of a result; <see cref="TestId"/> names it for the screen's tests.</summary>
public sealed record SheetRow(string Label, string Value, string? TestId = null);

public sealed record SheetSection(string Heading, IReadOnlyList<SheetRow> Rows);

/// <summary>
/// A qualification result as people read it — 和暦 (西暦) dates, codes through <see cref="CodeTable{T}.Display"/> — built
/// once and rendered twice: by the page (screen and print CSS) and by <see cref="ResultPdf"/>. Sharing the rows is what
/// keeps the PDF and the screen from ever disagreeing.
/// </summary>
public sealed record ResultSheet(string Title, string Validity, string? ValidityCode, string? Error, string? Notice, IReadOnlyList<SheetSection> Sections)
{
    /// <summary>A 資格確認 result in the 連携 model (the shape both the レセコン lookup and the app's stored answers map to).</summary>
    public static ResultSheet FromQualificationResult(string title, QualificationConfirmationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ProcessingResultStatus == "2")
        {
            return new ResultSheet(title, "エラー", null, result.ProcessingResultMessage ?? "照会できませんでした。", null, []);
        }

        var sections = new List<SheetSection>();
        for (var i = 0; i < result.Results.Count; i++)
        {
            var r = result.Results[i];
            var number = result.Results.Count > 1 ? $" {i + 1}" : "";
            if (r.InsuredCardClassification == "A1")
            {
                sections.AddRange(AssistanceSections(r, number));
            }
            else
            {
                sections.Add(new SheetSection("資格情報" + number, Rows(r)));
            }
        }

        var notice = result.ProcessingResultMessage
            ?? (result.QualificationValidity switch
            {
                "4" => "入力した記号・番号と生年月日に該当する資格がありません。入力内容を保険証・資格確認書と照らし合わせてください。",
                "6" => "医療扶助は有効ですが、当月の医療券・調剤券がまだ登録されていません（未登録）。福祉事務所に発行を依頼してください。",
                _ => null,
            });
        return new ResultSheet(title, OqsCodes.QualificationValidity.Display(result.QualificationValidity), result.QualificationValidity, null, notice, sections);
    }

    private static List<SheetRow> Rows(ResultOfQualificationConfirmation r)
    {
        var rows = new List<SheetRow>
        {
            new("保険者番号", r.InsurerNumber?.Trim() ?? ""),
            new("保険者名", r.InsurerName ?? ""),
            new("記号", r.InsuredCardSymbol ?? ""),
            new("番号", r.InsuredIdentificationNumber ?? ""),
            new("枝番", r.InsuredBranchNumber ?? ""),
            new("本人・家族の別", OqsCodes.PersonalFamilyClassification.Display(r.PersonalFamilyClassification)),
            new("氏名", r.Name ?? "", "name"),
            new("氏名カナ", r.NameKana ?? ""),
            new("生年月日", DateText(r.Birthdate), "birthdate"),
            new("性別", OqsCodes.Sex.Display(r.Sex1)),
            new("資格取得年月日", DateText(r.QualificationDate)),
            new("資格喪失年月日", DateText(r.DisqualificationDate)),
            new("有効期間", r.InsuredCardValidDate is null && r.InsuredCardExpirationDate is null ? "" : $"{DateText(r.InsuredCardValidDate)}〜{DateText(r.InsuredCardExpirationDate)}"),
            new("被保険者証区分", OqsCodes.InsuredCardClassification.Display(r.InsuredCardClassification)),
            new("負担割合", OqsCodes.PartialContributionRatio.Display(r.InsuredPartialContributionRatio), "ratio"),
            new("限度額適用区分", r.LimitApplicationCertificateRelatedInfo is { } limit ? OqsCodes.LimitApplicationBracket.Display(limit.LimitApplicationCertificateClassificationFlag) : "なし", "limit"),
        };
        if (r.ElderlyRecipientCertificateInfo is { } elderly)
        {
            rows.Add(new("高齢受給者証 負担割合", OqsCodes.PartialContributionRatio.Display(elderly.ElderlyRecipientContributionRatio), "elderly-ratio"));
            rows.Add(new("高齢受給者証 有効期間", $"{DateText(elderly.ElderlyRecipientValidStartDate)}〜{DateText(elderly.ElderlyRecipientValidEndDate)}"));
        }

        foreach (var disease in r.SpecificDiseasesCertificates)
        {
            rows.Add(new("特定疾病療養受療証", $"{OqsCodes.SpecificDiseaseCategory.Display(disease.SpecificDiseasesDiseaseCategory)} 自己負担限度額 {disease.SpecificDiseasesSelfPay}円"));
        }

        return rows;
    }

    /// <summary>
    /// A 医療扶助 (A1) result as people read it: a 公費 section, then one section per 医療券・調剤券. Shared by the sheet
    /// and the portal's app-confirmation detail, so both say the same.
    /// </summary>
    public static IEnumerable<SheetSection> AssistanceSections(ResultOfQualificationConfirmation r, string number = "")
    {
        ArgumentNullException.ThrowIfNull(r);
        yield return new SheetSection("公費（医療扶助）" + number, AssistanceRows(r));
        foreach (var t in r.MedicalTickets)
        {
            yield return new SheetSection(OqsCodes.MedicalTicketType.Display(t.TicketType), TicketRows(t));
        }
    }

    // 医療扶助 in its own words: the result's insurer fields hold the 公費負担者番号, 受給者番号 and 福祉事務所名.
    private static List<SheetRow> AssistanceRows(ResultOfQualificationConfirmation r) =>
    [
        new("公費負担者番号", r.InsurerNumber?.Trim() ?? "", "bearer-number"),
        new("受給者番号", r.InsuredIdentificationNumber ?? "", "recipient-number"),
        new("福祉事務所", r.InsurerName ?? "", "welfare-office"),
        new("被保険者証区分", OqsCodes.InsuredCardClassification.Display(r.InsuredCardClassification)),
        new("氏名", r.Name ?? "", "name"),
        new("氏名カナ", r.NameKana ?? ""),
        new("生年月日", DateText(r.Birthdate), "birthdate"),
        new("性別", OqsCodes.Sex.Display(r.Sex1)),
        new("有効期間", $"{DateText(r.QualificationDate)}〜{DateText(r.DisqualificationDate)}", "assistance-period"),
        new("医療券等", r.MedicalTickets.Count == 0 ? "未登録" : string.Join("、", r.MedicalTickets.Select(t => OqsCodes.MedicalTicketType.Display(t.TicketType))), "medical-tickets"),
    ];

    private static List<SheetRow> TicketRows(MedicalTicketInfo t) =>
    [
        new("診療年月", MonthText(t.MedicalTreatmentMonth), "ticket-month"),
        new("有効期間", $"{DateText(t.MedicalTicketValidDate)}〜{DateText(t.MedicalTicketExpirationDate)}"),
        new("指定医療機関", string.Join(" ", new[] { t.DesignatedMedicalInstitutionName, t.DesignatedMedicalInstitutionCode }.Where(v => !string.IsNullOrEmpty(v))), "ticket-institution"),
        new("診療別", OqsCodes.MedicalTreatmentType.Display(t.MedicalTreatmentType)),
        new("傷病名", string.Join("、", new[] { t.InjuryName1, t.InjuryName2, t.InjuryName3 }.Where(v => !string.IsNullOrEmpty(v))), "ticket-injury"),
        new("本人支払額", t.SelfPayAmount is { } amount ? amount + "円" : ""),
        new("交付番号", t.IssueNumber ?? ""),
        new("単独・併用", OqsCodes.SingleOrCombinedUse.Display(t.SingleOrCombinedUse)),
        new("地区担当員", t.DistrictContactName ?? ""),
        new("処方箋発行元", t.PrescriptionIssuerMedicalInstitutionName ?? ""),
    ];

    private static string MonthText(string? yyyymm) =>
        DateOnly.TryParseExact(yyyymm + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            && JapaneseDate.TryFromGregorian(month, out var japanese, out _)
            ? $"{japanese.ToDisplayString().Replace("月1日", "月", StringComparison.Ordinal)} ({month.Year}年{month.Month}月)"
            : yyyymm ?? "";

    /// <summary>和暦 first, 西暦 after it, as on the card and in the app's result.</summary>
    public static string DateText(string? yyyymmdd) =>
        DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? DateText(date) : "";

    public static string DateText(DateOnly date) =>
        JapaneseDate.TryFromGregorian(date, out var japanese, out _) ? $"{japanese.ToDisplayString()} ({JapanTime.Format(date)})" : JapanTime.Format(date);
}
