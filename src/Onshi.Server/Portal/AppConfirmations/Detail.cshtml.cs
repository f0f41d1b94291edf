using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Jpki;
using Onshi.Server.Accounts;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Confirmations;
using Onshi.Server.Consent;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.AppConfirmations;

/// <summary>
/// 資格確認結果 詳細: the stored answer, the patient's consents to this institution, 医療情報閲覧 and 同意取消 where the
/// role allows. The page prints as A4 (print CSS); the PDF has the rows of <see cref="Printing.ResultSheet"/>, built from
/// the stored snapshot by the same mapping as the 連携 file, so paper, PDF and レセコン say the same.
/// </summary>
public sealed class DetailModel(AppDbContext db, TimeProvider time, WithdrawConsent withdraw, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    Printing.ResultPdf pdf, Server.Audit.AuditLog audit) : PortalPageModel
{
    public const string PdfAction = "app_confirmation.pdf";

    public sealed record ConsentRow(InformationType Type, AuthenticationPurpose Purpose, string State, bool Viewable, bool CanWithdraw);

    public ConfirmationResponse? Result { get; private set; }

    public AppConfirmation? Confirmation { get; private set; }

    /// <summary>医療扶助 results of the confirmation, in the OQS layout the result sheet prints from (stored snapshot).</summary>
    public IReadOnlyList<OqsXml.Responses.ResultOfQualificationConfirmation> MedicalAssistance { get; private set; } = [];

    public IReadOnlyList<ConsentRow> Consents { get; private set; } = [];

    public bool IsMedicalViewer => Actor.Role == AccountRole.MedicalInformationViewer;

    public string? Withdrawn { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Withdrawn = TempData["Withdrawn"] as string;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>The result as an A4 PDF; every download is audited (who printed which confirmation, when).</summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var confirmation = Confirmation!;
        var consents = await db.ConsentRecords.AsNoTracking().Where(c => c.ConfirmationId == id).ToListAsync(cancellationToken);
        var result = Receipt.OqsResultMapping.FromConfirmation(confirmation.Id, confirmation.ConfirmedAt, ConfirmationSnapshot.FromJson(confirmation.SnapshotJson),
            consents, time.GetUtcNow(), referenceNumber: null);
        var sheet = Printing.ResultSheet.FromQualificationResult($"アプリ資格確認結果（{JapanTime.Format(confirmation.ConfirmedAt)} 確認）", result);
        audit.Add(Actor, Actor.InstitutionId, PdfAction, $"confirmation:{id}", $"validity={confirmation.Validity}");
        await db.SaveChangesAsync(cancellationToken);
        var footer = $"{CurrentInstitutionName}（{CurrentInstitutionCode}） 出力 {JapanTime.Format(time.GetUtcNow())} {Actor.DisplayId}";
        try
        {
            return File(pdf.Render(sheet, footer), "application/pdf", $"app-shikaku-kakunin-{id:N}.pdf");
        }
        catch (Printing.PrintingUnavailableException ex)
        {
            return Refuse([new Refusal("printing.unavailable", ex.Message)]);
        }
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, InformationType type, AuthenticationPurpose purpose, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Confirmation!.PersonId is not { } personId)
        {
            return NotFound();
        }

        var result = await withdraw.ExecuteAsync(Actor, personId, type, purpose, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        TempData["Withdrawn"] = $"{InformationTypes.Japanese(type)}({Purposes.Japanese(purpose)})";
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        // AppDbContext's institution filter: another institution's confirmation is simply not found.
        Confirmation = await db.AppConfirmations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (Confirmation is null)
        {
            return false;
        }

        Result = JsonSerializer.Deserialize<ConfirmationResponse>(Confirmation.ResultJson, json.Value.SerializerOptions);
        MedicalAssistance = [.. ConfirmationSnapshot.FromJson(Confirmation.SnapshotJson).Qualifications
            .Where(q => q.CardClassification == Core.Codes.InsuredCardClassification.MedicalAssistance)
            .Select(q => Receipt.OqsResultMapping.FromSnapshot(q, arbitraryIdentifier: null))];
        if (Confirmation.PersonId is { } personId)
        {
            var now = time.GetUtcNow();
            var records = await db.ConsentRecords.AsNoTracking().Where(c => c.PersonId == personId).ToListAsync(cancellationToken);
            var viewable = ConsentRules.ViewableTypes(records, now);
            var canWithdraw = Actor.Role is AccountRole.Administrator or AccountRole.MedicalInformationViewer;
            Consents = [.. records.GroupBy(r => (r.InformationType, r.Purpose))
                .Select(g => g.OrderByDescending(r => r.AnsweredAt).ThenByDescending(r => r.Id).First())
                .OrderBy(r => r.InformationType).ThenBy(r => r.Purpose)
                .Select(r => new ConsentRow(r.InformationType, r.Purpose, StateText(r, now), viewable.Contains(r.InformationType),
                    canWithdraw && r.Purpose != AuthenticationPurpose.Outpatient && ConsentRules.Allows(r, now)))];
        }

        return true;
    }

    private static string StateText(ConsentRecord record, DateTimeOffset now) => record switch
    {
        { Given: false } => "同意なし",
        { WithdrawnAt: { } at } => $"同意取消 ({JapanTime.Format(at)})",
        { AvailableUntil: { } until } when now >= until => $"同意有効期限切れ ({JapanTime.Format(until)})",
        { AvailableUntil: { } until } => $"同意あり ({JapanTime.Format(until)}まで)",
        _ => "同意あり (取消まで有効)",
    };
}
