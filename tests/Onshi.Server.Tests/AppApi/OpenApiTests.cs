using System.Net;
using System.Text.Json.Nodes;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.AppApi;

public sealed class OpenApiTests(SqlitePortal portal) : IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task TheServedDocumentDescribesEveryAppEndpoint()
    {
        using var client = portal.NewClient();
        using var response = await client.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject();
        (string Path, string Method)[] expected =
        [
            ("/api/app/v1/activation", "post"),
            ("/api/app/v1/sessions", "post"),
            ("/api/app/v1/sessions/current", "delete"),
            ("/api/app/v1/sessions/current", "get"),
            ("/api/app/v1/card-checks", "post"),
            ("/api/app/v1/challenges", "post"),
            ("/api/app/v1/confirmations", "post"),
            ("/api/app/v1/confirmations/{id}", "get"),
        ];
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.ContainsKey(path), $"{path} missing from the OpenAPI document");
            Assert.NotNull(paths[path]![method]);
        }

        Assert.NotNull(paths["/api/app/v1/confirmations"]!["post"]!["requestBody"]);
        Assert.Equal(expected.Select(e => e.Path).Distinct().Count(), paths.Count(p => p.Key.StartsWith("/api/app/v1/", StringComparison.Ordinal)));
    }
}
