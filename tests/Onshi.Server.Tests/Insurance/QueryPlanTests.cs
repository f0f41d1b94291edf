using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Server.Data;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Insurance;

/// <summary>
/// The lookups' driving predicates are answered from an index on both providers (a scan would make confirmation
/// time grow with the population, issue 7). PostgreSQL is asked with sequential scans disabled, so an empty test
/// table cannot hide a missing index.
/// </summary>
public abstract class QueryPlanTests(PortalFixture portal)
{
    [Theory]
    [InlineData("SELECT \"PersonId\" FROM \"CardLinks\" WHERE \"LinkageKey\" = 'K' AND \"ReplacedAt\" IS NULL", "IX_CardLinks_LinkageKey_")]
    [InlineData("SELECT \"PersonId\" FROM \"Qualifications\" WHERE \"InsurerNumber\" = '01130012' AND \"Number\" = '1' AND \"Symbol\" = 'A' AND \"Branch\" = '00'", "IX_Qualifications_InsurerNumber_Number_Symbol_Branch")]
    [InlineData("SELECT \"Id\" FROM \"Qualifications\" WHERE \"PersonId\" = 1", "IX_Qualifications_PersonId")]
    [InlineData("SELECT \"Id\" FROM \"LimitCertificates\" WHERE \"PersonId\" = 1", "IX_LimitCertificates_PersonId")]
    [InlineData("SELECT \"Id\" FROM \"MedicationDispensings\" WHERE \"PersonId\" = 1 AND \"OccurredOn\" >= '2022-01-01'", "IX_MedicationDispensings_PersonId_OccurredOn")]
    public async Task TheLookupPredicatesUseTheirIndex(string sql, string index)
    {
        portal.SkipIfUnavailable();
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var connection = db.Database.GetDbConnection();
        var postgres = portal.Provider == DatabaseProvider.Postgres;
        if (postgres)
        {
            // Rows and statistics (inside this rolled-back transaction) so the planner chooses between indexes as in production.
            await ExecuteAsync(connection, "INSERT INTO \"InsuredPersons\" (\"Id\", \"Name\", \"NameKana\", \"Sex\", \"Birthdate\", \"Address\", \"PostNumber\") SELECT g, 'n', 'ナ', 1, DATE '2000-01-01', 'a', '100-0001' FROM generate_series(1, 2000) g");
            await ExecuteAsync(connection, "INSERT INTO \"CardLinks\" (\"PersonId\", \"LinkageKey\", \"CertificateNotAfter\", \"LinkedAt\") SELECT g, 'K' || g, now(), now() FROM generate_series(1, 2000) g");
            await ExecuteAsync(connection, "ANALYZE \"CardLinks\"");
            await ExecuteAsync(connection, "SET LOCAL enable_seqscan = off");
        }

        var plan = await PlanAsync(connection, (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql);

        Assert.Contains(index, plan, StringComparison.Ordinal);
        Assert.DoesNotContain(postgres ? "Seq Scan" : "SCAN ", plan, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> PlanAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
        }

        return string.Join("\n", lines);
    }
}

public sealed class QueryPlanTestsOnSqlite(SqlitePortal portal) : QueryPlanTests(portal), IClassFixture<SqlitePortal>;

public sealed class QueryPlanTestsOnPostgres(PostgresPortal portal) : QueryPlanTests(portal), IClassFixture<PostgresPortal>;
