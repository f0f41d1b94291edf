using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Consent;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.MedicalViewing;

/// <summary>医療情報閲覧履歴照会: every view of medical information at this institution, newest first.</summary>
public sealed class HistoryModel(AppDbContext db) : PortalPageModel
{
    public const int PageSize = 50;

    public sealed record Row(string ViewedAt, string UserId, string Patient, string Type, int Records, Guid? ConfirmationId);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    public string RangeText { get; private set; } = "0件表示";

    public async Task OnGetAsync(int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        var total = await db.MedicalInformationViews.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        var skip = (PageNumber - 1) * PageSize;
        var views = await db.MedicalInformationViews.AsNoTracking().OrderByDescending(v => v.ViewedAt).ThenByDescending(v => v.Id).Skip(skip).Take(PageSize).ToListAsync(cancellationToken);
        Rows = [.. views.Select(v => new Row(JapanTime.Format(v.ViewedAt), v.AccountUserId, v.PatientName ?? "—", InformationTypes.Japanese(v.InformationType), v.RecordCount, v.ConfirmationId))];
        RangeText = total == 0 ? "0件表示" : string.Create(CultureInfo.InvariantCulture, $"{skip + 1}-{skip + Rows.Count}件表示 (全{total}件)");
    }
}
