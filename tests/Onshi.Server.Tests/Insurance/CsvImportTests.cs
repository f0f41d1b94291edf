using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.Core.Identifiers;
using Onshi.Server.Import;
using Onshi.Server.Insurance;
using Onshi.Server.MedicalInformation;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Insurance;

/// <summary>The operator CSV import on a real database: all-or-nothing, every rule refused with its line.</summary>
public abstract class CsvImportTests(PortalFixture portal)
{
    private const string PersonHeader = "person_id,name,name_kana,sex,birthdate,post_number,address,insurer_number,symbol,number,branch,relationship,insured_name,card_classification,qualification_date,disqualification_date,loss_reason,card_issued_on,card_valid_from,card_valid_until,contribution_ratio,preschool";
    private static int _insurerCounter = 100;

    private static string NewInsurer(string law = "06") =>
        InsurerNumber.FromBody(law + "27" + Interlocked.Increment(ref _insurerCounter).ToString("000", CultureInfo.InvariantCulture)).Value;

    private Task<ImportResult> ImportAsync(string kind, string csv)
    {
        // Every test starts with an import: without ONSHI_TEST_POSTGRES the PostgreSQL variants skip here.
        portal.SkipIfUnavailable();
        return portal.WithServiceAsync<CsvImporter, ImportResult>(i => i.ImportAsync(kind, () => new MemoryStream(Encoding.UTF8.GetBytes(csv)), null, TestContext.Current.CancellationToken));
    }

    private static string PersonRow(long id, string insurer, string number, string name = "山田 太郎", string birthdate = "1980-02-17", string lostOn = "", string reason = "", string branch = "00", string from = "2010-04-01") =>
        $"{id},{name},ヤマダ タロウ,1,{birthdate},100-0001,東京都千代田区千代田1-1,{insurer},記号A,{number},{branch},1,{name},01,{from},{lostOn},{reason},2010-04-01,2010-04-01,,030,";

    private async Task<string> InsurerAsync()
    {
        var number = NewInsurer();
        var result = await ImportAsync("insurers", $"insurer_number,name\n{number},テスト健保\n");
        Assert.True(result.Applied, string.Join("\n", result.Errors));
        return number;
    }

    [Fact]
    public async Task AppliesAFileAndTheLookupFindsWhatItImported()
    {
        portal.SkipIfUnavailable();
        var insurer = NewInsurer();
        var kokuho = InsurerNumber.FromBody("27" + Interlocked.Increment(ref _insurerCounter).ToString("000", CultureInfo.InvariantCulture)).Value;

        // RFC 4180 quoting: a comma and a doubled quote inside quoted fields, CRLF line ends, a UTF-8 BOM.
        var insurers = await ImportAsync("insurers", $"\uFEFFinsurer_number,name\r\n{insurer},\"大阪\"\"テスト\"\"健康保険組合, 本部\"\r\n{kokuho},大阪市\r\n");
        Assert.True(insurers.Applied, string.Join("\n", insurers.Errors));
        Assert.Equal(2, insurers.Rows);

        var id = InsuranceSeed.NextPersonId();
        var persons = await ImportAsync("persons",
            PersonHeader + "\n"
            + PersonRow(id, insurer, "123", lostOn: "2025-04-01", reason: "03") + "\n"
            + $"{id},山田 太郎,ヤマダ タロウ,1,1980-02-17,100-0001,東京都千代田区千代田1-1,{kokuho},,\"9,001\",00,1,山田 太郎,01,2025-04-01,,,,,,030,\n");
        Assert.True(persons.Applied, string.Join("\n", persons.Errors));

        var limits = await ImportAsync("limit-certificates",
            "person_id,insurer_number,issued_on,valid_from,valid_until,classification,bracket,long_term_date\n"
            + $"{id},{kokuho},2025-04-01,2025-04-01,2026-03-31,01,A03,\n");
        Assert.True(limits.Applied, string.Join("\n", limits.Errors));

        var key = new string('A', 64) + ":" + id.ToString("X", CultureInfo.InvariantCulture);
        var links = await ImportAsync("card-links", $"person_id,linkage_key,certificate_not_after\n{id},{key},2030-02-17T23:59:59+09:00\n");
        Assert.True(links.Applied, string.Join("\n", links.Errors));

        var name = await portal.QueryAsync(db => db.Insurers.Where(i => i.Number == insurer).Select(i => i.Name).SingleAsync());
        Assert.Equal("大阪\"テスト\"健康保険組合, 本部", name);

        var result = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l => l.FindByCardAsync(key, new DateOnly(2025, 6, 2), TestContext.Current.CancellationToken));
        Assert.Equal(QualificationValidity.Valid, result.Validity);
        var q = Assert.Single(result.Qualifications);
        Assert.Equal((kokuho, "", "9,001"), (q.InsurerNumber, q.Symbol, q.Number));
        Assert.Equal(LimitApplicationBracket.BracketU, q.LimitCertificate?.Bracket);
        Assert.Equal(new DateTimeOffset(2030, 2, 17, 14, 59, 59, TimeSpan.Zero), result.CertificateNotAfter);

        var old = await portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l =>
            l.FindByInsuranceCardAsync(InsurerNumber.Parse(insurer).Value!.Value, "記号A", "123", "00", new DateOnly(1980, 2, 17), new DateOnly(2025, 6, 2), TestContext.Current.CancellationToken));
        Assert.Equal(QualificationValidity.InvalidNewQualificationExists, old.Validity);
    }

    [Fact]
    public async Task AFileWithOneBadRowChangesNothingAndNamesTheRowAndReason()
    {
        var insurer = await InsurerAsync();
        var first = InsuranceSeed.NextPersonId();
        var second = InsuranceSeed.NextPersonId();
        var third = InsuranceSeed.NextPersonId();
        var badInsurer = insurer[..7] + (char)('0' + ((insurer[7] - '0' + 1) % 10));

        var result = await ImportAsync("persons",
            PersonHeader + "\n" + PersonRow(first, insurer, "1") + "\n" + PersonRow(second, insurer, "2") + "\n" + PersonRow(third, badInsurer, "3") + "\n");

        Assert.False(result.Applied);
        var error = Assert.Single(result.Errors);
        Assert.Equal((4L, "row.insurer_check_digit_mismatch", "insurer_number"), (error.Line, error.Code, error.Column));
        Assert.Contains("検証番号", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await portal.QueryAsync(db => db.InsuredPersons.CountAsync(p => p.Id == first || p.Id == second || p.Id == third)));
        Assert.Equal(0, await portal.QueryAsync(db => db.Qualifications.CountAsync(q => q.PersonId == first || q.PersonId == second)));
    }

    public static TheoryData<string, string, string> BrokenRules => new()
    {
        // column to break, new value, expected machine code
        { "person_id", "abc", "row.person_id_invalid" },
        { "name", "", "row.required" },
        { "name", new string('長', 101), "row.too_long" },
        { "name_kana", "yamada", "row.kana_invalid" },
        { "sex", "4", "row.code_unknown" },
        { "birthdate", "1980-02-30", "row.date_invalid" },
        { "post_number", "1000001", "row.post_number_invalid" },
        { "insurer_number", "06479992", "row.insurer_unknown" },
        { "insurer_number", "0627001", "row.insurer_wrong_length" },
        { "number", "", "row.required" },
        { "branch", "1", "row.branch_invalid" },
        { "relationship", "3", "row.code_unknown" },
        { "card_classification", "1", "row.code_unknown" },
        { "qualification_date", "1970-01-01", "row.qualification_before_birth" },
        { "disqualification_date", "2009-01-01", "row.disqualification_before_qualification" },
        { "loss_reason", "03", "row.loss_reason_mismatch" },
        { "loss_reason", "04", "row.code_unknown" },
        { "card_valid_until", "2000-01-01", "row.valid_until_before_from" },
        { "contribution_ratio", "10", "row.code_unknown" },
        { "preschool", "2", "row.code_unknown" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task EachValidationRuleRefusesTheRow(string column, string value, string code)
    {
        var insurer = await InsurerAsync();
        var id = InsuranceSeed.NextPersonId();
        var fields = PersonRow(id, insurer, "77").Split(',');
        var index = Array.IndexOf(PersonHeader.Split(','), column);
        fields[index] = value;
        if (column == "disqualification_date")
        {
            fields[index + 1] = "03";
        }

        var result = await ImportAsync("persons", PersonHeader + "\n" + string.Join(",", fields) + "\n");

        Assert.False(result.Applied);
        Assert.Contains(result.Errors, e => e.Line == 2 && e.Code == code);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        Assert.False(await portal.QueryAsync(db => db.InsuredPersons.AnyAsync(p => p.Id == id)));
    }

    [Fact]
    public async Task FileLevelProblemsAreRefusedWithTheirLine()
    {
        var insurer = await InsurerAsync();
        var id = InsuranceSeed.NextPersonId();

        var header = await ImportAsync("persons", "person_id,name\n1,x\n");
        Assert.Equal(("file.header_mismatch", 1L), (header.Errors[0].Code, header.Errors[0].Line));

        var columns = await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id, insurer, "1") + ",extra\n");
        Assert.Equal(("row.column_count", 2L), (columns.Errors[0].Code, columns.Errors[0].Line));

        var quote = await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id, insurer, "1") + "\n" + PersonRow(id + 1, insurer, "ab\"c") + "\n");
        Assert.Equal(("csv.stray_quote", 3L), (quote.Errors[0].Code, quote.Errors[0].Line));

        var unterminated = await ImportAsync("insurers", "insurer_number,name\n" + insurer + ",\"abc\n");
        Assert.Equal(("csv.unterminated_quote", 2L), (unterminated.Errors[0].Code, unterminated.Errors[0].Line));

        var order = await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id + 1, insurer, "1") + "\n" + PersonRow(id, insurer, "2") + "\n");
        Assert.Equal(("row.person_id_not_ascending", 3L), (order.Errors[0].Code, order.Errors[0].Line));

        var differs = await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id, insurer, "1") + "\n" + PersonRow(id, insurer, "2", name: "山田 次郎") + "\n");
        Assert.Contains(differs.Errors, e => e.Code == "row.person_columns_differ" && e.Line == 3);

        var duplicateInsurer = await ImportAsync("insurers", "insurer_number,name\n" + insurer + ",again\n");
        Assert.Equal(("row.insurer_exists", 2L), (duplicateInsurer.Errors[0].Code, duplicateInsurer.Errors[0].Line));

        Assert.False(await portal.QueryAsync(db => db.InsuredPersons.AnyAsync(p => p.Id == id || p.Id == id + 1)));
    }

    [Fact]
    public async Task ReferencesToUnknownOrExistingPersonsAreRefusedPerRow()
    {
        var insurer = await InsurerAsync();
        var id = InsuranceSeed.NextPersonId();
        Assert.True((await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id, insurer, "5") + "\n")).Applied);
        var unknown = InsuranceSeed.NextPersonId();

        var again = await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id, insurer, "5") + "\n");
        Assert.Equal(("row.person_exists", 2L), (again.Errors[0].Code, again.Errors[0].Line));

        var certificates = await ImportAsync("specific-disease-certificates",
            "person_id,insurer_number,issued_on,valid_from,valid_until,category,self_pay_limit\n"
            + $"{id},{insurer},,2024-01-01,,1,10000\n"
            + $"{unknown},{insurer},,2024-01-01,,2,20000\n"
            + $"{id},{insurer},,2024-01-01,,4,15000\n");
        Assert.False(certificates.Applied);
        Assert.Contains(certificates.Errors, e => e is { Line: 3, Code: "row.person_unknown" });
        Assert.Contains(certificates.Errors, e => e is { Line: 4, Code: "row.code_unknown", Column: "category" });
        Assert.Contains(certificates.Errors, e => e is { Line: 4, Code: "row.self_pay_limit_invalid" });
        Assert.Equal(0, await portal.QueryAsync(db => db.SpecificDiseaseCertificates.CountAsync(c => c.PersonId == id)));

        var elderly = await ImportAsync("elderly-certificates",
            "person_id,insurer_number,issued_on,valid_from,valid_until,contribution_ratio\n" + $"{id},{insurer},,2024-08-01,2025-07-31,010\n");
        Assert.Equal("row.elderly_ratio_invalid", elderly.Errors[0].Code);
    }

    [Fact]
    public async Task ADatabaseConflictDuringWritingRollsBackTheWholeFile()
    {
        var insurer = await InsurerAsync();
        var first = InsuranceSeed.NextPersonId();
        var second = InsuranceSeed.NextPersonId();
        Assert.True((await ImportAsync("persons", PersonHeader + "\n" + PersonRow(first, insurer, "8") + "\n" + PersonRow(second, insurer, "9") + "\n")).Applied);
        var key = new string('B', 64) + ":" + first.ToString("X", CultureInfo.InvariantCulture);

        // The same certificate for two persons passes row validation; the unique index stops it while writing.
        var result = await ImportAsync("card-links", $"person_id,linkage_key,certificate_not_after\n{first},{key},2030-01-01T00:00:00Z\n{second},{key},2030-01-01T00:00:00Z\n");

        Assert.False(result.Applied);
        Assert.Equal("file.database_conflict", Assert.Single(result.Errors).Code);
        Assert.False(await portal.QueryAsync(db => db.CardLinks.AnyAsync(l => l.LinkageKey == key)));
    }

    [Fact]
    public async Task MedicalInformationIsImportedAndFilteredAndPurgedByRetention()
    {
        var insurer = await InsurerAsync();
        var id = InsuranceSeed.NextPersonId();
        Assert.True((await ImportAsync("persons", PersonHeader + "\n" + PersonRow(id, insurer, "10") + "\n")).Applied);

        // Today is 2025-06-02 (the fixture's clock): 薬剤 keeps 3 years, 特定健診 5 years.
        Assert.True((await ImportAsync("medications", "person_id,dispensed_on,institution_name,drug_code,drug_name,dose,days\n"
            + $"{id},2022-06-02,テスト薬局,2171014F1020,アムロジピン錠5mg,1錠,30\n{id},2022-06-01,テスト薬局,2171014F1020,アムロジピン錠5mg,1錠,30\n")).Applied);
        Assert.True((await ImportAsync("checkups", "person_id,checked_on,institution_name,height_cm,weight_kg,waist_cm,systolic,diastolic,hba1c,ldl\n"
            + $"{id},2021-06-01,健診センター,170.2,65.0,80.5,120,80,5.6,110\n{id},2020-06-01,健診センター,170.0,66.0,81.0,125,82,5.7,120\n")).Applied);
        Assert.True((await ImportAsync("treatments", "person_id,treated_on,institution_name,diagnosis_name,procedure_name,inpatient\n"
            + $"{id},2024-01-10,テスト病院,高血圧症,再診料,0\n")).Applied);
        Assert.True((await ImportAsync("surgeries", "person_id,performed_on,institution_name,procedure_code,procedure_name\n"
            + $"{id},2024-02-01,テスト病院,K6335,鼠径ヘルニア手術\n")).Applied);

        var today = new DateOnly(2025, 6, 2);
        Assert.Equal([new DateOnly(2022, 6, 2)], await portal.QueryAsync(db => db.MedicationDispensings.Where(m => m.PersonId == id).Retained(today).Select(m => m.OccurredOn).ToListAsync()));
        Assert.Equal([new DateOnly(2021, 6, 1)], await portal.QueryAsync(db => db.HealthCheckResults.Where(m => m.PersonId == id).Retained(today).Select(m => m.OccurredOn).ToListAsync()));
        var checkup = await portal.QueryAsync(db => db.HealthCheckResults.Where(m => m.PersonId == id).OrderByDescending(m => m.OccurredOn).FirstAsync());
        Assert.Equal((170.2m, 5.6m), (checkup.HeightCm, checkup.HbA1cPercent));

        var purged = await portal.WithServiceAsync<PurgeExpiredMedicalInformation, IReadOnlyDictionary<MedicalRecordKind, int>>(p => p.ExecuteAsync(TestContext.Current.CancellationToken));
        Assert.True(purged[MedicalRecordKind.Medication] >= 1);
        Assert.Equal(1, await portal.QueryAsync(db => db.MedicationDispensings.CountAsync(m => m.PersonId == id)));
        Assert.Equal(1, await portal.QueryAsync(db => db.HealthCheckResults.CountAsync(m => m.PersonId == id)));
        Assert.Equal(1, await portal.QueryAsync(db => db.SurgeryRecords.CountAsync(m => m.PersonId == id)));
    }
}

public sealed class CsvImportTestsOnSqlite(SqlitePortal portal) : CsvImportTests(portal), IClassFixture<SqlitePortal>;

public sealed class CsvImportTestsOnPostgres(PostgresPortal portal) : CsvImportTests(portal), IClassFixture<PostgresPortal>;
