using Onshi.Server.Accounts;
using Onshi.Server.Common;

namespace Onshi.Server.Portal.Accounts;

/// <summary>What the shared field partial needs to render the registration/update fields.</summary>
public sealed record AccountForm(
    AccountRole? Role, string? UserId, string? Name, string? NameKana, string? StartDate, string? EndDate,
    IReadOnlyList<Refusal> Refusals, bool UserIdLocked = false, bool RoleLocked = false, bool PeriodLocked = false)
{
    public bool HasError(string field) => Refusals.Any(r => r.Field == field);
}
