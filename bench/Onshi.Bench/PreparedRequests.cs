using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Jpki;
using Onshi.Server.Challenges;
using Onshi.Server.Data;

namespace Onshi.Bench;

/// <summary>One request ready to send: nothing is signed or serialised during the timed phase.</summary>
public sealed record PreparedRequest(string Path, byte[] Body, string Proof, string Authorization, string? IdempotencyKey);

/// <summary>
/// Builds the requests of a phase before it starts: challenges stored as <c>POST /challenges</c> would store them, the
/// card's RSA-2048 signature over the signed message, a single-use DPoP proof per request (jti), a fresh Idempotency-Key.
/// </summary>
public static class PreparedRequests
{
    public const string ConfirmPath = "/api/app/v1/confirmations";

    private static readonly Dictionary<string, bool?> Consents = new() { ["pharmacy"] = true, ["diagnosis"] = false, ["checkup"] = true, ["operation"] = null };

    public static async Task<PreparedRequest[]> ConfirmationsAsync(BenchWorld world, int count, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var challenges = new Challenge[count];
        for (var i = 0; i < count; i++)
        {
            var device = world.Devices[i % world.Devices.Count];
            challenges[i] = new Challenge
            {
                Id = Guid.NewGuid(),
                Value = RandomNumberGenerator.GetBytes(32),
                DeviceId = device.DeviceId,
                SessionId = device.SessionId,
                InstitutionId = world.InstitutionId,
                Purpose = AuthenticationPurpose.Outpatient,
                IssuedAt = now,
                ExpiresAt = now.AddMinutes(5),
            };
        }

        for (var start = 0; start < count; start += 2000)
        {
            var batch = challenges.Skip(start).Take(2000).ToArray();
            await world.InScopeAsync(s =>
            {
                var db = s.GetRequiredService<AppDbContext>();
                db.Challenges.AddRange(batch);
                return db.SaveChangesAsync(cancellationToken);
            }).ConfigureAwait(false);
        }

        var signatures = Sign(world, count, i => AuthenticationMessage.Build(challenges[i].Value, world.InstitutionCode, world.Devices[i % world.Devices.Count].Thumbprint, AuthenticationPurpose.Outpatient));
        var proofs = Proofs(world, count);
        var requests = new PreparedRequest[count];
        for (var i = 0; i < count; i++)
        {
            var device = world.Devices[i % world.Devices.Count];
            requests[i] = new PreparedRequest(ConfirmPath, Body(challenges[i].Id, world.Cards[i % world.Cards.Count].CertificateBase64Url, signatures[i]),
                proofs[i], "DPoP " + device.SessionToken, Guid.NewGuid().ToString());
        }

        return requests;
    }

    /// <summary>Baseline bodies: the same JSON shape and size; the challenge is derived from the id (BenchServerHost).</summary>
    public static PreparedRequest[] Baseline(BenchWorld world, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        var signatures = Sign(world, count, i => AuthenticationMessage.Build(BenchServerHost.BaselineChallenge(ids[i]), world.InstitutionCode, BenchServerHost.BaselineThumbprint, AuthenticationPurpose.Outpatient));
        var proofs = Proofs(world, Math.Min(count, world.Devices.Count));
        return [.. Enumerable.Range(0, count).Select(i => new PreparedRequest(BenchServerHost.BaselinePath,
            Body(ids[i], world.Cards[i % world.Cards.Count].CertificateBase64Url, signatures[i]), proofs[i % proofs.Length],
            "DPoP " + world.Devices[i % world.Devices.Count].SessionToken, null))];
    }

    private static byte[] Body(Guid challengeId, string certificate, byte[] signature) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        challengeId = challengeId.ToString(),
        purpose = WirePurposes.Outpatient,
        method = "pin",
        certificate,
        signature = Base64Url.EncodeToString(signature),
        visualAttestation = (object?)null,
        consents = Consents,
        comprehensiveConsent = false,
    });

    /// <summary>Card signatures, in parallel; each pooled key is used by one thread at a time.</summary>
    private static byte[][] Sign(BenchWorld world, int count, Func<int, byte[]> message)
    {
        var signatures = new byte[count][];
        Parallel.For(0, world.Keys.Count, k =>
        {
            for (var i = 0; i < count; i++)
            {
                var card = world.Cards[i % world.Cards.Count];
                if (card.KeyIndex == k)
                {
                    signatures[i] = world.Keys[k].SignData(message(i), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }
            }
        });
        return signatures;
    }

    /// <summary>One DPoP proof per request (RFC 9449 shape of docs/app-api.md), signed by the request's device key.</summary>
    private static string[] Proofs(BenchWorld world, int count)
    {
        var proofs = new string[count];
        var iat = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Parallel.For(0, world.Devices.Count, d =>
        {
            var device = world.Devices[d];
            for (var i = d; i < count; i += world.Devices.Count)
            {
                var claims = $$"""{"jti":"{{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))}}","htm":"POST","htu":"{{ConfirmPath}}","iat":{{iat}},"ath":"{{device.Ath}}"}""";
                var input = device.ProofHeaderPart + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
                var signature = device.Key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                proofs[i] = input + "." + Base64Url.EncodeToString(signature);
            }
        });
        return proofs;
    }
}
