using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Audit;
using Onshi.Server.Data;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Audit;

/// <summary>
/// The attacker here has write access to the database and this source, so they can rewrite a chain and fix up its head:
/// the chain alone then verifies. A signed checkpoint kept outside the database still catches every such rewrite of
/// what it covered: entries cut off the end, a middle entry deleted with the rest re-chained, a whole chain deleted.
/// </summary>
public abstract class AuditCheckpointTests(PortalFixture portal)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CuttingTheLastEntriesAndFixingTheHeadIsCaughtByTheCheckpoint()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = AuditCheckpoints.Sign(await CaptureAsync(institution.Id), key);

        const int cut = 2;
        foreach (var gone in entries.TakeLast(cut))
        {
            await SqlAsync("DELETE FROM \"AuditEntries\" WHERE \"Id\" = {0}", gone.Id);
        }

        await SetHeadAsync(institution.Id, entries[^(cut + 1)].Sequence, entries[^(cut + 1)].Hash);
        Assert.True(Report(await VerifyAsync(), institution.Id).Intact, "the forger's fix-up should fool the chain alone");

        var finding = Assert.Single(await CheckAsync(file, key), f => f.ChainKey == institution.Id);
        Assert.Equal("checkpoint_entry_missing", finding.Problem);
        Assert.Equal(entries[^1].Sequence, finding.Position);
    }

    [Fact]
    public async Task DeletingAMiddleEntryAndRechainingTheRestIsCaughtByTheCheckpoint()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = AuditCheckpoints.Sign(await CaptureAsync(institution.Id), key);

        // The forger deletes entry 3 and rewrites every later entry (position and hashes) and the head.
        await SqlAsync("DELETE FROM \"AuditEntries\" WHERE \"Id\" = {0}", entries[2].Id);
        var previous = entries[1].Hash;
        foreach (var later in entries.Skip(3))
        {
            later.Sequence--;
            later.PreviousHash = previous;
            later.Hash = AuditChainHash.Compute(later);
            previous = later.Hash;
            await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = {0}, \"PreviousHash\" = {1}, \"Hash\" = {2} WHERE \"Id\" = {3}", later.Sequence, later.PreviousHash, later.Hash, later.Id);
        }

        await SetHeadAsync(institution.Id, entries[^1].Sequence, entries[^1].Hash);
        Assert.True(Report(await VerifyAsync(), institution.Id).Intact, "the forger's rewrite should fool the chain alone");

        var finding = Assert.Single(await CheckAsync(file, key), f => f.ChainKey == institution.Id);
        Assert.Equal("checkpoint_entry_missing", finding.Problem);
    }

    [Fact]
    public async Task RewritingAnEntryAndEverythingAfterItIsCaughtByTheCheckpoint()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = AuditCheckpoints.Sign(await CaptureAsync(institution.Id), key);

        // Same length, different history: entry 2's detail is changed and the chain re-hashed from there.
        var previous = entries[0].Hash;
        entries[1].Detail = "nothing happened";
        foreach (var later in entries.Skip(1))
        {
            later.PreviousHash = previous;
            later.Hash = AuditChainHash.Compute(later);
            previous = later.Hash;
            await SqlAsync("UPDATE \"AuditEntries\" SET \"PreviousHash\" = {0}, \"Hash\" = {1} WHERE \"Id\" = {2}", later.PreviousHash, later.Hash, later.Id);
        }

        await SqlAsync("UPDATE \"AuditEntries\" SET \"Detail\" = {0} WHERE \"Id\" = {1}", entries[1].Detail!, entries[1].Id);

        await SetHeadAsync(institution.Id, entries[^1].Sequence, entries[^1].Hash);
        Assert.True(Report(await VerifyAsync(), institution.Id).Intact, "the forger's rewrite should fool the chain alone");

        var finding = Assert.Single(await CheckAsync(file, key), f => f.ChainKey == institution.Id);
        Assert.Equal("checkpoint_hash_mismatch", finding.Problem);
    }

    [Fact]
    public async Task DeletingAWholeChainIsCaughtWithAndWithoutACheckpoint()
    {
        var (institution, _) = await InstitutionWithHistoryAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = AuditCheckpoints.Sign(await CaptureAsync(institution.Id), key);

        await SqlAsync("DELETE FROM \"AuditEntries\" WHERE \"ChainKey\" = {0}", institution.Id);
        await SqlAsync("DELETE FROM \"AuditChainHeads\" WHERE \"ChainKey\" = {0}", institution.Id);

        // The institution is still registered, so its chain cannot simply be absent.
        Assert.Equal("chain_missing", Report(await VerifyAsync(), institution.Id).Break?.Problem);
        var finding = Assert.Single(await CheckAsync(file, key), f => f.ChainKey == institution.Id);
        Assert.Equal("checkpoint_entry_missing", finding.Problem);
    }

    [Fact]
    public async Task AnUntouchedDatabaseWithNewerEntriesPassesTheCheckpoint()
    {
        var (institution, _) = await InstitutionWithHistoryAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = await CaptureAsync(institution.Id);
        var file = AuditCheckpoints.Sign(checkpoint, key);
        using var stranger = portal.NewClient();
        await stranger.LogInAsync(institution.Code, "admin", "a later wrong password");
        Assert.True(Report(await VerifyAsync(), institution.Id).Entries > checkpoint.Chains.Single().Length);

        Assert.DoesNotContain(await CheckAsync(file, key), f => f.ChainKey == institution.Id);
    }

    [Fact]
    public async Task ACheckpointEditedToMatchAForgeryOrSignedWithAnotherKeyIsRefused()
    {
        var (institution, _) = await InstitutionWithHistoryAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = await CaptureAsync(institution.Id);
        var file = AuditCheckpoints.Sign(checkpoint, key);

        var forgedPayload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(checkpoint with { Chains = [.. checkpoint.Chains.Select(c => c with { Length = c.Length - 1 })] }, System.Text.Json.JsonSerializerOptions.Web);
        var document = System.Text.Json.Nodes.JsonNode.Parse(file)!;
        document["payload"] = Convert.ToBase64String(forgedPayload);
        var edited = Assert.Throws<AuditCheckpointException>(() => AuditCheckpoints.Read(document.ToJsonString(), key));
        Assert.Equal("audit.checkpoint_signature_invalid", edited.Code);

        var foreign = Assert.Throws<AuditCheckpointException>(() => AuditCheckpoints.Read(AuditCheckpoints.Sign(checkpoint, other), key));
        Assert.Equal("audit.checkpoint_signature_invalid", foreign.Code);

        // The public half alone is enough to check.
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        Assert.Equal(checkpoint.Chains.Count, AuditCheckpoints.Read(file, publicOnly).Chains.Count);
    }

    private static AuditChainReport Report(IReadOnlyList<AuditChainReport> reports, int chainKey) => reports.Single(r => r.ChainKey == chainKey);

    private async Task<(TestInstitution Institution, List<AuditEntry> Entries)> InstitutionWithHistoryAsync()
    {
        var institution = await portal.CreateInstitutionAsync();
        using (await portal.AdministratorAsync(institution))
        {
            portal.Time.Advance(TimeSpan.FromSeconds(1));
        }

        using var stranger = portal.NewClient();
        for (var i = 0; i < 3; i++)
        {
            portal.Time.Advance(TimeSpan.FromMilliseconds(1234.5678));
            await stranger.LogInAsync(institution.Code, "admin", "not the password at all " + i);
        }

        var entries = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.ChainKey == institution.Id).OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.True(entries.Count >= 6, $"expected a history of at least 6 entries, got {entries.Count}");
        return (institution, entries);
    }

    /// <summary>Only this test's chain: the other tests of the class have tampered with theirs in the same database.</summary>
    private async Task<AuditCheckpoint> CaptureAsync(int chainKey)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var checkpoints = new AuditCheckpoints(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<AuditChainVerifier>(), portal.Time);
        return await checkpoints.CaptureAsync(chainKey, Ct);
    }

    private async Task<IReadOnlyList<AuditCheckpointFinding>> CheckAsync(string file, ECDsa key)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var checkpoints = new AuditCheckpoints(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<AuditChainVerifier>(), portal.Time);
        return await checkpoints.CheckAsync(AuditCheckpoints.Read(file, key), Ct);
    }

    private Task<IReadOnlyList<AuditChainReport>> VerifyAsync() =>
        portal.WithServiceAsync<AuditChainVerifier, IReadOnlyList<AuditChainReport>>(v => v.VerifyAsync(null, Ct));

    private Task<int> SetHeadAsync(int chainKey, long sequence, string hash) =>
        SqlAsync("UPDATE \"AuditChainHeads\" SET \"LastSequence\" = {0}, \"LastHash\" = {1} WHERE \"ChainKey\" = {2}", sequence, hash, chainKey);

    private Task<int> SqlAsync(string sql, params object[] parameters) =>
        portal.QueryAsync(db => db.Database.ExecuteSqlRawAsync(sql, parameters, Ct));
}

public sealed class AuditCheckpointTestsOnSqlite(SqlitePortal portal) : AuditCheckpointTests(portal), IClassFixture<SqlitePortal>;

public sealed class AuditCheckpointTestsOnPostgres(PostgresPortal portal) : AuditCheckpointTests(portal), IClassFixture<PostgresPortal>;
