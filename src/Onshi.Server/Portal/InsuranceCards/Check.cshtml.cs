using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Onshi.OqsXml.Responses;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.InsuranceCards;

/// <summary>
/// 保険証・資格確認書で確認: staff type the card's 記号・番号 and see the qualification as of today, through the same
/// lookup and result mapping as the レセコン's OQSsiquc01 request. Every lookup that finds a person is audited before
/// the answer is shown; nothing else is stored (the answer is rendered from the POST, never put in a URL).
/// </summary>
[Authorize(Policy = PortalAuthentication.Member)]
public sealed class CheckModel(ReceiptOperations operations, AuditLog audit, AppDbContext db, TimeProvider time) : PortalPageModel
{
    public const string LookupAction = "insurance_card.lookup";

    [BindProperty]
    public InsuranceCardQuery Query { get; set; } = new();

    public QualificationConfirmationResult? Result { get; private set; }

    public DateOnly AsOf { get; private set; }

    public void OnGet() => AsOf = JapanTime.Today(time);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        AsOf = JapanTime.Today(time);
        var (search, refusals) = Query.Validate();
        if (search is null)
        {
            return Refuse(refusals);
        }

        var accessed = new List<long>();
        Result = await operations.ConfirmAsync(Actor.InstitutionId!.Value, search, null, AsOf, null, cancellationToken, accessed);
        audit.Add(Actor, Actor.InstitutionId, LookupAction, "insurance_card",
            $"validity={Result.QualificationValidity ?? "-"} persons={string.Join(',', accessed)}");
        await db.SaveChangesAsync(cancellationToken);
        return Page();
    }

    /// <summary>和暦 first, 西暦 after it, as on the card and in the app's result.</summary>
    public static string DateText(string? yyyymmdd) =>
        DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? Core.Dates.JapaneseDate.TryFromGregorian(date, out var japanese, out _) ? $"{japanese.ToDisplayString()} ({JapanTime.Format(date)})" : JapanTime.Format(date)
            : "";
}
