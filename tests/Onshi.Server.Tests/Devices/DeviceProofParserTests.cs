using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Onshi.Server.Devices;

namespace Onshi.Server.Tests.Devices;

/// <summary>
/// The DPoP proof parser on its own (no server): what a device signs comes back unchanged, and whatever arrives in the
/// header is either a proof or a refusal (null), never an exception.
/// </summary>
public sealed class DeviceProofParserTests : IDisposable
{
    /// <summary>
    /// Found by AFL++ (fuzz/run.sh dpop, 2026-11-25): the header's "typ" holds the byte 0x9C, which is not UTF-8.
    /// JsonDocument accepted it and reading the string threw InvalidOperationException out of the parser.
    /// </summary>
    private const string FuzzCrashInvalidUtf8InHeader =
        "eyJ0eXAiOiJkcGdXnE9PZUoxcyIsInkiOiJQMUtpalpaZC9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwiY3J2IjoiUC0yNTYiLCJ4IjoialRiZ2NXOEplVC1mOHplLU1TaDNRamRJZGdmbHk5ck1STVdXaE9PZUoxcyIsInkiOiJQMUtpalpaZC1ubU1IQi0tVTY2MzRzSE9LMmJuRUZuOEFadW5UdnI5ZW1vIn19"
        + ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vb25zaGkuZXhhbXBsZS9hcGkvYXBwL3YxL3Nlc3Npb25zIiwiaWF0IjoxNzQ4ODIyNDAwLCJhdGgiOiJmVUh5TzJyMloLQ0Fxa3NtUUVvIn0"
        + ".ER-WdR2MAInHYCsdwZDqrCYj3Qht80qG_bTCKrOdr2rixT8bzb7FJNT28WeXacmMabFQvsB9vBCHWv92XhDX1A";

    private static readonly Gen<string> Jti = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].Array[16, 128].Select(c => new string(c));
    private static readonly Gen<string> Htm = Gen.OneOfConst("GET", "POST", "PUT", "DELETE", "PATCH");
    private static readonly Gen<string> Htu = Gen.Char["abcxyz/-._~%?=&:0189あ漢\"\\"].Array[1, 80].Select(c => new string(c));

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    [Fact]
    public void AHeaderThatIsNotUtf8IsRefusedNotThrown() =>
        Assert.Null(DeviceProofParser.TryParse(FuzzCrashInvalidUtf8InHeader));

    [Fact]
    public void ClaimsThatAreNotUtf8AreRefusedNotThrownEvenWhenSigned()
    {
        // The same defect through the other part: a correctly signed proof whose jti carries a lone continuation byte.
        var claims = Encoding.UTF8.GetBytes("""{"jti":"0123456789abcdef@","htm":"POST","htu":"/api/app/v1/sessions","iat":1748822400}""");
        claims[Array.IndexOf(claims, (byte)'@')] = 0x80;
        Assert.Null(DeviceProofParser.TryParse(Sign(Header(), claims)));
    }

    [Fact]
    public void WhatADeviceSignsIsReadBackUnchanged() =>
        Gen.Select(Jti, Htm, Htu, Gen.Long[0, 4_000_000_000], Gen.Bool, Gen.Byte.Array[32, 32]).Sample((jti, htm, htu, iat, bound, tokenHash) =>
        {
            var ath = bound ? Base64Url.EncodeToString(tokenHash) : null;
            var proof = DeviceProofParser.TryParse(Sign(Header(), Claims(jti, htm, htu, iat, ath)));

            Assert.NotNull(proof);
            Assert.Equal((jti, htm, htu, iat, ath), (proof.Jti, proof.Htm, proof.Htu, proof.IssuedAtSeconds, proof.AccessTokenHash));
            var (x, y) = Coordinates();
            Assert.Equal((x, y), (proof.Key.X, proof.Key.Y));
        }, iter: 200);

    [Fact]
    public void ChangingAnySingleCharacterOfAValidProofGetsItRefused()
    {
        var valid = Sign(Header(), Claims("0123456789abcdef", "POST", "/api/app/v1/challenges", 1_748_822_400, null));
        Assert.NotNull(DeviceProofParser.TryParse(valid));
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ "]).Sample((at, replacement) =>
        {
            if (valid[at] == replacement)
            {
                return;
            }

            var tampered = string.Concat(valid.AsSpan(0, at), replacement.ToString(), valid.AsSpan(at + 1));
            Assert.Null(DeviceProofParser.TryParse(tampered));
        }, iter: 500);
    }

    [Fact]
    public void SignedPartsOfArbitraryBytesAreEitherAProofOrARefusal() =>
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 300], Gen.Int[0, 3], Gen.Bool).Sample((noise, tail, where, headerSide) =>
        {
            // Arbitrary bytes spliced into an otherwise valid part, so they reach the JSON readers and are signed.
            var header = Header();
            var claims = Claims("0123456789abcdef", "POST", "/x", 1, null);
            var target = headerSide ? header : claims;
            var at = where switch { 0 => 0, 1 => target.Length / 2, 2 => Array.IndexOf(target, (byte)':') + 2, _ => target.Length - 1 };
            byte[] spliced = [.. target.AsSpan(0, at), .. noise, .. target.AsSpan(at), .. tail];
            var compact = headerSide ? Sign(spliced, claims) : Sign(header, spliced);

            var proof = DeviceProofParser.TryParse(compact);
            if (proof is not null)
            {
                Assert.True(compact.Length <= DeviceProofParser.MaximumLength);
                Assert.InRange(proof.Jti.Length, 16, 128);
            }
        }, iter: 1000);

    [Fact]
    public void ArbitraryHeaderValuesAreEitherAProofOrARefusal() =>
        Gen.OneOf(Gen.String, Gen.Char["eyJ0.-_AZaz09"].Array[0, 600].Select(c => new string(c))).Sample(text =>
            Assert.Null(DeviceProofParser.TryParse(text)), iter: 2000);

    private (string X, string Y) Coordinates()
    {
        var parameters = _key.ExportParameters(false);
        return (Base64Url.EncodeToString(parameters.Q.X), Base64Url.EncodeToString(parameters.Q.Y));
    }

    private byte[] Header()
    {
        var (x, y) = Coordinates();
        return Encoding.UTF8.GetBytes($$$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"{{{x}}}","y":"{{{y}}}"}}""");
    }

    private static byte[] Claims(string jti, string htm, string htu, long iat, string? ath)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jti", jti);
            json.WriteString("htm", htm);
            json.WriteString("htu", htu);
            json.WriteNumber("iat", iat);
            if (ath is not null)
            {
                json.WriteString("ath", ath);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private string Sign(byte[] header, byte[] claims)
    {
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
