using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Onshi.App.Core.Api;

namespace Onshi.App.Core.Tests.Api;

/// <summary>The proof is checked here with code that shares nothing with the signer: JSON parsed by hand, key rebuilt from the JWK.</summary>
public sealed class DpopProofTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ProofIsAnEs256CompactJwsSignedByTheJwkInItsHeader()
    {
        using var key = DeviceKey.Generate();

        var proof = DpopProof.Create(key, "post", "/api/app/v1/challenges", Now, "session-token-1");

        var parts = proof.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var h = header.RootElement;
        Assert.Equal("dpop+jwt", h.GetProperty("typ").GetString());
        Assert.Equal("ES256", h.GetProperty("alg").GetString());
        var jwk = h.GetProperty("jwk");
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
        Assert.False(jwk.TryGetProperty("d", out _), "the private key must never be in the proof");

        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()!), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()!) },
        });
        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.Equal(64, signature.Length);
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        var c = claims.RootElement;
        Assert.True(Base64Url.DecodeFromChars(c.GetProperty("jti").GetString()!).Length >= 16);
        Assert.Equal("POST", c.GetProperty("htm").GetString());
        Assert.Equal("/api/app/v1/challenges", c.GetProperty("htu").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), c.GetProperty("iat").GetInt64());
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData("session-token-1"u8)), c.GetProperty("ath").GetString());
    }

    [Fact]
    public void ProofWithoutSessionHasNoAthAndEveryProofHasItsOwnJti()
    {
        using var key = DeviceKey.Generate();

        var first = DpopProof.Create(key, "POST", "/api/app/v1/activation", Now);
        var second = DpopProof.Create(key, "POST", "/api/app/v1/activation", Now);

        using var a = JsonDocument.Parse(Base64Url.DecodeFromChars(first.Split('.')[1]));
        using var b = JsonDocument.Parse(Base64Url.DecodeFromChars(second.Split('.')[1]));
        Assert.False(a.RootElement.TryGetProperty("ath", out _));
        Assert.NotEqual(a.RootElement.GetProperty("jti").GetString(), b.RootElement.GetProperty("jti").GetString());
    }

    [Fact]
    public void ThumbprintIsTheRfc7638HashOfTheRequiredMembersInOrder()
    {
        using var key = DeviceKey.Generate();
        var proof = DpopProof.Create(key, "GET", "/x", Now);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(proof.Split('.')[0]));
        var jwk = header.RootElement.GetProperty("jwk");

        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.GetProperty("x").GetString() + "\",\"y\":\"" + jwk.GetProperty("y").GetString() + "\"}";

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)), key.Thumbprint);
        Assert.Equal(32, key.Thumbprint.Length);
    }

    [Fact]
    public void KeySurvivesExportAndImport()
    {
        using var key = DeviceKey.Generate();
        using var again = DeviceKey.FromPkcs8(key.ExportPkcs8());

        Assert.Equal(key.Thumbprint, again.Thumbprint);
    }

    [Fact]
    public void ImportRefusesAKeyOnAnotherCurve()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<CryptographicException>(() => DeviceKey.FromPkcs8(p384.ExportPkcs8PrivateKey()));
    }
}
