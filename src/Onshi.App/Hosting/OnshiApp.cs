using Microsoft.Extensions.FileProviders;
using Onshi.App.Core.Api;
using Onshi.App.Core.Credentials;
using Onshi.App.Core.Flow;
using Onshi.App.Core.Readers;

namespace Onshi.App.Hosting;

/// <summary>
/// Builds the app's local web server. Program.cs and the browser tests both come through here, so the tests run the
/// app exactly as staff do. Kestrel listens on 127.0.0.1 only, and requests naming any other host are refused (a web
/// page elsewhere cannot reach the UI through DNS rebinding).
/// </summary>
public static class OnshiApp
{
    public static WebApplication Build(AppOptions options, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(OnshiApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.Url.Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICredentialStore>(_ => new CredentialStore(options.DataFolder));
        services.AddHttpClient<AppApiClient>(c =>
        {
            c.BaseAddress = options.Server;
            c.Timeout = Timeout.InfiniteTimeSpan; // per-attempt timeouts are the client's RetryPolicy
        });
        services.AddSingleton<IAppApi>(sp => sp.GetRequiredService<AppApiClient>());
        services.AddSingleton<SimulatedCardReader>(_ => new SimulatedCardReader(options.CardsFolder ?? Path.Combine(options.DataFolder, "cards")));
        services.AddSingleton<ICardReader>(sp => options.Reader == "simulated"
            ? sp.GetRequiredService<SimulatedCardReader>()
            : new PcscCardReader(options.Reader.StartsWith("pcsc:", StringComparison.Ordinal) ? options.Reader[5..] : null,
                sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PanelAccessor>(sp => new PanelAccessor(
            options.PanelVpcdPort is { } port ? new VpcdCardPanel(options.CardsFolder!, "127.0.0.1", port)
            : options.Reader == "simulated" ? sp.GetRequiredService<SimulatedCardReader>()
            : null));
        services.AddSingleton(sp => new AppFlow(
            sp.GetRequiredService<IAppApi>(), sp.GetRequiredService<ICredentialStore>(), sp.GetRequiredService<ICardReader>(),
            sp.GetRequiredService<TimeProvider>(), new FlowOptions { IdleTimeout = options.IdleTimeout }));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "onshi_app_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddRazorPages(o => o.RootDirectory = "/Pages");
        configure?.Invoke(services);

        var app = builder.Build();
        app.UseExceptionHandler("/Error");

        // Unknown screens and ids answer in Japanese (same status); images and the status poll keep their bare codes.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/patient", StringComparison.Ordinal) && !c.Request.Path.StartsWithSegments("/status", StringComparison.Ordinal)
                && !c.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal),
            branch => branch.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host.Host;
            if (host is not ("127.0.0.1" or "localhost"))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // Patient data must never stay in the browser cache after 次の患者へ.
            headers.CacheControl = "no-store";
            await next(context).ConfigureAwait(false);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(OnshiApp).Assembly, "Onshi.App.Assets"),
            RequestPath = "/assets",
        });
        app.UseRouting();
        app.UseAntiforgery();
        app.MapAppEndpoints();
        app.MapRazorPages();

        // The reader is disposed with the container; the vpcd panel (held in a record) takes its card out here.
        app.Services.GetRequiredService<ICardReader>().Start();

        // Resolved now, not in the callback: on Ctrl+C the host may already have disposed its service provider when
        // ApplicationStopping runs (it logged a crit ObjectDisposedException every time).
        if (app.Services.GetRequiredService<PanelAccessor>().Panel is VpcdCardPanel vpcd)
        {
            app.Lifetime.ApplicationStopping.Register(() => vpcd.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }
        return app;
    }
}

/// <summary>The demo reader panel, when this run has one.</summary>
public sealed record PanelAccessor(ICardPanel? Panel);
