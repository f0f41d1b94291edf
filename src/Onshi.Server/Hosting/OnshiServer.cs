using Microsoft.Extensions.FileProviders;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.AppApi;
using Onshi.Server.AppSessions;
using Onshi.Server.Audit;
using Onshi.Server.CardLinks;
using Onshi.Server.Challenges;
using Onshi.Server.Confirmations;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Devices;
using Onshi.Server.Emergency;
using Onshi.Server.Import;
using Onshi.Server.Institutions;
using Onshi.Server.Insurance;
using Onshi.Server.MedicalInformation;
using Onshi.Server.MedicalViewing;
using Onshi.Server.Portal;
using Onshi.Server.RateLimiting;
using Onshi.Server.Printing;
using Onshi.Server.Receipt;
using Onshi.Server.Revocation;
using Onshi.Server.TwoFactor;

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

    /// <summary>Every feature's services, each from its folder's AddXxx; the order keeps hosted services starting as before.</summary>
    public static IServiceCollection AddOnshiServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOnshiDatabase(configuration);
        services.AddScoped<DatabaseMigrator>();
        services.AddAudit();
        services.AddAccounts(configuration);
        services.AddTwoFactor();
        services.AddInstitutions();
        services.AddActivationCodes(configuration);

        // マイナ資格確認アプリ API: devices, proofs, staff sessions, challenges, confirmations, consent
        services.AddDevices(configuration);
        services.AddAppApi();
        services.AddAppSessions(configuration);
        services.AddChallenges();
        services.AddConfirmations();
        services.AddConsent();
        services.AddMedicalViewing();
        services.AddEmergency(configuration);
        services.AddOpenApi();

        // Qualification data (issue 4, data half) and card verification
        services.AddInsurance();
        services.AddCardLinks();
        services.AddMedicalInformation();
        services.AddImport();
        services.AddCardVerification(configuration);

        // Shared by every server process: keys for cookies and antiforgery in the database (docs/scaling.md), each
        // encrypted with a certificate that is not in the database (KeyEncryption.cs).
        services.AddOnshiDataProtection(configuration);

        // Brute-force limits per source address and per app session (RateLimiting/readme.md)
        services.AddOnshiRateLimiting(configuration);
        services.AddOnshiForwardedHeaders(configuration);
        services.AddOnshiHealthChecks();
        services.AddOnshiMetrics();

        // The portal's cookie scheme is registered before the レセコン's machine scheme, as it always was.
        services.AddPortal(configuration);
        services.AddReceipt(configuration);
        services.AddPrinting(configuration);
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
