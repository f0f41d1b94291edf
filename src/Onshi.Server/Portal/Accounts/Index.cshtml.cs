using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.Accounts;

public sealed class IndexModel(AppDbContext db, TimeProvider time) : PortalPageModel
{
    public sealed record Row(int Id, string UserId, string Name, string Kana, string Role, string Start, string End, string State);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string InstitutionCodeText => CurrentInstitutionCode;

    public string InstitutionNameText => CurrentInstitutionName;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Role).ThenBy(a => a.NormalizedUserId).ToListAsync(cancellationToken);
        Rows = accounts.Select(a => new Row(a.Id, a.UserId, a.Name, a.NameKana, a.Role.Japanese(), JapanTime.Format(a.StartDate),
            a.EndDate is { } end ? JapanTime.Format(end) : "", AccountState.Describe(a, time))).ToList();
    }
}
