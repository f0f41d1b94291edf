using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Onshi.Server.Hosting;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Portal;

/// <summary>Security headers on pages, redirects, errors, assets and the health endpoint, over plain HTTP and HTTPS.</summary>
public sealed class SecurityHeadersTests(SqlitePortal portal) : IClassFixture<SqlitePortal>
{
    public static TheoryData<string> Urls => ["/Login", "/", "/Accounts", "/healthz", "/assets/portal.css", "/no-such-page"];

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task EveryResponseCarriesTheSecurityHeaders(string url)
    {
        using var client = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Resource-Policy"));
        var permissions = Header(response, "Permissions-Policy");
        foreach (var feature in new[] { "camera=()", "microphone=()", "geolocation=()" })
        {
            Assert.Contains(feature, permissions, StringComparison.Ordinal);
        }

        // HSTS over plain HTTP would be ignored by browsers and suggests a protection that is not there.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task HttpsResponsesAddStrictTransportSecurity()
    {
        using var client = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        using var response = await client.GetAsync(new Uri("/Login", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : throw new Xunit.Sdk.XunitException($"{name} is missing from {response.RequestMessage?.RequestUri}");
}
