using System.Text;
using Onshi.Core.Codes;
using Onshi.Server.Common;
using Onshi.Server.Portal.InsuranceCards;

namespace Onshi.Server.Emergency;

/// <summary>A checked search: カナ氏名 without spaces, 生年月日, 性別 and the optional narrowing fields.</summary>
public sealed record EmergencySearch(string Kana, DateOnly Birthdate, Sex Sex, string? AddressPart, string? InsurerNumber);

/// <summary>
/// What staff type to find a patient without a card: 氏名（カナ）・生年月日・性別, and 住所 (part) or 保険者番号 to narrow.
/// Typed as people type them (ひらがな, 半角カナ, 全角 digits, spaces); each wrong field gets one Japanese refusal naming it.
/// </summary>
public sealed class EmergencySearchInput
{
    public string? NameKana { get; set; }

    public string? Birthdate { get; set; }

    public string? Sex { get; set; }

    public string? Address { get; set; }

    public string? InsurerNumber { get; set; }

    public (EmergencySearch? Search, IReadOnlyList<Refusal> Refusals) Validate()
    {
        var refusals = new List<Refusal>();
        var kana = Kana(NameKana);
        if (kana.Length == 0)
        {
            refusals.Add(new Refusal("emergency.kana_required", "氏名（カナ）: 入力してください。", nameof(NameKana)));
        }
        else if (kana.Length > 50 || !kana.All(c => c is >= '\u30A1' and <= '\u30FC'))
        {
            refusals.Add(new Refusal("emergency.kana_invalid", "氏名（カナ）: カタカナ（またはひらがな）50文字以内で入力してください。", nameof(NameKana)));
        }

        if (!InsuranceCardQuery.TryParseStaffDate(Birthdate, out var born))
        {
            refusals.Add(new Refusal("emergency.birthdate_invalid", "生年月日: 西暦の年月日を入力してください（例: 1975-01-02）。", nameof(Birthdate)));
        }

        var sex = Sex?.Trim() switch
        {
            "1" => Core.Codes.Sex.Male,
            "2" => Core.Codes.Sex.Female,
            _ => (Core.Codes.Sex?)null,
        };
        if (sex is null)
        {
            refusals.Add(new Refusal("emergency.sex_invalid", "性別: 男または女を選択してください。", nameof(Sex)));
        }

        var address = Address?.Trim() ?? "";
        if (address.Length > 100)
        {
            refusals.Add(new Refusal("emergency.address_invalid", "住所: 100文字以内で入力してください（一部でも構いません）。", nameof(Address)));
        }

        string? insurer = null;
        var insurerText = InsuranceCardQuery.Digits(InsurerNumber);
        if (insurerText.Length > 0)
        {
            var parsed = Core.Identifiers.InsurerNumber.Parse(insurerText);
            if (parsed.IsValid)
            {
                insurer = parsed.Value!.Value.Value;
            }
            else
            {
                refusals.Add(new Refusal("emergency.insurer_invalid", "保険者番号: " + parsed.Error!.Message, nameof(InsurerNumber)));
            }
        }

        return refusals.Count > 0
            ? (null, refusals)
            : (new EmergencySearch(kana, born, sex!.Value, address.Length == 0 ? null : address, insurer), []);
    }

    /// <summary>NFKC (半角カナ and 全角 letters), ひらがな to カタカナ, without any spaces: how registered カナ氏名 are compared.</summary>
    internal static string Kana(string? text)
    {
        var normalized = (text ?? "").Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            builder.Append(c is >= '\u3041' and <= '\u3096' ? (char)(c + 0x60) : c);
        }

        return builder.ToString();
    }
}
