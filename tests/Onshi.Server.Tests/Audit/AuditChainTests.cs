using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Audit;

/// <summary>
/// The audit hash chain on each database: entries written through real HTTP logins chain up, concurrent writers do
/// not fork a chain, and every way of tampering with the rows in SQL (update, delete, insert, reorder, truncate) is
/// detected at the first broken record.
/// </summary>
public abstract class AuditChainTests(PortalFixture portal)
{
    [Fact]
    public async Task LoginsAndAdministrationFormOneIntactChainPerInstitution()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();

        var report = Assert.Single(await VerifyAsync(institution.Id));
        Assert.True(report.Intact, report.Break?.Explanation);
        Assert.Equal(entries.Count, report.Entries);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(AuditChainHash.Genesis, entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.Contains(entries, e => e.Action == "login.succeeded");
        Assert.Contains(entries, e => e.Action == "login.failed" && e.Detail == "wrong_password");
        Assert.Contains(entries, e => e.Action == "institution.created");
    }

    [Fact]
    public async Task ConcurrentWritersTakeTurnsInsteadOfForkingTheChain()
    {
        var institution = await portal.CreateInstitutionAsync();
        const int writers = 24;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            await using var scope = portal.Factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>()
                .RecordNowAsync(Actor.Operator, institution.Id, "test.concurrent", $"writer:{i}", null, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken)));

        var report = Assert.Single(await VerifyAsync(institution.Id));
        Assert.True(report.Intact, report.Break?.Explanation);
        Assert.Equal(writers + 1, report.Entries);
    }

    [Fact]
    public async Task DetectsAnUpdatedEntry()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        var victim = entries[2];
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Detail\" = 'nothing happened' WHERE \"Id\" = {0}", victim.Id);

        AssertBrokenAt(await VerifyAsync(institution.Id), victim, "content_altered");
    }

    [Fact]
    public async Task DetectsAChangedActor()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        var victim = entries[1];
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Actor\" = 'someone' WHERE \"Id\" = {0}", victim.Id);
        AssertBrokenAt(await VerifyAsync(institution.Id), victim, "content_altered");
    }

    [Fact]
    public async Task DetectsATimeMovedByOneSecond()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        var victim = entries[1];
        var isPostgres = await portal.QueryAsync(db => Task.FromResult(db.Database.IsNpgsql()));

        // Only the time changes (SQLite keeps UTC ticks, PostgreSQL a timestamptz); actor and content stay as they were.
        await SqlAsync(isPostgres
            ? "UPDATE \"AuditEntries\" SET \"OccurredAt\" = \"OccurredAt\" + interval '1 second' WHERE \"Id\" = {0}"
            : "UPDATE \"AuditEntries\" SET \"OccurredAt\" = \"OccurredAt\" + 10000000 WHERE \"Id\" = {0}", victim.Id);

        var moved = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == victim.Id, TestContext.Current.CancellationToken));
        Assert.Equal(victim.OccurredAt.AddSeconds(1), moved.OccurredAt);
        Assert.Equal(victim.Actor, moved.Actor);
        var report = Assert.Single(await VerifyAsync(institution.Id));
        Assert.False(report.Intact);
        Assert.Equal("content_altered", report.Break!.Problem);
        Assert.Equal(victim.Id, report.Break.EntryId);
        Assert.Equal(moved.OccurredAt, report.Break.OccurredAt);
    }

    [Fact]
    public async Task DetectsADeletedEntryInTheMiddle()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        await SqlAsync("DELETE FROM \"AuditEntries\" WHERE \"Id\" = {0}", entries[2].Id);

        AssertBrokenAt(await VerifyAsync(institution.Id), entries[3], "sequence_gap");
    }

    [Fact]
    public async Task DetectsEntriesCutOffTheEnd()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        await SqlAsync("DELETE FROM \"AuditEntries\" WHERE \"Id\" = {0}", entries[^1].Id);

        AssertBrokenAt(await VerifyAsync(institution.Id), entries[^2], "head_mismatch");
    }

    [Fact]
    public async Task DetectsAnEntryInsertedInTheMiddleEvenWithARecomputedHash()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        var at = entries[2];

        // The forger shifts later rows up one place and writes a well-formed row, hash and all, into the gap.
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = -\"Sequence\" WHERE \"ChainKey\" = {0} AND \"Sequence\" >= {1}", institution.Id, at.Sequence);
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = 1 - \"Sequence\" WHERE \"ChainKey\" = {0} AND \"Sequence\" < 0", institution.Id);
        var forged = new AuditEntry
        {
            OccurredAt = at.OccurredAt,
            InstitutionId = institution.Id,
            Actor = "admin",
            Action = "account.created",
            Target = "account:999",
            Succeeded = true,
            ChainKey = institution.Id,
            Sequence = at.Sequence,
            PreviousHash = entries[1].Hash,
        };
        forged.Hash = AuditChainHash.Compute(forged);
        await InsertRawAsync(forged);

        // The forged row itself checks out; the row after it no longer names its predecessor.
        AssertBrokenAt(await VerifyAsync(institution.Id), at, "previous_hash_mismatch");
    }

    [Fact]
    public async Task DetectsAnEntryAppendedAfterTheHead()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        var forged = new AuditEntry
        {
            OccurredAt = entries[^1].OccurredAt,
            InstitutionId = institution.Id,
            Actor = "admin",
            Action = "settings.updated",
            Target = "institution:settings",
            Succeeded = true,
            ChainKey = institution.Id,
            Sequence = entries[^1].Sequence + 1,
            PreviousHash = entries[^1].Hash,
        };
        forged.Hash = AuditChainHash.Compute(forged);
        await InsertRawAsync(forged);

        var report = Assert.Single(await VerifyAsync(institution.Id));
        Assert.Equal("head_mismatch", report.Break?.Problem);
    }

    [Fact]
    public async Task DetectsTwoEntriesSwappedInOrder()
    {
        var (institution, entries) = await InstitutionWithHistoryAsync();
        var (first, second) = (entries[1], entries[2]);
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = -1 WHERE \"Id\" = {0}", first.Id);
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = {0} WHERE \"Id\" = {1}", first.Sequence, second.Id);
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Sequence\" = {0} WHERE \"Id\" = {1}", second.Sequence, first.Id);

        AssertBrokenAt(await VerifyAsync(institution.Id), second, "previous_hash_mismatch");
    }

    [Fact]
    public async Task TamperingWithOneInstitutionLeavesTheOthersVerifiable()
    {
        var (damaged, entries) = await InstitutionWithHistoryAsync();
        var (healthy, _) = await InstitutionWithHistoryAsync();
        await SqlAsync("UPDATE \"AuditEntries\" SET \"Target\" = NULL WHERE \"Id\" = {0}", entries[0].Id);

        var all = await VerifyAsync(null);
        Assert.Equal("content_altered", all.Single(r => r.ChainKey == damaged.Id).Break?.Problem);
        Assert.True(all.Single(r => r.ChainKey == healthy.Id).Intact);
    }

    private static void AssertBrokenAt(IReadOnlyList<AuditChainReport> reports, AuditEntry expected, string problem)
    {
        var report = Assert.Single(reports);
        Assert.False(report.Intact);
        Assert.Equal(problem, report.Break!.Problem);
        Assert.Equal(expected.Id, report.Break.EntryId);
        Assert.Equal(expected.OccurredAt, report.Break.OccurredAt);
    }

    /// <summary>An institution whose chain holds its creation, a successful login, a password change and a few wrong passwords.</summary>
    private async Task<(TestInstitution Institution, List<AuditEntry> Entries)> InstitutionWithHistoryAsync()
    {
        var institution = await portal.CreateInstitutionAsync();
        using (var client = await portal.AdministratorAsync(institution))
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
            .Where(e => e.ChainKey == institution.Id).OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken));
        Assert.True(entries.Count >= 6, $"expected a history of at least 6 entries, got {entries.Count}");
        return (institution, entries);
    }

    private Task<IReadOnlyList<AuditChainReport>> VerifyAsync(int? chainKey) =>
        portal.WithServiceAsync<AuditChainVerifier, IReadOnlyList<AuditChainReport>>(v => v.VerifyAsync(chainKey, TestContext.Current.CancellationToken));

    private Task<int> SqlAsync(string sql, params object[] parameters) =>
        portal.QueryAsync(db => db.Database.ExecuteSqlRawAsync(sql, parameters, TestContext.Current.CancellationToken));

    // Straight SQL (forged rows always carry a target, so no parameter is null),, as a forger with database access would write it: the application's interceptor is not involved.
    private Task<int> InsertRawAsync(AuditEntry e) => portal.QueryAsync(db => db.Database.IsNpgsql()
        ? db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"AuditEntries\" (\"OccurredAt\", \"InstitutionId\", \"Actor\", \"Action\", \"Target\", \"Succeeded\", \"ChainKey\", \"Sequence\", \"PreviousHash\", \"Hash\") VALUES ({0}, {1}, {2}, {3}, {4}, TRUE, {5}, {6}, {7}, {8})",
            [e.OccurredAt, e.InstitutionId!, e.Actor, e.Action, e.Target!, e.ChainKey, e.Sequence, e.PreviousHash, e.Hash], TestContext.Current.CancellationToken)
        : db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"AuditEntries\" (\"OccurredAt\", \"InstitutionId\", \"Actor\", \"Action\", \"Target\", \"Succeeded\", \"ChainKey\", \"Sequence\", \"PreviousHash\", \"Hash\") VALUES ({0}, {1}, {2}, {3}, {4}, 1, {5}, {6}, {7}, {8})",
            [e.OccurredAt.UtcTicks, e.InstitutionId!, e.Actor, e.Action, e.Target!, e.ChainKey, e.Sequence, e.PreviousHash, e.Hash], TestContext.Current.CancellationToken));
}

public sealed class AuditChainTestsOnSqlite(SqlitePortal portal) : AuditChainTests(portal), IClassFixture<SqlitePortal>;

public sealed class AuditChainTestsOnPostgres(PostgresPortal portal) : AuditChainTests(portal), IClassFixture<PostgresPortal>;
