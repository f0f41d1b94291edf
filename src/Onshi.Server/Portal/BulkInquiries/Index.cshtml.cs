using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.BulkInquiries;

/// <summary>
/// 一括照会: staff upload a CSV of 保険証 fields; a file right on every line becomes one job of the same two-phase bulk
/// queue the レセコン's OQSmuquc01req feeds (<see cref="BulkJobs"/>), processed by the same worker. A file with any wrong
/// line is refused whole and nothing is stored. The upload is audited (row count and encoding, no personal data).
/// </summary>
[Authorize(Policy = PortalAuthentication.Member)]
[RequestSizeLimit(BulkCsv.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = BulkCsv.MaxBytes + 64 * 1024)]
public sealed class IndexModel(BulkJobs jobs, AuditLog audit, AppDbContext db, TimeProvider time) : PortalPageModel
{
    public const string UploadAction = "bulk_inquiry.uploaded";
    public const string RefusedAction = "bulk_inquiry.refused";

    public IReadOnlyList<BulkJobRow> Jobs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Jobs = await RecentAsync(db, Actor.InstitutionId!.Value, cancellationToken);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return await RefuseAsync([new Refusal("bulk.csv_missing", "CSVファイルを選択してください。", "File")], cancellationToken);
        }

        byte[] bytes;
        if (file.Length > BulkCsv.MaxBytes)
        {
            bytes = new byte[BulkCsv.MaxBytes + 1]; // Parse refuses it by size without reading the rest.
        }
        else
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }

        var parsed = BulkCsv.Parse(bytes);
        if (parsed.Refusals.Count > 0)
        {
            return await RefuseAsync(parsed.Refusals, cancellationToken);
        }

        var job = await SubmitAsync(jobs, Actor, CurrentInstitutionCode, parsed.Rows, time, cancellationToken);
        audit.Add(Actor, Actor.InstitutionId, UploadAction, $"bulk:{job.ReceptionNumber}", $"source=csv rows={parsed.Rows.Count} encoding={parsed.Encoding}");
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage("Status", new { id = job.ReceptionNumber });
    }

    /// <summary>Queues the rows as one 資格確認一括照会 job for the signed-in staff member (shared with 前回の患者から選ぶ).</summary>
    internal static Task<BulkJob> SubmitAsync(BulkJobs jobs, Actor actor, string institutionCode, IReadOnlyList<OqsXml.Requests.QualificationConfirmSearchInfo> rows, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(time).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var body = new BulkRequestBody(BulkKinds.QualificationConfirmation, institutionCode, today, rows, null, null);
        return jobs.AcceptAsync(ReceiptRequester.Staff(actor), BulkJobKind.QualificationConfirmation, body, rows.Count, null, cancellationToken);
    }

    private async Task<IActionResult> RefuseAsync(IReadOnlyList<Refusal> refusals, CancellationToken cancellationToken)
    {
        // The refusal is audited by its code alone: the wrong lines may hold card numbers.
        audit.Add(Actor, Actor.InstitutionId, RefusedAction, "bulk", "code=" + refusals[0].Code);
        await db.SaveChangesAsync(cancellationToken);
        Jobs = await RecentAsync(db, Actor.InstitutionId!.Value, cancellationToken);
        return Refuse(refusals);
    }

    /// <summary>The institution's portal 一括照会 jobs, newest first.</summary>
    internal static async Task<IReadOnlyList<BulkJobRow>> RecentAsync(AppDbContext db, int institutionId, CancellationToken cancellationToken)
    {
        var rows = await db.BulkJobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.InstitutionId == institutionId && j.AccountId != null && j.Kind == BulkJobKind.QualificationConfirmation)
            .OrderByDescending(j => j.Id).Take(20)
            .Select(j => new { j.ReceptionNumber, j.RowCount, j.Status, j.AcceptedAt, j.CompletedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(j => new BulkJobRow(j.ReceptionNumber, j.RowCount, StatusText(j.Status), j.AcceptedAt, j.CompletedAt))];
    }

    public static string StatusText(BulkJobStatus status) => status switch
    {
        BulkJobStatus.Queued => "受付済（処理待ち）",
        BulkJobStatus.Processing => "処理中",
        BulkJobStatus.Completed => "完了",
        _ => "失敗",
    };
}

public sealed record BulkJobRow(string ReceptionNumber, int RowCount, string Status, DateTimeOffset AcceptedAt, DateTimeOffset? CompletedAt);
