using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Printing;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.BulkInquiries;

/// <summary>
/// One 一括照会 job: its progress while the worker runs (the page refreshes itself, server-rendered), then the results
/// on screen, as CSV (UTF-8 with BOM, or Shift_JIS), as an A4 print view and as a PDF. The results are phase 2 of the
/// same bulk interface (<see cref="BulkJobs.GetAsync(int, string, BulkJobKind?, CancellationToken)"/>). Every showing
/// or download of results is audited with the 受付番号 and the output, never with the rows themselves.
/// </summary>
[Authorize(Policy = PortalAuthentication.Member)]
public sealed class StatusModel(BulkJobs jobs, AuditLog audit, AppDbContext db, ResultPdf pdf, TimeProvider time) : PortalPageModel
{
    public const string ViewAction = "bulk_inquiry.viewed";
    public const string DownloadAction = "bulk_inquiry.downloaded";

    /// <summary>Lines shown on the page; the CSV, print view and PDF carry all of them.</summary>
    public const int ShownLines = 200;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    public BulkJobRow? Job { get; private set; }

    public IReadOnlyList<BulkResultLine> Lines { get; private set; } = [];

    public bool Failed { get; private set; }

    public bool Print { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync("screen", cancellationToken) is { } missing)
        {
            return missing;
        }

        return Page();
    }

    /// <summary>The A4 print view: every line, no navigation.</summary>
    public async Task<IActionResult> OnGetPrintAsync(CancellationToken cancellationToken)
    {
        Print = true;
        if (await LoadAsync("print", cancellationToken) is { } missing)
        {
            return missing;
        }

        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(string? encoding, CancellationToken cancellationToken)
    {
        var shiftJis = string.Equals(encoding, "sjis", StringComparison.OrdinalIgnoreCase);
        if (await LoadAsync(shiftJis ? "csv-sjis" : "csv-utf8", cancellationToken) is { } missing)
        {
            return missing;
        }

        if (Job?.Status != IndexModel.StatusText(BulkJobStatus.Completed))
        {
            return RedirectToPage("Status", new { id = Id });
        }

        var bytes = BulkCsv.Encode(BulkCsv.Write(Lines), shiftJis);
        return File(bytes, shiftJis ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8", $"ikkatsu-shokai-{Id}{(shiftJis ? "-sjis" : "")}.csv");
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync("pdf", cancellationToken) is { } missing)
        {
            return missing;
        }

        if (Job?.Status != IndexModel.StatusText(BulkJobStatus.Completed))
        {
            return RedirectToPage("Status", new { id = Id });
        }

        var footer = $"{CurrentInstitutionName}（{CurrentInstitutionCode}） 出力 {JapanTime.Format(time.GetUtcNow())} {Actor.DisplayId}";
        try
        {
            return File(pdf.Render(Sheet(), footer), "application/pdf", $"ikkatsu-shokai-{Id}.pdf");
        }
        catch (PrintingUnavailableException ex)
        {
            return Refuse([new Refusal("printing.unavailable", ex.Message)]);
        }
    }

    /// <summary>The results as one sheet: a section per line with the fields of the CSV that a person reads.</summary>
    public ResultSheet Sheet()
    {
        var sections = Lines.Select(l =>
        {
            var cells = l.Cells().ToList();
            var rows = new List<SheetRow>();
            for (var i = 1; i < BulkCsv.ResultColumns.Count; i++)
            {
                if (cells[i].Length > 0)
                {
                    rows.Add(new SheetRow(BulkCsv.ResultColumns[i], cells[i]));
                }
            }

            return new SheetSection($"{l.Row}行目", rows);
        }).ToList();
        var errors = Lines.Where(l => l.Outcome == "エラー").Select(l => l.Row).Distinct().Count();
        return new ResultSheet($"一括照会結果（受付番号 {Id}）", $"{Job!.RowCount:N0}件（うちエラー {errors:N0}件）", null, null, null, sections);
    }

    /// <summary>Loads the job of this institution's portal; null when found, else the page to answer instead.</summary>
    private async Task<IActionResult?> LoadAsync(string output, CancellationToken cancellationToken)
    {
        var institutionId = Actor.InstitutionId!.Value;
        var job = await db.BulkJobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.ReceptionNumber == Id && j.InstitutionId == institutionId && j.AccountId != null && j.Kind == BulkJobKind.QualificationConfirmation)
            .Select(j => new { j.ReceptionNumber, j.RowCount, j.Status, j.AcceptedAt, j.CompletedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return NotFound();
        }

        Job = new BulkJobRow(job.ReceptionNumber, job.RowCount, IndexModel.StatusText(job.Status), job.AcceptedAt, job.CompletedAt);
        Failed = job.Status == BulkJobStatus.Failed;
        if (job.Status != BulkJobStatus.Completed)
        {
            return null;
        }

        var found = await jobs.GetAsync(institutionId, Id, BulkJobKind.QualificationConfirmation, cancellationToken);
        Lines = BulkResultLine.From(found.Value?.QualificationResults ?? []);
        audit.Add(Actor, institutionId, output.StartsWith("csv", StringComparison.Ordinal) || output == "pdf" ? DownloadAction : ViewAction, $"bulk:{Id}", $"output={output} lines={Lines.Count}");
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
