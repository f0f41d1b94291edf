using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Onshi.App.Core.Api;

/// <summary>
/// Builds the <c>DPoP</c> header value of docs/app-api.md: a compact JWS (ES256) whose header carries the device's
/// public JWK and whose claims are jti, htm, htu (path only), iat and, with a session token, ath.
/// A fresh proof is made for every request, retries included, because the server refuses a jti it has seen.
/// </summary>
public static class DpopProof
{
    public static string Create(DeviceKey key, string method, string path, DateTimeOffset now, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);

        var header = Json(w =>
        {
            w.WriteString("typ", "dpop+jwt");
            w.WriteString("alg", "ES256");
            w.WriteStartObject("jwk");
            w.WriteString("kty", "EC");
            w.WriteString("crv", "P-256");
            w.WriteString("x", key.X);
            w.WriteString("y", key.Y);
            w.WriteEndObject();
        });
        var claims = Json(w =>
        {
            w.WriteString("jti", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            w.WriteString("htm", method.ToUpperInvariant());
            w.WriteString("htu", path);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            if (accessToken is not null)
            {
                w.WriteString("ath", Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))));
            }
        });

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var signature = key.SignEs256(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
