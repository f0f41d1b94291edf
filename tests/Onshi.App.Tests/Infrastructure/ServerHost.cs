using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Onshi.Server.Data;
using Onshi.Server.Hosting;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>
/// The real Onshi server on Kestrel at 127.0.0.1 over SQLite in a temporary folder. It can be stopped and started
/// again on the same port and database, to play a server that goes away mid-confirmation.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onshi-app-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    private readonly string _trustAnchors;
    private readonly string _cardFaceAnchors;

    /// <param name="trustAnchors">The JPKI anchors the server trusts (default: the tests' CA; the demo walk passes the demo CA).</param>
    public ServerHost(string? trustAnchors = null)
    {
        Directory.CreateDirectory(_folder);
        Port = FreePort();
        _trustAnchors = trustAnchors ?? TestJpki.AnchorFolder;
        // A CA folder's 券面AP root sits beside its auth root (onshi card ca create, the demo).
        _cardFaceAnchors = trustAnchors is null ? TestJpki.CardFaceAnchorFile
            : Path.Combine(Path.GetDirectoryName(trustAnchors)!, Onshi.Card.Issuing.TestCertificateAuthority.VisualCaFile);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string DatabasePath => Path.Combine(_folder, "onshi.db");

    /// <summary>While set, confirmation responses are computed and stored but never reach the app (a lost response).</summary>
    public ResponseDropper Dropper { get; } = new();

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is not running.");

    public bool IsRunning => _app is not null;

    public async Task StartAsync()
    {
        if (_app is not null)
        {
            return;
        }

        // Production (the default environment here) refuses to start without a key-encryption certificate.
        var certificate = Path.Combine(_folder, "key-encryption.pfx");
        if (!File.Exists(certificate))
        {
            Onshi.Server.Hosting.KeyEncryption.CreateCertificateFile(certificate, "test key-encryption password", DateTimeOffset.UtcNow);
        }

        string[] args =
        [
            "--urls", Url.ToString().TrimEnd('/'),
            "--DataProtection:KeyEncryptionCertificate", certificate,
            "--DataProtection:KeyEncryptionCertificatePassword", "test key-encryption password",
            // Production's safety checks (Hosting/ProductionSafety.cs): a one-file SQLite store and plain HTTP on loopback
            // are what these browser tests need, so they opt in as an operator would have to.
            "--Production:AllowSqlite", "true",
            "--ForwardedHeaders:KnownProxies:0", "127.0.0.1",
            "--Database:Provider", "Sqlite",
            "--Database:ConnectionString", $"Data Source={DatabasePath}",
            "--Jpki:TrustAnchors", _trustAnchors,
            "--Jpki:CardFaceTrustAnchors", _cardFaceAnchors,
            "--Jpki:RevocationPollSeconds", "1",
            "--Logging:LogLevel:Default", "Warning",
        ];
        var builder = OnshiServer.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(Dropper);
        builder.Services.AddScoped<IInstitutionScope, SeedingInstitutionScope>();
        builder.Services.AddSingleton<IStartupFilter, ResponseDropper.Filter>();
        var app = OnshiServer.Build(builder);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        }

        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Runs something with a scope of the running server (operations, or the database to check what arrived).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The server's institution scope, plus one set by the seeding code (<see cref="For"/>): outside an HTTP request the
/// server's scope is empty and its institution-owned tables look empty, exactly as for the CLI.
/// </summary>
public sealed class SeedingInstitutionScope(Microsoft.AspNetCore.Http.IHttpContextAccessor accessor) : IInstitutionScope
{
    private static readonly AsyncLocal<int?> Current = new();

    public int? InstitutionId => Current.Value
        ?? (accessor.HttpContext?.User is { } user ? Onshi.Server.Auth.PortalClaims.InstitutionId(user) : null);

    public static IDisposable For(int institutionId)
    {
        Current.Value = institutionId;
        return new Reset();
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }
}

/// <summary>Lets the server do its work, then throws the response away and drops the connection.</summary>
public sealed class ResponseDropper
{
    private volatile bool _dropConfirmations;
    private int _dropped;

    public bool DropConfirmations
    {
        get => _dropConfirmations;
        set => _dropConfirmations = value;
    }

    public int Dropped => Volatile.Read(ref _dropped);

    internal sealed class Filter(ResponseDropper dropper) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (!dropper.DropConfirmations || context.Request.Method != "POST"
                    || !context.Request.Path.StartsWithSegments("/api/app/v1/confirmations", StringComparison.Ordinal))
                {
                    await nextMiddleware(context);
                    return;
                }

                var original = context.Response.Body;
                await using var swallowed = new MemoryStream();
                context.Response.Body = swallowed;
                await nextMiddleware(context);
                context.Response.Body = original;
                Interlocked.Increment(ref dropper._dropped);
                context.Abort();
            });
            next(app);
        };
    }
}
