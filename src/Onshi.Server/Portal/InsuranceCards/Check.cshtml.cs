using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Onshi.OqsXml.Requests;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Printing;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.InsuranceCards;

/// <summary>
/// 保険証・資格確認書で確認: staff type the card's 記号・番号 and see the qualification as of today, through the same
/// lookup and result mapping as the レセコン's OQSsiquc01 request. Every lookup that finds a person is audited before
/// the answer is shown; nothing else is stored (the answer is rendered from the POST, never put in a URL). The PDF
/// button posts the same fields again: one more audited lookup, one sheet rendered as A4.
/// </summary>
[Authorize(Policy = PortalAuthentication.Member)]
public sealed class CheckModel(ReceiptOperations operations, AuditLog audit, AppDbContext db, ResultPdf pdf, TimeProvider time) : PortalPageModel
{
    public const string LookupAction = "insurance_card.lookup";

    [BindProperty]
    public InsuranceCardQuery Query { get; set; } = new();

    public ResultSheet? Sheet { get; private set; }

    public DateOnly AsOf { get; private set; }

    public void OnGet() => AsOf = JapanTime.Today(time);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (search, refusals) = Query.Validate();
        if (search is null)
        {
            AsOf = JapanTime.Today(time);
            return Refuse(refusals);
        }

        Sheet = await LookUpAsync(search, "screen", cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPdfAsync(CancellationToken cancellationToken)
    {
        var (search, refusals) = Query.Validate();
        if (search is null)
        {
            AsOf = JapanTime.Today(time);
            return Refuse(refusals);
        }

        var sheet = await LookUpAsync(search, "pdf", cancellationToken);
        var footer = $"{CurrentInstitutionName}（{CurrentInstitutionCode}） 出力 {JapanTime.Format(time.GetUtcNow())} {Actor.DisplayId}";
        try
        {
            return File(pdf.Render(sheet, footer), "application/pdf", $"shikaku-kakunin-{AsOf:yyyyMMdd}.pdf");
        }
        catch (PrintingUnavailableException ex)
        {
            Sheet = sheet;
            return Refuse([new Refusal("printing.unavailable", ex.Message)]);
        }
    }

    private async Task<ResultSheet> LookUpAsync(QualificationConfirmSearchInfo search, string output, CancellationToken cancellationToken)
    {
        AsOf = JapanTime.Today(time);
        var accessed = new List<long>();
        var result = await operations.ConfirmAsync(Actor.InstitutionId!.Value, search, null, AsOf, null, cancellationToken, accessed);
        audit.Add(Actor, Actor.InstitutionId, LookupAction, "insurance_card",
            $"output={output} validity={result.QualificationValidity ?? "-"} persons={string.Join(',', accessed)}");
        await db.SaveChangesAsync(cancellationToken);
        return ResultSheet.FromQualificationResult($"資格確認結果（{ResultSheet.DateText(AsOf)} 時点）", result);
    }
}
