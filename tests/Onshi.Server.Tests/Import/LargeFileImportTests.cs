using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Onshi.Core.Identifiers;
using Onshi.Server.Import;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Import;

/// <summary>
/// Files larger than the importer's batches (5,000 rows): validation and writing happen in the same pass, so a bad
/// row found after earlier batches were written must still leave nothing behind, and every error keeps its line.
/// </summary>
public abstract class LargeFileImportTests(PortalFixture portal)
{
    private const string Header = "person_id,name,name_kana,sex,birthdate,post_number,address,insurer_number,symbol,number,branch,relationship,insured_name,card_classification,qualification_date,disqualification_date,loss_reason,card_issued_on,card_valid_from,card_valid_until,contribution_ratio,preschool";
    private const int Persons = 12_345;
    private static long _nextRange = 700_000_000_000;
    private static int _insurerCounter = 500;

    private static long NewIdRange() => Interlocked.Add(ref _nextRange, 100_000);

    private static string Row(long id, string insurer, string birthdate = "1980-02-17") =>
        $"{id},山田 太郎,ヤマダ タロウ,1,{birthdate},100-0001,\"東京都千代田区千代田1-1, 101号\",{insurer},記号A,{id % 100_000},00,1,山田 太郎,01,2010-04-01,,,2010-04-01,2010-04-01,,030,";

    /// <summary>Line 1 is the header; person i (0-based) is on line i + 2.</summary>
    private static string File(long firstId, string insurer, Func<int, string?>? replace = null)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < Persons; i++)
        {
            text.Append(replace?.Invoke(i) ?? Row(firstId + i, insurer)).Append('\n');
        }

        return text.ToString();
    }

    private Task<ImportResult> ImportAsync(string kind, string csv, ImportOptions? options = null)
    {
        portal.SkipIfUnavailable();
        return portal.WithServiceAsync<CsvImporter, ImportResult>(i =>
            i.ImportAsync(kind, () => new MemoryStream(Encoding.UTF8.GetBytes(csv)), options ?? new ImportOptions(), null, TestContext.Current.CancellationToken));
    }

    private async Task<string> InsurerAsync()
    {
        var number = InsurerNumber.FromBody("06" + "13" + Interlocked.Increment(ref _insurerCounter).ToString("000", CultureInfo.InvariantCulture)).Value;
        var result = await ImportAsync("insurers", $"insurer_number,name\n{number},大量取込テスト健保\n");
        Assert.True(result.Applied, string.Join("\n", result.Errors));
        return number;
    }

    private Task<int> PersonsInRangeAsync(long first) =>
        portal.QueryAsync(db => db.InsuredPersons.CountAsync(p => p.Id >= first && p.Id < first + Persons));

    private Task<int> QualificationsInRangeAsync(long first) =>
        portal.QueryAsync(db => db.Qualifications.CountAsync(q => q.PersonId >= first && q.PersonId < first + Persons));

    [Fact]
    public async Task AppliesAFileOfSeveralBatchesCompletely()
    {
        var insurer = await InsurerAsync();
        var first = NewIdRange();

        var result = await ImportAsync("persons", File(first, insurer));

        Assert.True(result.Applied, string.Join("\n", result.Errors));
        Assert.Equal(Persons, result.Rows);
        Assert.Equal(Persons, await PersonsInRangeAsync(first));
        Assert.Equal(Persons, await QualificationsInRangeAsync(first));
        var last = await portal.QueryAsync(db => db.InsuredPersons.SingleAsync(p => p.Id == first + Persons - 1));
        Assert.Equal(("東京都千代田区千代田1-1, 101号", new DateOnly(1980, 2, 17)), (last.Address, last.Birthdate));
    }

    [Fact]
    public async Task ABadLastRowOfABigFileWritesNothing()
    {
        var insurer = await InsurerAsync();
        var first = NewIdRange();

        var result = await ImportAsync("persons", File(first, insurer, i => i == Persons - 1 ? Row(first + i, insurer, birthdate: "1980-02-30") : null));

        Assert.False(result.Applied);
        var error = Assert.Single(result.Errors);
        Assert.Equal((Persons + 1L, "row.date_invalid", "birthdate"), (error.Line, error.Code, error.Column));
        Assert.Equal(Persons, result.Rows);
        Assert.Equal(0, await PersonsInRangeAsync(first));
        Assert.Equal(0, await QualificationsInRangeAsync(first));
    }

    [Fact]
    public async Task AnExistingPersonInTheLastBatchIsNamedByLineAndNothingIsWritten()
    {
        var insurer = await InsurerAsync();
        var first = NewIdRange();
        var existing = first + Persons - 2;
        Assert.True((await ImportAsync("persons", Header + "\n" + Row(existing, insurer) + "\n")).Applied);

        // The unique key refuses the row while the batch is written; the importer then looks the batch up to say where.
        var result = await ImportAsync("persons", File(first, insurer, i => i == Persons - 2 ? Row(existing, insurer) : null));

        Assert.False(result.Applied);
        var error = Assert.Single(result.Errors);
        Assert.Equal((Persons, "row.person_exists"), (error.Line, error.Code));
        Assert.Equal(1, await PersonsInRangeAsync(first));
        Assert.Equal(1, await QualificationsInRangeAsync(first));
    }

    [Fact]
    public async Task ErrorsBeforeAndAfterTheFirstOneAreAllReportedWithTheirLines()
    {
        var insurer = await InsurerAsync();
        var first = NewIdRange();
        var existing = first + 11_000;
        Assert.True((await ImportAsync("persons", Header + "\n" + Row(existing, insurer) + "\n")).Applied);
        var badInsurer = insurer[..7] + (char)('0' + ((insurer[7] - '0' + 1) % 10));

        // A format error in the second batch, then (already validating only) an existing person and a bad code later.
        var result = await ImportAsync("persons", File(first, insurer, i => i switch
        {
            6_000 => Row(first + i, badInsurer),
            11_000 => Row(existing, insurer),
            12_000 => Row(first + i, insurer).Replace(",030,", ",040,", StringComparison.Ordinal),
            _ => null,
        }));

        Assert.False(result.Applied);
        Assert.Equal(
            [(6_002L, "row.insurer_check_digit_mismatch"), (11_002L, "row.person_exists"), (12_002L, "row.code_unknown")],
            result.Errors.Select(e => (e.Line, e.Code)).ToArray());
        Assert.Equal(1, await PersonsInRangeAsync(first));
    }

    [Fact]
    public async Task TheExclusiveLoadAppliesTheFileAndKeepsTheForeignKeys()
    {
        var insurer = await InsurerAsync();
        var first = NewIdRange();

        var result = await ImportAsync("persons", File(first, insurer), new ImportOptions { ExclusiveLoad = true });

        Assert.True(result.Applied, string.Join("\n", result.Errors));
        Assert.Equal(Persons, await QualificationsInRangeAsync(first));
        await AssertQualificationKeysAreInForceAsync();
    }

    [Fact]
    public async Task TheExclusiveLoadOfABadFileWritesNothingAndKeepsTheForeignKeys()
    {
        var insurer = await InsurerAsync();
        var first = NewIdRange();

        var result = await ImportAsync("persons", File(first, insurer, i => i == Persons - 1 ? Row(first + i, insurer, birthdate: "1980-13-01") : null), new ImportOptions { ExclusiveLoad = true });

        Assert.False(result.Applied);
        Assert.Equal((Persons + 1L, "row.date_invalid"), (result.Errors[0].Line, result.Errors[0].Code));
        Assert.Equal(0, await PersonsInRangeAsync(first));
        await AssertQualificationKeysAreInForceAsync();
    }

    protected virtual Task AssertKeysAreValidatedInTheCatalogAsync() => Task.CompletedTask;

    /// <summary>A qualification for a person who does not exist is refused by the database itself.</summary>
    private async Task AssertQualificationKeysAreInForceAsync()
    {
        await AssertKeysAreValidatedInTheCatalogAsync();
        var insurer = await portal.QueryAsync(db => db.Insurers.Select(i => i.Number).FirstAsync());
        var orphan = NewIdRange();
        var exception = await Assert.ThrowsAnyAsync<DbUpdateException>(() => portal.QueryAsync(async db =>
        {
            db.Qualifications.Add(new Onshi.Server.Insurance.Qualification
            {
                PersonId = orphan, InsurerNumber = insurer, Symbol = "", Number = "1", Branch = "00", InsuredName = "孤立",
                QualificationDate = new DateOnly(2020, 4, 1),
                PersonalFamilyClassification = Onshi.Core.Codes.PersonalFamilyClassification.Insured,
                CardClassification = Onshi.Core.Codes.InsuredCardClassification.General,
                ContributionRatio = Onshi.Core.Codes.PartialContributionRatio.ThreeTenths,
            });
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("FOREIGN KEY", exception.InnerException?.Message ?? "", StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class LargeFileImportTestsOnSqlite(SqlitePortal portal) : LargeFileImportTests(portal), IClassFixture<SqlitePortal>;

public sealed class LargeFileImportTestsOnPostgres(PostgresPortal portal) : LargeFileImportTests(portal), IClassFixture<PostgresPortal>
{
    /// <summary>The keys dropped for the load are back under their names, and validated (not NOT VALID).</summary>
    protected override async Task AssertKeysAreValidatedInTheCatalogAsync()
    {
        var keys = await portal.QueryAsync(async db =>
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("""SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND conrelid = '"Qualifications"'::regclass ORDER BY conname""", connection);
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var found = new List<(string, bool)>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                found.Add((reader.GetString(0), reader.GetBoolean(1)));
            }

            return found;
        });

        Assert.Equal([("FK_Qualifications_InsuredPersons_PersonId", true), ("FK_Qualifications_Insurers_InsurerNumber", true)], keys);
    }
}
