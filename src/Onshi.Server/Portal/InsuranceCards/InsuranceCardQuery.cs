using System.Globalization;
using System.Text;
using Onshi.OqsXml.Requests;
using Onshi.Server.Common;

namespace Onshi.Server.Portal.InsuranceCards;

/// <summary>
/// What staff type from a 保険証 or 資格確認書 (被保険者証等の記号・番号): normalised as they type it (全角 digits and
/// letters, hyphens and spaces), checked field by field with Japanese messages that name the field, and turned into the
/// same search condition the レセコン interface sends, so both paths answer by one lookup.
/// </summary>
public sealed class InsuranceCardQuery
{
    public string? InsurerNumber { get; set; }

    public string? Symbol { get; set; }

    public string? Number { get; set; }

    public string? Branch { get; set; }

    public string? Birthdate { get; set; }

    /// <summary>
    /// The search condition, or the refusals (one per wrong field) when the input cannot be used. 生年月日 is required for
    /// a 資格確認; 照会番号登録 identifies the card by 記号・番号 alone and passes <paramref name="birthdateRequired"/> false.
    /// </summary>
    public (QualificationConfirmSearchInfo? Search, IReadOnlyList<Refusal> Refusals) Validate(bool birthdateRequired = true)
    {
        var refusals = new List<Refusal>();
        var insurerText = Digits(InsurerNumber);
        var parsed = Core.Identifiers.InsurerNumber.Parse(insurerText);
        if (!parsed.IsValid)
        {
            refusals.Add(new Refusal("card.insurer_invalid", "保険者番号: " + parsed.Error!.Message, nameof(InsurerNumber)));
        }

        var symbol = Halfwidth(Symbol).Trim();
        if (symbol.Length > 20)
        {
            refusals.Add(new Refusal("card.symbol_invalid", "記号: 20文字以内で入力してください。", nameof(Symbol)));
        }

        var number = Halfwidth(Number).Trim();
        if (number.Length is 0 or > 20)
        {
            refusals.Add(new Refusal("card.number_invalid", number.Length == 0 ? "番号: 入力してください。" : "番号: 20文字以内で入力してください。", nameof(Number)));
        }

        var branch = Digits(Branch);
        if (branch.Length == 1)
        {
            branch = "0" + branch; // 枝番 is printed as two digits; staff often type "1" for "01".
        }

        if (branch.Length is not (0 or 2) || !branch.All(char.IsAsciiDigit))
        {
            refusals.Add(new Refusal("card.branch_invalid", "枝番: 半角数字2桁で入力してください（枝番のない証は空欄）。", nameof(Branch)));
        }

        var birthdate = Digits(Birthdate);
        var born = default(DateOnly);
        if ((birthdateRequired || birthdate.Length > 0) && !TryParseStaffDate(Birthdate, out born))
        {
            refusals.Add(new Refusal("card.birthdate_invalid", "生年月日: 西暦の年月日を入力してください（例: 1975-01-02）。", nameof(Birthdate)));
        }

        if (refusals.Count > 0)
        {
            return (null, refusals);
        }

        return (new QualificationConfirmSearchInfo
        {
            InsurerNumber = parsed.Value!.Value.ToPaddedString(),
            InsuredCardSymbol = symbol.Length == 0 ? null : symbol,
            InsuredIdentificationNumber = number,
            InsuredBranchNumber = branch.Length == 0 ? null : branch,
            Birthdate = birthdate.Length == 0 ? null : born.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        }, []);
    }

    /// <summary>全角英数字・記号 to 半角; kana and kanji (記号 may hold them) stay as printed on the card.</summary>
    internal static string Halfwidth(string? text)
    {
        var builder = new StringBuilder(text?.Length ?? 0);
        foreach (var c in text ?? "")
        {
            builder.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                '\u2212' or '\u30FC' or '\u2010' or '\u2011' or '\u2013' or '\u2014' or '\uFF0D' => '-',
                _ => c,
            });
        }

        return builder.ToString();
    }

    /// <summary>A date as staff type it (生年月日, 終了日): 西暦 1975-01-02, 19750102 or 1975/01/02, in 全角 or 半角 digits.</summary>
    internal static bool TryParseStaffDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(Digits(text), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Half-width, without the spaces and hyphens people type between digit groups.</summary>
    internal static string Digits(string? text) =>
        new([.. Halfwidth(text).Where(c => c is not (' ' or '-' or '/'))]);
}
