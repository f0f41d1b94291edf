using System.Net;
using Microsoft.EntityFrameworkCore;
using Onshi.Jpki;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Challenges;

public abstract class ChallengeTests(PortalFixture portal)
{
    [Fact]
    public async Task AChallengeIsThirtyTwoRandomBytesBoundToDeviceSessionAndPurposeForFiveMinutes()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var response = await app.PostAsync("/challenges", new { purpose = "homeVisit" });
        Assert.Equal(HttpStatusCode.Created, response.Status);
        var bytes = CanonicalBase64Url.TryDecode(response.Str("challenge"));
        Assert.Equal(32, bytes!.Length);
        Assert.Equal(portal.Time.GetUtcNow().AddMinutes(5), response.Body!["expiresAt"]!.GetValue<DateTimeOffset>());

        var id = Guid.Parse(response.Str("challengeId"));
        var stored = await portal.QueryAsync(db => db.Challenges.SingleAsync(c => c.Id == id));
        Assert.Equal(bytes, stored.Value);
        Assert.Equal(AuthenticationPurpose.HomeVisit, stored.Purpose);
        Assert.Equal(app.Thumbprint, await portal.QueryAsync(db => db.Devices.IgnoreQueryFilters().Where(d => d.Id == stored.DeviceId).Select(d => d.KeyThumbprint).SingleAsync()));
        Assert.Null(stored.UsedAt);

        var second = await app.PostAsync("/challenges", new { purpose = "homeVisit" });
        Assert.NotEqual(response.Str("challenge"), second.Str("challenge"));
    }

    [Fact]
    public async Task APurposeTheInstitutionDidNotEnableIsRefused()
    {
        using var clinic = await portal.ClinicAsync(outpatient: true, homeVisit: false, online: false);
        using var app = await portal.ReadyAppAsync(clinic);
        var refused = await app.PostAsync("/challenges", new { purpose = "online" });
        Assert.Equal("purpose.not_enabled", refused.Code);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        // Turning the function off takes effect on the next request.
        await portal.SetSettingsAsync(clinic.Institution.Id, outpatient: false, homeVisit: true);
        Assert.Equal("purpose.not_enabled", (await app.PostAsync("/challenges", new { purpose = "outpatient" })).Code);
    }

    [Fact]
    public async Task AnUnknownPurposeOrABrokenBodyIsABadRequest()
    {
        using var clinic = await portal.ClinicAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        Assert.Equal("app.request_invalid", (await app.PostAsync("/challenges", new { purpose = "emergency" })).Code);
        var broken = await app.SendAsync(HttpMethod.Post, "/challenges", "{\"purpose\":");
        Assert.Equal("app.request_invalid", broken.Code);
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
    }
}

public sealed class ChallengeTestsOnSqlite(SqlitePortal portal) : ChallengeTests(portal), IClassFixture<SqlitePortal>;

public sealed class ChallengeTestsOnPostgres(PostgresPortal portal) : ChallengeTests(portal), IClassFixture<PostgresPortal>;
