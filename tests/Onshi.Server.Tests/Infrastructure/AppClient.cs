using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Onshi.Server.Tests.Infrastructure;

/// <summary>An answer of the app API: status, the JSON body, and the problem's machine code when refused.</summary>
public sealed record AppResponse(HttpStatusCode Status, JsonNode? Body, string? ContentType)
{
    public string? Code => Body?["code"]?.GetValue<string>();

    public string? Detail => Body?["detail"]?.GetValue<string>();

    public string Str(string name) => Body?[name]?.GetValue<string>() ?? throw new InvalidOperationException($"No '{name}' in {Body}");
}

/// <summary>How a test wants the next proof to be (mis)built.</summary>
public sealed record ProofTweaks
{
    public string? Htm { get; init; }
    public string? Htu { get; init; }
    public long? Iat { get; init; }
    public string? Jti { get; init; }
    public string? Ath { get; init; }
    public bool OmitAth { get; init; }
    public bool CorruptSignature { get; init; }
    public ECDsa? SignWith { get; init; }
    public string? RawHeaderValue { get; init; }
    public bool OmitHeader { get; init; }
    public string? Typ { get; init; }
}

/// <summary>
/// The app side of the contract, for tests: holds a P-256 device key like the real app, signs a DPoP-style proof for
/// every request (jti, htm, htu, iat, ath) and sends the session token as <c>Authorization: DPoP</c>.
/// </summary>
public sealed class AppClient(HttpClient http, TimeProvider time) : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public HttpClient Http { get; } = http;

    public string? SessionToken { get; set; }

    /// <summary>The 医療機関コード this device was activated for (set by ReadyAppAsync); card signatures bind it.</summary>
    public string? InstitutionCode { get; set; }

    /// <summary>The last proof sent, for replay tests.</summary>
    public string? LastProof { get; private set; }

    public byte[] Thumbprint
    {
        get
        {
            var (x, y) = Coordinates(Key);
            return JwkThumbprint.Compute(x, y);
        }
    }

    public Task<AppResponse> PostAsync(string path, object? body, ProofTweaks? tweaks = null, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonSerializer.Serialize(body, JsonSerializerOptions.Web), tweaks, headers);

    public Task<AppResponse> GetAsync(string path, ProofTweaks? tweaks = null) => SendAsync(HttpMethod.Get, path, null, tweaks);

    public Task<AppResponse> DeleteAsync(string path, ProofTweaks? tweaks = null) => SendAsync(HttpMethod.Delete, path, null, tweaks);

    public async Task<AppResponse> SendAsync(HttpMethod method, string path, string? json, ProofTweaks? tweaks = null, IDictionary<string, string>? headers = null)
    {
        tweaks ??= new ProofTweaks();
        using var request = new HttpRequestMessage(method, new Uri("/api/app/v1" + path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (SessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + SessionToken);
        }

        if (!tweaks.OmitHeader)
        {
            var proof = tweaks.RawHeaderValue ?? Proof(method.Method, "/api/app/v1" + path, tweaks);
            LastProof = proof;
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        // A 5xx from the Production exception handler is its HTML error page, not JSON: the status is what counts then.
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var html = (int)response.StatusCode >= 500 && mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true;
        return new AppResponse(response.StatusCode, text.Length == 0 || html ? null : JsonNode.Parse(text), mediaType);
    }

    public string Proof(string htm, string htu, ProofTweaks? tweaks = null)
    {
        tweaks ??= new ProofTweaks();
        var signer = tweaks.SignWith ?? Key;
        var (x, y) = Coordinates(Key);
        var header = new JsonObject
        {
            ["typ"] = tweaks.Typ ?? "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = x, ["y"] = y },
        };
        var claims = new JsonObject
        {
            ["jti"] = tweaks.Jti ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = tweaks.Htm ?? htm,
            ["htu"] = tweaks.Htu ?? htu,
            ["iat"] = tweaks.Iat ?? time.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (!tweaks.OmitAth && (tweaks.Ath is not null || SessionToken is not null))
        {
            claims["ath"] = tweaks.Ath ?? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(SessionToken!)));
        }

        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = signer.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (tweaks.CorruptSignature)
        {
            signature[5] ^= 0x40;
        }

        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public static (string X, string Y) Coordinates(ECDsa key)
    {
        var parameters = key.ExportParameters(false);
        return (Base64Url.EncodeToString(parameters.Q.X), Base64Url.EncodeToString(parameters.Q.Y));
    }

    public void Dispose()
    {
        Key.Dispose();
        Http.Dispose();
    }
}
