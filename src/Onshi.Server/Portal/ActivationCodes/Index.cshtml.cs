using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.ActivationCodes;

public sealed class IndexModel(AppDbContext db, TimeProvider time, IOptions<ActivationCodeOptions> options) : PortalPageModel
{
    public sealed record Row(int Id, string Label, string StatusText, string StatusClass, bool CanInvalidate, string IssuedAt, string IssuedBy, string ActivatedAt);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    /// <summary>"1-3件表示", as on the real screen.</summary>
    public string RangeText { get; private set; } = "0件表示";

    public int LifetimeDays => options.Value.UnusedLifetimeDays;

    public string? InvalidatedLabel { get; private set; }

    public string InstitutionCodeText => CurrentInstitutionCode;

    public string InstitutionNameText => CurrentInstitutionName;

    // "page" is reserved by Razor Pages for the page name, hence pageNumber.
    public async Task OnGetAsync(int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        InvalidatedLabel = TempData["InvalidatedLabel"] as string;
        var pageSize = options.Value.PageSize;
        var total = await db.ActivationCodes.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        var skip = (PageNumber - 1) * pageSize;
        var codes = await db.ActivationCodes.AsNoTracking()
            .OrderByDescending(c => c.IssuedAt).ThenByDescending(c => c.Id)
            .Skip(skip).Take(pageSize)
            .Select(c => new { c.Id, c.Label, c.Status, c.ExpiresAt, c.IssuedAt, c.ActivatedAt, IssuedByName = c.IssuedBy!.Name, IssuedByUserId = c.IssuedBy.UserId })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        Rows = codes.Select(c =>
        {
            var (text, css) = c.Status switch
            {
                ActivationCodeStatus.InUse => ("使用中", "status-inuse"),
                ActivationCodeStatus.Invalidated => ("無効", "status-invalid"),
                _ when now >= c.ExpiresAt => ("無効(期限切れ)", "status-invalid"),
                _ => ("未使用", "status-unused"),
            };
            return new Row(c.Id, c.Label, text, css, c.Status != ActivationCodeStatus.Invalidated, JapanTime.Format(c.IssuedAt),
                $"{c.IssuedByName}({c.IssuedByUserId})", c.ActivatedAt is { } at ? JapanTime.Format(at) : "");
        }).ToList();
        RangeText = total == 0 ? "0件表示" : string.Create(CultureInfo.InvariantCulture, $"{skip + 1}-{skip + Rows.Count}件表示");
    }
}
