using System.Text.RegularExpressions;
using Onshi.Server.Common;

namespace Onshi.Server.Accounts;

/// <summary>The registration form's fields as typed, before validation.</summary>
public sealed record AccountFieldsInput(string? UserId, string? Name, string? NameKana, AccountRole? Role, string? StartDate, string? EndDate);

/// <summary>Validated fields.</summary>
public sealed record AccountFields(string UserId, string Name, string NameKana, AccountRole Role, DateOnly StartDate, DateOnly? EndDate);

/// <summary>
/// The rules of the notice's アカウント管理(登録) screen: ユーザID 2–8 half-width alphanumerics, ユーザ名 required,
/// ユーザ名(カナ) full-width katakana, 利用開始年月日 required, 利用終了年月日 optional and not before the start.
/// </summary>
public static partial class AccountFieldRules
{
    public const int MaxNameLength = 50;

    public static IReadOnlyList<Refusal> CheckUserId(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return [Refusals.UserIdRequired];
        }

        var refusals = new List<Refusal>();
        if (userId.Length is < 2 or > 8)
        {
            refusals.Add(Refusals.UserIdLength);
        }

        if (!HalfWidthAlphanumerics().IsMatch(userId))
        {
            refusals.Add(Refusals.UserIdCharacters);
        }

        return refusals;
    }

    public static string NormalizeUserId(string userId) => userId.Trim().ToUpperInvariant();

    /// <summary>Checks everything except the role (which depends on who is being edited) and uniqueness (needs the database).</summary>
    public static OperationResult<AccountFields> Check(AccountFieldsInput input, bool checkUserId = true)
    {
        var refusals = new List<Refusal>();
        var userId = input.UserId?.Trim() ?? "";
        if (checkUserId)
        {
            refusals.AddRange(CheckUserId(userId));
        }

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            refusals.Add(Refusals.NameRequired);
        }
        else if (name.Length > MaxNameLength)
        {
            refusals.Add(Refusals.NameTooLong);
        }

        var kana = input.NameKana?.Trim() ?? "";
        if (kana.Length == 0)
        {
            refusals.Add(Refusals.KanaRequired);
        }
        else if (kana.Length > MaxNameLength)
        {
            refusals.Add(Refusals.KanaTooLong);
        }
        else if (!FullWidthKatakana().IsMatch(kana))
        {
            refusals.Add(Refusals.KanaNotKatakana);
        }

        DateOnly start = default;
        if (string.IsNullOrWhiteSpace(input.StartDate))
        {
            refusals.Add(Refusals.StartDateRequired);
        }
        else if (!JapanTime.TryParseDate(input.StartDate, out start))
        {
            refusals.Add(Refusals.StartDateInvalid);
        }

        DateOnly? end = null;
        if (!string.IsNullOrWhiteSpace(input.EndDate))
        {
            if (JapanTime.TryParseDate(input.EndDate, out var parsedEnd))
            {
                end = parsedEnd;
                if (start != default && parsedEnd < start)
                {
                    refusals.Add(Refusals.EndBeforeStart);
                }
            }
            else
            {
                refusals.Add(Refusals.EndDateInvalid);
            }
        }

        if (input.Role is not { } role || !Enum.IsDefined(role))
        {
            refusals.Add(Refusals.RoleNotAssignable);
            role = AccountRole.General;
        }

        return refusals.Count > 0
            ? OperationResult<AccountFields>.Fail(refusals)
            : OperationResult<AccountFields>.Ok(new AccountFields(userId, name, kana, role, start, end));
    }

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex HalfWidthAlphanumerics();

    // ァ–ヺ (katakana incl. ヴ, small kana), ー (長音), ・ (中黒), and full- or half-width spaces between family and given name.
    [GeneratedRegex("^[\u30A1-\u30FA\u30FB\u30FC\u3000 ]+$")]
    private static partial Regex FullWidthKatakana();
}
