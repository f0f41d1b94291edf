using System.Net;
using System.Text.RegularExpressions;

namespace Onshi.Server.Tests.Infrastructure;

/// <summary>A page fetched over HTTP, with the few ways tests look into its HTML.</summary>
public sealed partial record PortalPage(HttpStatusCode Status, string Html, Uri? Location)
{
    /// <summary>Where a redirect leads, as a path and query ("/Login?ReturnUrl=%2F").</summary>
    public string? RedirectPath => Location is null ? null : Location.IsAbsoluteUri ? Location.PathAndQuery : Location.OriginalString;

    /// <summary>Machine codes of the refusals shown on the page (rendered as data-code attributes).</summary>
    public IReadOnlyList<string> Codes => DataCode().Matches(Html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The text of the element carrying data-testid="<paramref name="testId"/>".</summary>
    public string? TestId(string testId)
    {
        var match = Regex.Match(Html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>([^<]*)<");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    public string Text => WebUtility.HtmlDecode(Tags().Replace(Html, " "));

    public string? AntiforgeryToken
    {
        get
        {
            var match = TokenField().Match(Html);
            return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
        }
    }

    [GeneratedRegex("data-code=\"([a-z_.]+)\"")]
    private static partial Regex DataCode();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>
/// Drives the portal like a browser: GET a page, take the antiforgery token from its form, POST the form fields.
/// Cookies are kept; redirects are not followed automatically, so tests can assert where they lead.
/// </summary>
public sealed class PortalClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<PortalPage> GetAsync(string url)
    {
        using var response = await Http.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        return await ReadAsync(response);
    }

    /// <summary>GETs <paramref name="pageUrl"/>, then posts <paramref name="fields"/> with its antiforgery token to <paramref name="postUrl"/> (default: the same page).</summary>
    public async Task<PortalPage> SubmitAsync(string pageUrl, IEnumerable<KeyValuePair<string, string>> fields, string? postUrl = null)
    {
        var page = await GetAsync(pageUrl);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {pageUrl} answered {(int)page.Status} {page.Location}");
        var token = page.AntiforgeryToken ?? throw new InvalidOperationException($"{pageUrl} has no form with an antiforgery token.");
        return await PostAsync(postUrl ?? pageUrl, fields.Append(new("__RequestVerificationToken", token)));
    }

    public async Task<PortalPage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var response = await Http.PostAsync(new Uri(url, UriKind.Relative), content, TestContext.Current.CancellationToken);
        return await ReadAsync(response);
    }

    public Task<PortalPage> LogInAsync(string institutionCode, string userId, string password) =>
        SubmitAsync("/Login", Form(("InstitutionCode", institutionCode), ("UserId", userId), ("Password", password)));

    public async Task LogInAndChangeInitialPasswordAsync(string institutionCode, string userId, string initialPassword, string newPassword)
    {
        var login = await LogInAsync(institutionCode, userId, initialPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.Equal("/ChangeInitialPassword", login.RedirectPath);
        var changed = await SubmitAsync("/ChangeInitialPassword", Form(("NewPassword", newPassword), ("ConfirmPassword", newPassword)));
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Equal("/", changed.RedirectPath);
    }

    public static IEnumerable<KeyValuePair<string, string>> Form(params (string Name, string Value)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value));

    public void Dispose() => Http.Dispose();

    private static async Task<PortalPage> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location);
}
