using System.Globalization;
using System.Text;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Responses;

namespace Onshi.OqsXml.TextFormat;

/// <summary>
/// The マイナ資格確認アプリ's copy-to-clipboard text (oqs-system.md §1.6), built from the same result model as the
/// XML: <c>key&lt;TAB&gt;value</c> lines (CRLF), sections 資格情報 / 裏面記載情報 / 高齢受給者証 / 限度額適用認定証,
/// 和暦 dates, 男/女, and the <c>確認日 : </c> key with its trailing " : " that existing parsers expect.
/// 資格情報 always lists every key (empty value when absent) so parsers see a stable shape; the other sections
/// appear only when the result has that information.
/// </summary>
public static class OqsClipboardText
{
    private const string NewLine = "\r\n";

    /// <summary>The text for the first qualification of a confirmation response, dated by its QualificationConfirmationDate.</summary>
    public static string Format(QualificationConfirmationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var result = response.Body.Results.Count > 0
            ? response.Body.Results[0]
            : throw new ArgumentException("The response holds no qualification.", nameof(response));
        return Format(result, response.Header.QualificationConfirmationDate, response.Body.ReferenceNumber);
    }

    /// <summary>照会番号 is one per person (MessageBody level), so the caller passes it next to the qualification.</summary>
    public static string Format(ResultOfQualificationConfirmation result, string? qualificationConfirmationDate, string? referenceNumber)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.Append("資格情報").Append(NewLine);
        Line(text, "確認日 : ", JapaneseEraDate.Format(qualificationConfirmationDate));
        Line(text, "保険者番号", result.InsurerNumber?.Trim());
        Line(text, "保険者名", result.InsurerName);
        Line(text, "記号", result.InsuredCardSymbol);
        Line(text, "番号", result.InsuredIdentificationNumber);
        Line(text, "枝番", result.InsuredBranchNumber);
        Line(text, "フリガナ", result.NameKana);
        Line(text, "氏名", result.Name);
        Line(text, "生年月日", JapaneseEraDate.Format(result.Birthdate));
        Line(text, "性別", OqsCodeSets.Sex.MeaningOf(result.Sex1));
        Line(text, "郵便番号", result.PostNumber);
        Line(text, "住所", result.Address);
        Line(text, "証区分", OqsCodeSets.InsuredCardClassification.MeaningOf(result.InsuredCardClassification));
        Line(text, "有効開始日", JapaneseEraDate.Format(result.InsuredCardValidDate));
        Line(text, "有効終了日", JapaneseEraDate.Format(result.InsuredCardExpirationDate));
        Line(text, "資格取得年月日", JapaneseEraDate.Format(result.QualificationDate));
        Line(text, "負担割合", Ratio(result.InsuredPartialContributionRatio));
        Line(text, "本人・家族の別", OqsCodeSets.PersonalFamilyClassification.MeaningOf(result.PersonalFamilyClassification));
        Line(text, "被保険者氏名", result.InsuredName);
        Line(text, "照会番号", referenceNumber ?? result.ReferenceNumber);
        Line(text, "未就学区分", result.PreschoolClassification == "1" ? "義務教育就学前" : "");

        if (result.NameOfOther is not null || result.NameOfOtherKana is not null || result.Sex2 is not null)
        {
            text.Append("裏面記載情報").Append(NewLine);
            Line(text, "氏名", result.NameOfOther);
            Line(text, "氏名カナ", result.NameOfOtherKana);
            Line(text, "性別", OqsCodeSets.Sex.MeaningOf(result.Sex2));
        }

        if (result.ElderlyRecipientCertificateInfo is { } elderly)
        {
            text.Append("高齢受給者証").Append(NewLine);
            Line(text, "有効開始日", JapaneseEraDate.Format(elderly.ElderlyRecipientValidStartDate));
            Line(text, "有効終了日", JapaneseEraDate.Format(elderly.ElderlyRecipientValidEndDate));
            Line(text, "負担割合", Ratio(elderly.ElderlyRecipientContributionRatio));
        }

        if (result.LimitApplicationCertificateRelatedInfo is { } limit)
        {
            text.Append("限度額適用認定証").Append(NewLine);
            Line(text, "区分", OqsCodeSets.LimitCertificateClassification.MeaningOf(limit.LimitApplicationCertificateClassification));
            Line(text, "適用区分", OqsCodeSets.LimitCertificateClassificationFlag.MeaningOf(limit.LimitApplicationCertificateClassificationFlag));
            Line(text, "有効開始年月日", JapaneseEraDate.Format(limit.LimitApplicationCertificateValidStartDate));
            Line(text, "有効終了年月日", JapaneseEraDate.Format(limit.LimitApplicationCertificateValidEndDate));
        }

        return text.ToString();
    }

    /// <summary>"030" → "3割"; anything that is not whole tenths stays as written.</summary>
    private static string Ratio(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var tenths) && tenths % 10 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{tenths / 10}割")
            : value ?? "";

    private static void Line(StringBuilder text, string key, string? value)
    {
        // A tab or line break inside a value would shift every later key for the parsers.
        var clean = (value ?? "").Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
        text.Append(key).Append('\t').Append(clean).Append(NewLine);
    }
}
