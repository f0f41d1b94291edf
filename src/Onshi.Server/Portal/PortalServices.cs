using Onshi.Server.Auth;

namespace Onshi.Server.Portal;

public static class PortalServices
{
    /// <summary>The institution portal: cookie sign-in, antiforgery, and the Razor Pages with each folder's access rule.</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPortalAuthentication(configuration);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "onshi_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Portal";
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/AccessDenied");
            o.Conventions.AuthorizePage("/ChangeInitialPassword", PortalAuthentication.PasswordStep);
            o.Conventions.AuthorizeFolder("/TwoFactor", PortalAuthentication.SignedIn);
            o.Conventions.AuthorizePage("/Logout", PortalAuthentication.SignedIn);
            o.Conventions.AuthorizePage("/Index", PortalAuthentication.Member);
            o.Conventions.AuthorizePage("/ChangePassword", PortalAuthentication.Member);
            o.Conventions.AuthorizeFolder("/Accounts", PortalAuthentication.Administrator);
            o.Conventions.AuthorizeFolder("/Settings", PortalAuthentication.Administrator);
            o.Conventions.AuthorizeFolder("/ActivationCodes", PortalAuthentication.Administrator);
            o.Conventions.AuthorizeFolder("/AppConfirmations", PortalAuthentication.Member);
            o.Conventions.AuthorizeFolder("/MedicalViewing", PortalAuthentication.MedicalInformationViewer);
            o.Conventions.AuthorizePage("/Emergency/Activate", PortalAuthentication.Administrator);
            o.Conventions.AuthorizePage("/Emergency/Search", PortalAuthentication.Member);
            o.Conventions.AuthorizePage("/Emergency/View", PortalAuthentication.MedicalInformationViewer);
            o.Conventions.AuthorizeFolder("/MachineAccounts", PortalAuthentication.Administrator);
        });
        return services;
    }
}
