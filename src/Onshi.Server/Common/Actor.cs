using System.Security.Claims;
using Onshi.Server.Accounts;
using Onshi.Server.Auth;

namespace Onshi.Server.Common;

/// <summary>Who is performing an operation, taken from the signed-in principal (or the operator tool).</summary>
public sealed record Actor(int? AccountId, int? InstitutionId, AccountRole? Role, string DisplayId)
{
    /// <summary>The operator running the command-line tool on the server itself.</summary>
    public static Actor Operator { get; } = new(null, null, null, "operator");

    public bool IsAdministratorOf(int institutionId) =>
        Role == AccountRole.Administrator && InstitutionId == institutionId;

    public static Actor From(ClaimsPrincipal user) => new(
        PortalClaims.AccountId(user),
        PortalClaims.InstitutionId(user),
        PortalClaims.Role(user),
        user.FindFirstValue(PortalClaims.UserId) ?? "?");
}
