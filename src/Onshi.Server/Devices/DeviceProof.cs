using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Onshi.Server.Devices;

/// <summary>The verified content of one DPoP proof.</summary>
public sealed record DeviceProof(DeviceKey Key, string Jti, string Htm, string Htu, long IssuedAtSeconds, string? AccessTokenHash);

/// <summary>
/// Parses and verifies a compact JWS DPoP proof (RFC 9449 §4.2, shaped for ES256 only) without a JWT library: every
/// part is size-limited before decoding, only the members we need are read, and anything unexpected is a refusal.
/// Claims that depend on the request (htm, htu, iat window, ath) are checked by <see cref="AppApi.DeviceProofFilter"/>.
/// </summary>
public static class DeviceProofParser
{
    /// <summary>A proof is a few hundred bytes; anything over this is not one of ours.</summary>
    public const int MaximumLength = 2048;

    private const int MaximumPartLength = 1024;
    private const int SignatureLength = 64;

    public static DeviceProof? TryParse(string? compact)
    {
        if (string.IsNullOrEmpty(compact) || compact.Length > MaximumLength)
        {
            return null;
        }

        var firstDot = compact.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : compact.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || compact.IndexOf('.', secondDot + 1) >= 0 || secondDot == compact.Length - 1)
        {
            return null;
        }

        var header = CanonicalBase64Url.TryDecode(compact[..firstDot], maximumLength: MaximumPartLength);
        var payload = CanonicalBase64Url.TryDecode(compact[(firstDot + 1)..secondDot], maximumLength: MaximumPartLength);
        var signature = CanonicalBase64Url.TryDecode(compact[(secondDot + 1)..], SignatureLength, MaximumPartLength);
        if (header is null || payload is null || signature is null)
        {
            return null;
        }

        // JsonDocument does not validate UTF-8 inside string values (GetString would throw on them later): a part that
        // is not UTF-8 is not a JWS part (RFC 7515 §5.2) and is refused here.
        if (!Utf8.IsValid(header) || !Utf8.IsValid(payload))
        {
            return null;
        }

        var key = ReadHeader(header);
        var claims = key is null ? null : ReadClaims(payload);
        if (key is null || claims is null)
        {
            return null;
        }

        // The signing input is the ASCII of the first two parts exactly as sent (RFC 7515 §5.2).
        var signingInput = ArrayPool<byte>.Shared.Rent(secondDot);
        try
        {
            var length = Encoding.ASCII.GetBytes(compact.AsSpan(0, secondDot), signingInput);
            if (!key.Verify(signingInput.AsSpan(0, length), signature))
            {
                return null;
            }
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signingInput);
        }

        return new DeviceProof(key, claims.Value.Jti, claims.Value.Htm, claims.Value.Htu, claims.Value.Iat, claims.Value.Ath);
    }

    private static DeviceKey? ReadHeader(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4, AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || String(root, "typ") != "dpop+jwt"
                || String(root, "alg") != "ES256"
                || !root.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object
                || String(jwk, "kty") != "EC" || String(jwk, "crv") != "P-256"
                || jwk.TryGetProperty("d", out _))
            {
                // A jwk with "d" is a private key sent over the wire: refuse rather than silently accept a leaked key.
                return null;
            }

            return DeviceKey.TryCreate(String(jwk, "x"), String(jwk, "y"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string Jti, string Htm, string Htu, long Iat, string? Ath)? ReadClaims(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2, AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var jti = String(root, "jti");
            var htm = String(root, "htm");
            var htu = String(root, "htu");
            if (jti is not { Length: >= 16 and <= 128 } || htm is not { Length: > 0 and <= 16 } || htu is not { Length: > 0 and <= 512 }
                || !root.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var iatSeconds))
            {
                return null;
            }

            string? ath = null;
            if (root.TryGetProperty("ath", out var athElement))
            {
                ath = athElement.ValueKind == JsonValueKind.String ? athElement.GetString() : null;
                if (ath is null)
                {
                    return null;
                }
            }

            return (jti, htm, htu, iatSeconds, ath);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
