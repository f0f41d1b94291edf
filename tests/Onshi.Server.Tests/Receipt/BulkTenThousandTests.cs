using System.Diagnostics;
using System.Globalization;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Receipt;

/// <summary>
/// 10,000 persons through the agent and the server on SQLite, end to end (01req → 受付番号 → 02req every 2 s, as a レセコン polls, until done; bounded at 20 minutes). The time
/// is written to the test output for docs/performance.md; it is not asserted.
/// </summary>
public abstract class BulkTenThousandTests(PortalFixture portal, string store, ITestOutputHelper output)
{
    [Fact]
    public async Task TenThousandPersonsAreConfirmedInOneBulkRequestThroughTheAgent()
    {
        const int Count = 10_000;
        portal.SkipIfUnavailable();
        var machine = await portal.MachineAsync();
        var persons = await portal.PersonsAsync(Count);
        await using var agent = portal.Agent(machine);
        agent.Start();

        var request = new BulkQualificationConfirmationRequest
        {
            Header = new OqsRequestHeader { QualificationConfirmationDate = "20250602", MedicalInstitutionCode = machine.Institution.Code },
            SearchInfos = persons.Select((p, i) => AgentFolderTests.Single(machine, p).SearchInfo! with { ArbitraryIdentifier = i.ToString(CultureInfo.InvariantCulture) }).ToArray(),
        };
        var watch = Stopwatch.StartNew();
        var result = await AgentFolderTests.BulkAsync<BulkQualificationResultResponse>(agent, machine, "OQSmuquc", request, OqsCharacterEncoding.ShiftJis, timeoutMilliseconds: 1_200_000, pollMilliseconds: 2000);
        watch.Stop();

        Assert.Equal(Count, result.Units.Count);
        Assert.All(result.Units, u => Assert.Equal("1", u.QualificationValidity));
        Assert.Equal(persons.Select(p => p.Number), result.Units.Select(u => u.Results[0].InsuredIdentificationNumber));
        Assert.Equal(Count.ToString(CultureInfo.InvariantCulture), result.Header.NumberOfNormalProcessing);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"レセコン bulk: {Count} persons, Shift_JIS, {store}, end to end {watch.ElapsedMilliseconds} ms"));
    }
}

public sealed class BulkTenThousandTestsOnSqlite(SqlitePortal portal, ITestOutputHelper output) : BulkTenThousandTests(portal, "SQLite", output), IClassFixture<SqlitePortal>;

public sealed class BulkTenThousandTestsOnPostgres(PostgresPortal portal, ITestOutputHelper output) : BulkTenThousandTests(portal, "PostgreSQL", output), IClassFixture<PostgresPortal>;
