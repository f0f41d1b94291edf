using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.MachineAccounts;

/// <summary>連携アプリ用アカウント一覧 (the institution filter of AppDbContext limits it to the signed-in institution).</summary>
public sealed class IndexModel(AppDbContext db) : PortalPageModel
{
    public sealed record Row(int Id, string ClientId, string Label, string CreatedAt, string? LastUsedAt, bool Stopped, Guid Version);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.MachineAccounts.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        Rows = [.. accounts.Select(m => new Row(m.Id, m.ClientId, m.Label, JapanTime.Format(m.CreatedAt), m.LastUsedAt is { } used ? JapanTime.Format(used) : null, m.StoppedAt is not null, m.Version))];
    }
}
