using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Security;

/// <summary>
/// The server on Kestrel at 127.0.0.1 behind Debian's nginx terminating TLS on 127.0.0.1 with a certificate made by the
/// test: only 127.0.0.1 (nginx) is a trusted proxy. Clients connect from other loopback addresses (127.0.0.2, .3, .4),
/// so each is a different client address as nginx and Kestrel see it.
/// </summary>
public sealed class ProxiedPortal : PortalFixture
{
    public const int CredentialLimit = 3;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onshi-tests", "proxy-" + Guid.NewGuid().ToString("N"));

    public override Server.Data.DatabaseProvider Provider => Server.Data.DatabaseProvider.Sqlite;

    protected override bool UsesFakeTime => false;

    public Uri? KestrelAddress { get; private set; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
        new("RateLimits:CredentialAttemptsPerSourcePerMinute", CredentialLimit.ToString(CultureInfo.InvariantCulture)),
        new("RateLimits:WindowSeconds", "3600"),
    ];

    protected override Task<string?> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult<string?>($"Data Source={Path.Combine(_folder, "onshi.db")}");
    }

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    protected override void Configure(WebApplicationFactory<Program> factory)
    {
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        KestrelAddress = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}

public sealed class ReverseProxyTests(ProxiedPortal portal) : IClassFixture<ProxiedPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThroughTheProxyCookiesAreSecureAndHstsIsSentButNotOnPlainHttpToKestrel()
    {
        await using var nginx = await Nginx.StartAsync(portal.KestrelAddress!);
        using var client = Client(IPAddress.Parse("127.0.0.2"), nginx.Certificate);
        using var response = await client.GetAsync(new Uri(nginx.Address, "/Login"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("onshi_antiforgery=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);

        // The same page straight from Kestrel over plain HTTP, with a forged X-Forwarded-Proto: not a trusted proxy, so no.
        using var direct = Client(IPAddress.Parse("127.0.0.4"), null);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(portal.KestrelAddress!, "/Login"));
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var plain = await direct.SendAsync(request, Ct);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain("; secure", Assert.Single(plain.Headers.GetValues("Set-Cookie"), c => c.StartsWith("onshi_antiforgery=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheRateLimiterCountsEachClientBehindTheProxySeparatelyAndIgnoresAForgedForwardedFor()
    {
        await using var nginx = await Nginx.StartAsync(portal.KestrelAddress!);
        using var first = Client(IPAddress.Parse("127.0.0.2"), nginx.Certificate);
        using var second = Client(IPAddress.Parse("127.0.0.3"), nginx.Certificate);

        // The first client spends its budget, each time claiming to be someone else: nginx appends the real address and
        // the server takes only the address its trusted proxy saw.
        for (var i = 0; i < ProxiedPortal.CredentialLimit; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostLoginAsync(first, new Uri(nginx.Address, "/Login"), "198.51.100." + i));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostLoginAsync(first, new Uri(nginx.Address, "/Login"), "198.51.100.99"));

        // Behind the same proxy, another client has its own budget (the proxy's address is not the partition).
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostLoginAsync(second, new Uri(nginx.Address, "/Login"), null));
    }

    [Fact]
    public async Task AForwardedForSentStraightToKestrelIsIgnored()
    {
        using var direct = Client(IPAddress.Parse("127.0.0.5"), null);
        for (var i = 0; i < ProxiedPortal.CredentialLimit; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostLoginAsync(direct, new Uri(portal.KestrelAddress!, "/Login"), "203.0.113." + i));
        }

        // A new forged address every time, yet one budget: 127.0.0.5 is not a trusted proxy.
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostLoginAsync(direct, new Uri(portal.KestrelAddress!, "/Login"), "203.0.113.200"));
    }

    /// <summary>A login POST (no antiforgery token: the limiter answers before antiforgery does).</summary>
    private static async Task<HttpStatusCode> PostLoginAsync(HttpClient client, Uri url, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent([new("InstitutionCode", "0000000000"), new("UserId", "nobody"), new("Password", "wrong")]),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>A client whose connections leave from <paramref name="source"/>, trusting only <paramref name="certificate"/>.</summary>
    private static HttpClient Client(IPAddress source, X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (certificate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), certificate.GetCertHashString(HashAlgorithmName.SHA256), StringComparison.Ordinal);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Debian's nginx, in the foreground, with its own configuration, certificate and logs in a temporary folder.</summary>
    private sealed class Nginx : IAsyncDisposable
    {
        private const string Binary = "/usr/sbin/nginx";

        private readonly Process _process;
        private readonly string _folder;

        private Nginx(Process process, string folder, Uri address, X509Certificate2 certificate)
        {
            _process = process;
            _folder = folder;
            Address = address;
            Certificate = certificate;
        }

        public Uri Address { get; }

        public X509Certificate2 Certificate { get; }

        public static async Task<Nginx> StartAsync(Uri upstream)
        {
            if (!File.Exists(Binary))
            {
                Onshi.Tests.MissingService.Skip($"nginx not found at {Binary} (scripts/test installs it).");
            }

            var folder = Path.Combine(Path.GetTempPath(), "onshi-tests", "nginx-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem(), Ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem(), Ct);

            var port = FreePort();
            await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
                daemon off;
                master_process off;
                worker_processes 1;
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log warn;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path {{folder}}/body;
                  proxy_temp_path {{folder}}/proxy;
                  fastcgi_temp_path {{folder}}/fastcgi;
                  uwsgi_temp_path {{folder}}/uwsgi;
                  scgi_temp_path {{folder}}/scgi;
                  server {
                    listen 127.0.0.1:{{port}} ssl;
                    ssl_certificate {{folder}}/cert.pem;
                    ssl_certificate_key {{folder}}/key.pem;
                    location / {
                      proxy_pass http://127.0.0.1:{{upstream.Port}};
                      proxy_set_header Host $host:$server_port;
                      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                      proxy_set_header X-Forwarded-Proto $scheme;
                    }
                  }
                }
                """), Ct);
            var process = Process.Start(new ProcessStartInfo(Binary, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var nginx = new Nginx(process, folder, new Uri(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{port}/")), certificate);

            // Bounded start: up to 100 attempts, 100 ms apart.
            for (var attempt = 0; attempt < 100; attempt++)
            {
                if (process.HasExited)
                {
                    break;
                }

                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port, Ct);
                    return nginx;
                }
                catch (SocketException)
                {
                    await Task.Delay(100, Ct);
                }
            }

            var log = File.Exists(Path.Combine(folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "error.log"), Ct) : "";
            await nginx.DisposeAsync();
            throw new InvalidOperationException("nginx did not start: " + log);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(stop.Token);
            }

            _process.Dispose();
            Certificate.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
