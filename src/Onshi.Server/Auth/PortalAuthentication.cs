using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Accounts;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Auth;

/// <summary>Cookie sessions and the portal's authorization policies. The rules and their reasons are in readme.md.</summary>
public static class PortalAuthentication
{
    public const string Scheme = "OnshiPortal";
    public const string CookieName = "onshi_session";

    /// <summary>Signed in, whatever the password state (only the first-password-change and logout pages use this).</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>Password and second factor (when owed) done, one-time password possibly still held: only the initial password change.</summary>
    public const string PasswordStep = "PasswordStep";

    /// <summary>Signed in, no one-time password held and no second factor owed: the default for every portal page.</summary>
    public const string Member = "Member";

    /// <summary>管理者 of the institution: administration pages.</summary>
    public const string Administrator = "Administrator";

    /// <summary>医療情報閲覧 of the institution: medical information and its viewing history (一般利用者 and 管理者 never).</summary>
    public const string MedicalInformationViewer = "MedicalInformationViewer";

    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(Scheme).AddCookie(Scheme);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<PortalOptions>, TimeProvider>((cookie, portal, time) =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(portal.Value.IdleTimeoutMinutes);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/Login";
            cookie.LogoutPath = "/Logout";
            cookie.AccessDeniedPath = "/AccessDenied";
            cookie.TimeProvider = time;
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(PasswordStep, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => !context.User.HasClaim(c => c.Type == PortalClaims.SecondFactorPending)))
            .AddPolicy(Member, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => IsFullySignedIn(context.User)))
            .AddPolicy(Administrator, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => IsFullySignedIn(context.User))
                .RequireClaim(PortalClaims.RoleType, nameof(AccountRole.Administrator)))
            .AddPolicy(MedicalInformationViewer, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => IsFullySignedIn(context.User))
                .RequireClaim(PortalClaims.RoleType, nameof(AccountRole.MedicalInformationViewer)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireAssertion(context => IsFullySignedIn(context.User)).Build());
        return services;
    }

    /// <summary>A full session: no one-time password to replace and no second factor (二要素認証) still owed.</summary>
    public static bool IsFullySignedIn(System.Security.Claims.ClaimsPrincipal user) =>
        !user.HasClaim(c => c.Type == PortalClaims.MustChangePassword) && !user.HasClaim(c => c.Type == PortalClaims.SecondFactorPending);

    /// <summary>
    /// Runs on every request that carries a session cookie. The cookie alone is not trusted for long: an account that
    /// was stopped, had its password reset or its role changed (new security stamp), or left its 利用期間, loses its
    /// session at once, and no session outlives the absolute lifetime.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var time = services.GetRequiredService<TimeProvider>();
        var portal = services.GetRequiredService<IOptions<PortalOptions>>().Value;
        var principal = context.Principal!;
        var accountId = PortalClaims.AccountId(principal);
        var stamp = principal.FindFirst(PortalClaims.SecurityStamp)?.Value;
        var signedInTicks = long.TryParse(principal.FindFirst(PortalClaims.SignedInAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0;
        var now = time.GetUtcNow();

        var valid = accountId is not null && now.UtcTicks - signedInTicks <= TimeSpan.FromHours(portal.AbsoluteLifetimeHours).Ticks;
        if (valid)
        {
            var db = services.GetRequiredService<AppDbContext>();
            var account = await db.Accounts.IgnoreQueryFilters().AsNoTracking()
                .SingleOrDefaultAsync(a => a.Id == accountId, context.HttpContext.RequestAborted).ConfigureAwait(false);
            valid = account is not null
                && account.SecurityStamp.ToString() == stamp
                && account.StoppedAt is null
                && account.IsWithinPeriod(JapanTime.Today(time));
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
        }
    }
}
