using System.Globalization;
using System.Security.Claims;
using Onshi.Server.Accounts;

namespace Onshi.Server.Auth;

/// <summary>The claims in a portal session cookie and how to read them.</summary>
public static class PortalClaims
{
    public const string AccountIdType = "onshi:account";
    public const string InstitutionIdType = "onshi:institution";
    public const string InstitutionCode = "onshi:institution_code";
    public const string InstitutionName = "onshi:institution_name";
    public const string UserId = "onshi:user_id";
    public const string Name = "onshi:name";
    public const string RoleType = "onshi:role";
    public const string SecurityStamp = "onshi:stamp";
    public const string MustChangePassword = "onshi:must_change_password";
    public const string SignedInAt = "onshi:signed_in_at";

    /// <summary>Present ("verify" or "enrol") while the password was right but the second factor is still owed.</summary>
    public const string SecondFactorPending = "onshi:second_factor_pending";

    public static ClaimsPrincipal For(Account account, DateTimeOffset signedInAt, string? secondFactorPending = null)
    {
        var claims = new List<Claim>
        {
            new(AccountIdType, account.Id.ToString(CultureInfo.InvariantCulture)),
            new(InstitutionIdType, account.InstitutionId.ToString(CultureInfo.InvariantCulture)),
            new(InstitutionCode, account.Institution!.Code),
            new(InstitutionName, account.Institution.Name),
            new(UserId, account.UserId),
            new(Name, account.Name),
            new(RoleType, account.Role.ToString()),
            new(SecurityStamp, account.SecurityStamp.ToString()),
            new(SignedInAt, signedInAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
        };
        if (account.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePassword, "true"));
        }

        if (secondFactorPending is not null)
        {
            claims.Add(new Claim(SecondFactorPending, secondFactorPending));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, PortalAuthentication.Scheme, Name, RoleType));
    }

    public static int? AccountId(ClaimsPrincipal user) => ReadInt(user, AccountIdType);

    public static int? InstitutionId(ClaimsPrincipal user) => ReadInt(user, InstitutionIdType);

    public static AccountRole? Role(ClaimsPrincipal user) =>
        Enum.TryParse<AccountRole>(user.FindFirstValue(RoleType), out var role) ? role : null;

    private static int? ReadInt(ClaimsPrincipal user, string type) =>
        user.Identity?.IsAuthenticated == true && int.TryParse(user.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
