using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;
using Onshi.OqsXml;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.AppApi;
using Onshi.Server.AppSessions;
using Onshi.Server.Challenges;
using Onshi.Server.Devices;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Data;
using Onshi.Server.Institutions;
using Onshi.Server.RateLimiting;
using Onshi.Server.Receipt;
using Onshi.Server.Settings;

namespace Onshi.Server.Hosting;

/// <summary>
/// Builds the Onshi web application. Program.cs (and so WebApplicationFactory in the tests) and the operator tool's
/// `serve` and `demo` commands all go through here, so the server runs the same way in-process and standalone.
/// </summary>
public static class OnshiServer
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The application name must be this assembly even when the CLI hosts us: Razor Pages are found through it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(OnshiServer).Assembly.GetName().Name,
        });
        builder.Logging.AddOnshiLogging(builder.Configuration);
        builder.Services.AddOnshiServices(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddOnshiServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOnshiDatabase(configuration);
        services.AddScoped<DatabaseMigrator>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditChainVerifier>();

        // Accounts
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = PasswordHashing.Iterations;
        });
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<PasswordPolicy>();
        services.AddScoped<LogIn>();
        services.AddScoped<AccountLockout>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<CreateAccount>();
        services.AddScoped<UpdateAccount>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<UnlockAccount>();
        services.AddScoped<StopAccount>();

        // Two-factor authentication (TwoFactor/readme.md)
        services.AddSingleton<TwoFactor.TwoFactorSecrets>();
        services.AddScoped<TwoFactor.EnrolTwoFactor>();
        services.AddScoped<TwoFactor.ResetTwoFactor>();
        services.AddScoped<TwoFactor.VerifySecondFactor>();

        // Institutions and their settings
        services.AddScoped<CreateInstitution>();
        services.AddScoped<UpdateSettings>();

        // Activation codes
        services.AddOptions<ActivationCodeOptions>().Bind(configuration.GetSection(ActivationCodeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IssueActivationCode>();
        services.AddScoped<InvalidateActivationCode>();
        services.AddScoped<RedeemActivationCode>();

        // マイナ資格確認アプリ API: devices, proofs, staff sessions, challenges, confirmations, consent
        services.AddOptions<DeviceProofOptions>().Bind(configuration.GetSection(DeviceProofOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.ReplayMemoryMinutes * 60 > 2 * o.IssuedAtWindowSeconds, DeviceProofOptions.ReplayMemoryTooShort).ValidateOnStart();
        services.AddOptions<AppSessionOptions>().Bind(configuration.GetSection(AppSessionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DeviceProofFilter>();
        services.AddScoped<CheckStaffCredentials>();
        services.AddScoped<ActivateDevice>();
        services.AddScoped<StartAppSession>();
        services.AddScoped<EndAppSession>();
        services.AddScoped<IssueChallenge>();
        services.AddScoped<Confirmations.ConfirmQualification>();
        services.AddScoped<Confirmations.CheckCard>();
        services.AddSingleton<Confirmations.ConfirmationWriter>();
        services.AddScoped<Consent.WithdrawConsent>();
        services.AddScoped<MedicalViewing.ViewMedicalInformation>();
        services.AddHostedService<ExpiredRecordsCleanup>();
        services.AddOpenApi();

        // Qualification data (issue 4, data half)
        services.AddScoped<Insurance.QualificationLookup>();
        services.AddScoped<CardLinks.LinkCard>();
        services.AddScoped<MedicalInformation.PurgeExpiredMedicalInformation>();
        services.AddScoped<Import.CsvImporter>();

        // Card verification: trust anchors from configuration, CRLs from the database (Revocation/readme.md)
        services.AddOptions<Revocation.JpkiOptions>().Bind(configuration.GetSection(Revocation.JpkiOptions.Section), binder => binder.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton(sp => Revocation.JpkiOptions.LoadAnchors(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Revocation.JpkiOptions>>().Value.TrustAnchors));
        services.AddSingleton(sp => new Jpki.JpkiRevocationStore(
            sp.GetRequiredService<Jpki.JpkiTrustAnchors>(),
            new Jpki.CrlFreshnessPolicy { AllowMissingRevocationList = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Revocation.JpkiOptions>>().Value.AllowMissingRevocationList }));
        services.AddSingleton(sp => new Jpki.JpkiVerifier(sp.GetRequiredService<Jpki.JpkiTrustAnchors>(), sp.GetRequiredService<Jpki.JpkiRevocationStore>()));
        services.AddSingleton(sp => Revocation.JpkiOptions.LoadCardPresenceVerifier(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Revocation.JpkiOptions>>().Value.CardFaceTrustAnchors));
        services.AddSingleton<Revocation.RevocationListSync>();
        services.AddHostedService<Revocation.RevocationListPoller>();
        services.AddScoped<Revocation.StoreRevocationList>();

        // Shared by every server process: keys for cookies and antiforgery in the database (docs/scaling.md), each
        // encrypted with a certificate that is not in the database (KeyEncryption.cs).
        services.AddOnshiDataProtection(configuration);

        // Brute-force limits per source address and per app session (RateLimiting/readme.md)
        services.AddOnshiRateLimiting(configuration);
        services.AddOnshiForwardedHeaders(configuration);
        services.AddOnshiHealthChecks();
        services.AddOnshiMetrics();

        // レセコン interface (Receipt/): machine accounts, JSON API, bulk worker, confirmation feed
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(ReceiptOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CreateMachineAccount>();
        services.AddScoped<RotateMachineSecret>();
        services.AddScoped<StopMachineAccount>();
        services.AddScoped<OqsResultMapping>();
        services.AddScoped<ReceiptOperations>();
        services.AddScoped<ReceiptFeed>();
        services.AddScoped<BulkJobs>();
        services.AddScoped<BulkJobProcessor>();
        services.AddSingleton<BulkJobSignal>();
        services.AddHostedService<BulkJobWorker>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new EquatableListJsonConverter()));

        // Portal
        services.AddPortalAuthentication(configuration);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, MachineAuthenticationHandler>(MachineAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(MachineAuthenticationHandler.Policy, policy => policy
                .AddAuthenticationSchemes(MachineAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(MachineAuthenticationHandler.MachineAccountIdType));
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
            o.Conventions.AuthorizeFolder("/MachineAccounts", PortalAuthentication.Administrator);
        });
        return services;
    }

    /// <summary>Builds the app and its pipeline. It never migrates the database; see DatabaseMigrator.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ProductionSafety.EnsureSafe(builder.Environment, builder.Configuration);
        var app = builder.Build();

        // First: the scheme and client address every later step sees (HSTS, Secure cookies, rate limits) come from a
        // trusted proxy's headers, or from the connection itself when no proxy is configured.
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
        }

        app.UseOnshiSecurityHeaders();

        // A bare 404/403/400 of a portal URL gets a Japanese page (same status); the APIs keep their problem+json.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal),
            branch => branch.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));

        // Stylesheets are embedded in this assembly, so the portal looks the same whichever process hosts it.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(OnshiServer).Assembly, "Onshi.Server.Portal.Assets"),
            RequestPath = "/assets",
        });

        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            // Portal pages show personal data and one-time secrets: never keep them in a browser or proxy cache.
            context.Response.Headers.CacheControl = "no-store";
            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapOnshiHealthChecks();
        app.MapOnshiMetrics(app.Configuration);
        app.MapOpenApi().AllowAnonymous();
        app.MapAppApi();
        app.MapReceiptApi();
        app.MapRazorPages();
        return app;
    }
}
