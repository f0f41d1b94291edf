using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Onshi.Server.Devices;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Devices;

/// <summary>The DPoP-style proof on every app request: each way a proof can be wrong is refused with its code.</summary>
public abstract class DeviceProofTests(PortalFixture portal)
{
    private static readonly object Outpatient = new { purpose = "outpatient" };

    private static void AssertProofRefused(AppResponse response, string code = "dpop.invalid")
    {
        Assert.Equal(code, response.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task AWellFormedProofIsAccepted()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient)).Status);
    }

    [Fact]
    public async Task MissingMalformedAndDuplicatedProofsAreRefused()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { OmitHeader = true }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { RawHeaderValue = "garbage" }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { RawHeaderValue = "a.b.c" }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { RawHeaderValue = new string('A', 5000) + ".x.y" }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Typ = "JWT" }));
        var proof = app.Proof("POST", "/api/app/v1/challenges");
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { OmitHeader = true }, new Dictionary<string, string> { ["DPoP"] = proof + ", " + proof }));
    }

    [Fact]
    public async Task AProofWhoseJwkCarriesAPrivateKeyIsRefused()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var (x, y) = AppClient.Coordinates(app.Key);
        var d = Base64Url.EncodeToString(app.Key.ExportParameters(true).D);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"{{{x}}}","y":"{{{y}}}","d":"{{{d}}}"}}"""));
        var ath = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(app.SessionToken!)));
        var claims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"jti":"{{Guid.NewGuid():N}}","htm":"POST","htu":"/api/app/v1/challenges","iat":{{portal.Time.GetUtcNow().ToUnixTimeSeconds()}},"ath":"{{ath}}"}"""));
        var signature = app.Key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { RawHeaderValue = header + "." + claims + "." + Base64Url.EncodeToString(signature) }));
    }

    [Fact]
    public async Task ABadSignatureOrASignatureByAnotherKeyIsRefused()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { CorruptSignature = true }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { SignWith = other }));
    }

    [Fact]
    public async Task AProofForAnotherMethodOrPathIsRefused()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Htm = "GET" }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Htu = "/api/app/v1/confirmations" }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Htu = "https://example.invalid/api/app/v1/challenges" }));
    }

    [Fact]
    public async Task AStaleOrFutureIatIsRefusedAndTheWindowIsTwoMinutes()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var now = portal.Time.GetUtcNow().ToUnixTimeSeconds();
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Iat = now - 121 }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Iat = now + 121 }));
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Iat = now - 119 })).Status);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Iat = now + 119 })).Status);
    }

    [Fact]
    public async Task AReplayedProofIsRefusedEvenWhenOnlyTheJtiIsReused()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient)).Status);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { RawHeaderValue = app.LastProof }), "dpop.replayed");

        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Jti = "same-jti-0123456789" })).Status);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Jti = "same-jti-0123456789" }), "dpop.replayed");

        // Replays on endpoints whose proof the filter records are caught too.
        app.SessionToken = null;
        var login = new { userId = clinic.StaffUserId, password = clinic.StaffPassword };
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/sessions", login, new ProofTweaks { Jti = "login-jti-0123456789" })).Status);
        AssertProofRefused(await app.PostAsync("/sessions", login, new ProofTweaks { Jti = "login-jti-0123456789" }), "dpop.replayed");
    }

    [Fact]
    public async Task ExpiredProofRecordsAreCleanedUpAfterTheReplayWindow()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsync("/challenges", Outpatient)).Status);
        var before = await portal.QueryAsync(db => db.UsedProofs.CountAsync());
        Assert.True(before >= 1);
        portal.Time.Advance(TimeSpan.FromMinutes(11));
        var cleanup = new ExpiredRecordsCleanup(portal.Factory.Services.GetRequiredService<IServiceScopeFactory>(), portal.Time, NullLogger<ExpiredRecordsCleanup>.Instance);
        await cleanup.RunOnceAsync(TestContext.Current.CancellationToken);
        var now = portal.Time.GetUtcNow();
        Assert.Equal(0, await portal.QueryAsync(db => db.UsedProofs.CountAsync(p => p.ExpiresAt < now)));
    }

    [Fact]
    public async Task AnUnknownKeyCannotLogInAndAnotherDevicesKeyCannotUseASession()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        using var stranger = portal.NewApp();
        var login = await stranger.LogInAsync(clinic.StaffUserId, clinic.StaffPassword);
        Assert.Equal("device.unknown", login.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);

        // The stranger steals the session token: its own key's proof does not match the session's device.
        stranger.SessionToken = app.SessionToken;
        AssertProofRefused(await stranger.PostAsync("/challenges", Outpatient));
    }

    [Fact]
    public async Task TheProofMustCarryTheHashOfTheSessionToken()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { OmitAth = true }));
        AssertProofRefused(await app.PostAsync("/challenges", Outpatient, new ProofTweaks { Ath = Base64Url.EncodeToString(SHA256.HashData("another token"u8)) }));
    }
}

public sealed class DeviceProofTestsOnSqlite(SqlitePortal portal) : DeviceProofTests(portal), IClassFixture<SqlitePortal>;

public sealed class DeviceProofTestsOnPostgres(PostgresPortal portal) : DeviceProofTests(portal), IClassFixture<PostgresPortal>;
