using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Portal.BulkInquiries;
using Onshi.Server.Receipt;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Insurance;
using Onshi.Server.Tests.Receipt;
using static Onshi.Server.Tests.Infrastructure.PortalClient;

namespace Onshi.Server.Tests.Portal;

/// <summary>
/// 一括照会 in the portal: a CSV (UTF-8 with or without BOM, or Shift_JIS) becomes one job of the レセコン's two-phase bulk
/// queue, run by its worker; the results come back as CSV in both encodings and as a PDF with the same fields. A file
/// with any wrong line is refused whole, naming the line and field, and no job is stored. 照会番号 registered by hand
/// shows in the results, as it would for the レセコン.
/// </summary>
public abstract class BulkInquiryTests(PortalFixture portal)
{
    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    private const string Header = "保険者番号,記号,番号,枝番,生年月日,患者ID";


    private static string Line(SeededPerson p, string patientId) =>
        $"{p.Insurer.Value},{p.Symbol},{p.Number},{p.Branch},{p.Birthdate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},{patientId}";

    private async Task<(Clinic Clinic, PortalClient Staff)> StaffAsync()
    {
        var clinic = await portal.ClinicAsync();
        var (userId, _) = await portal.StaffAsync(clinic.Institution, clinic.Admin, "uke02", AccountRole.General);
        var staff = portal.NewClient();
        Assert.Equal("/", (await staff.LogInAsync(clinic.Code, userId, PortalFixture.StrongPassword)).RedirectPath);
        return (clinic, staff);
    }

    internal static async Task<PortalPage> UploadAsync(PortalClient staff, byte[] csv)
    {
        var page = await staff.GetAsync("/BulkInquiries");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(page.AntiforgeryToken!), "__RequestVerificationToken");
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "kanja.csv");
        using var response = await staff.Http.PostAsync(new Uri("/BulkInquiries", UriKind.Relative), content, TestContext.Current.CancellationToken);
        return new PortalPage(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location);
    }

    /// <summary>Follows the status page (as the browser's refresh does) until the worker has finished the job.</summary>
    internal static async Task<PortalPage> CompletedAsync(PortalClient staff, string statusUrl)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var page = await staff.GetAsync(statusUrl);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            if (page.TestId("job-status") == "完了")
            {
                Assert.DoesNotContain("http-equiv=\"refresh\"", page.Html, StringComparison.Ordinal);
                return page;
            }

            Assert.Contains("http-equiv=\"refresh\"", page.Html, StringComparison.Ordinal);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The bulk job did not complete in 60 s.");
    }

    private static async Task<byte[]> DownloadAsync(PortalClient staff, string url, string mediaType)
    {
        using var response = await staff.Http.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    private Task<int> JobsAsync(int institutionId) =>
        portal.QueryAsync(db => db.BulkJobs.IgnoreQueryFilters().CountAsync(j => j.InstitutionId == institutionId));

    private static List<string[]> Rows(string csv) =>
        [.. csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("\",\"").Select(f => f.Trim('"')).ToArray())];

    [Fact]
    public async Task AShiftJisCsvRunsAsOneBulkJobAndItsResultsDownloadAsUtf8WithBomAndAsShiftJis()
    {
        var known = await portal.PersonAsync(name: "一括 花子");
        var other = await portal.PersonAsync(name: "髙橋 一郎");
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var csv = string.Join("\r\n", Header, Line(known, "P-001"), Line(other, "P-002 訪問"), $"{InsuranceSeed.Kyokai.Value},該当なし,99999999,,1950-01-01,P-003") + "\r\n";

        var uploaded = await UploadAsync(staff, ShiftJis.GetBytes(csv));

        Assert.Equal(HttpStatusCode.Redirect, uploaded.Status);
        Assert.StartsWith("/BulkInquiries/Status?id=", uploaded.RedirectPath, StringComparison.Ordinal);
        var job = await portal.QueryAsync(db => db.BulkJobs.IgnoreQueryFilters().SingleAsync(j => j.InstitutionId == clinic.Institution.Id));
        Assert.Equal(BulkJobKind.QualificationConfirmation, job.Kind);
        Assert.Null(job.MachineAccountId);
        Assert.NotNull(job.AccountId);
        Assert.Equal(3, job.RowCount);

        var page = await CompletedAsync(staff, uploaded.RedirectPath!);
        Assert.Contains("一括 花子", page.Text, StringComparison.Ordinal);
        Assert.Contains("P-002 訪問", page.Text, StringComparison.Ordinal);

        var utf8 = await DownloadAsync(staff, $"/BulkInquiries/Status?handler=Csv&id={job.ReceptionNumber}", "text/csv");
        Assert.Equal(Encoding.UTF8.GetPreamble(), utf8[..3]);
        var sjis = await DownloadAsync(staff, $"/BulkInquiries/Status?handler=Csv&encoding=sjis&id={job.ReceptionNumber}", "text/csv");
        var fromUtf8 = Encoding.UTF8.GetString(utf8, 3, utf8.Length - 3);
        Assert.Equal(fromUtf8, ShiftJis.GetString(sjis));

        var rows = Rows(fromUtf8);
        Assert.Equal(BulkCsv.ResultColumns, rows[0]);
        Assert.Equal(4, rows.Count);
        string Cell(int row, string column) => rows[row][BulkCsv.ResultColumns.ToList().IndexOf(column)];
        Assert.Equal(("P-001", "一括 花子", "照会済", known.Number, "1980-02-17"), (Cell(1, "患者ID"), Cell(1, "氏名"), Cell(1, "照会結果"), Cell(1, "番号"), Cell(1, "生年月日")));
        Assert.Equal(("P-002 訪問", "髙橋 一郎"), (Cell(2, "患者ID"), Cell(2, "氏名")));
        Assert.Equal(("P-003", ""), (Cell(3, "患者ID"), Cell(3, "氏名")));
        Assert.Equal(Core.Codes.OqsCodes.QualificationValidity.Display("1"), Cell(1, "資格有効性"));
        Assert.Equal(Core.Codes.OqsCodes.QualificationValidity.Display("4"), Cell(3, "資格有効性"));

        var audit = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == clinic.Institution.Id && e.Action.StartsWith("bulk_inquiry.")).ToListAsync());
        Assert.Contains(audit, e => e.Action == IndexModel.UploadAction && e.Detail!.Contains("rows=3 encoding=Shift_JIS", StringComparison.Ordinal) && e.Actor == "uke02");
        Assert.Equal(2, audit.Count(e => e.Action == StatusModel.DownloadAction));
        Assert.All(audit, e => Assert.DoesNotContain(known.Number, e.Detail ?? "", StringComparison.Ordinal));
        var worker = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .SingleAsync(e => e.InstitutionId == clinic.Institution.Id && e.Action == "receipt.bulk_qualification_confirmed"));
        Assert.Contains($"persons={Math.Min(known.PersonId, other.PersonId)},{Math.Max(known.PersonId, other.PersonId)}", worker.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUtf8CsvWithoutBomTypedInFullWidthIsReadByTheSameRulesAsTheSingleCheck()
    {
        var person = await portal.PersonAsync(name: "全角 入力");
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var line = $"\"{StaffTyping.FullWidth(person.Insurer.Value[..4])}　{StaffTyping.FullWidth(person.Insurer.Value[4..])}\",{StaffTyping.FullWidth(person.Symbol)},{StaffTyping.FullWidth(person.Number)},０,{person.Birthdate:yyyyMMdd},";

        var uploaded = await UploadAsync(staff, Encoding.UTF8.GetBytes("保険者番号,記号,番号,枝番,生年月日,患者ID\n" + line + "\n,,,,,\n"));

        Assert.Equal(HttpStatusCode.Redirect, uploaded.Status);
        var page = await CompletedAsync(staff, uploaded.RedirectPath!);
        Assert.Contains("全角 入力", page.Text, StringComparison.Ordinal);
        Assert.Contains("encoding=UTF-8", await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == clinic.Institution.Id && e.Action == IndexModel.UploadAction).Select(e => e.Detail).SingleAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyFileAHeaderMismatchAndAWrongLineAreRefusedInJapaneseAndNothingIsStored()
    {
        var person = await portal.PersonAsync();
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var valid = InsuranceSeed.Kyokai.Value;
        var wrongDigit = valid[..7] + (char)('0' + ((valid[7] - '0' + 1) % 10));

        var empty = await UploadAsync(staff, []);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.Status);
        Assert.Equal(["bulk.csv_empty"], empty.Codes);
        Assert.Contains("CSVファイルが空です", empty.Text, StringComparison.Ordinal);

        var headerOnly = await UploadAsync(staff, Encoding.UTF8.GetBytes(Header + "\r\n"));
        Assert.Equal(["bulk.csv_empty"], headerOnly.Codes);

        var header = await UploadAsync(staff, Encoding.UTF8.GetBytes("番号,記号,保険者番号,枝番,生年月日\r\n" + Line(person, "")[..^1]));
        Assert.Equal(["bulk.csv_header"], header.Codes);
        Assert.Contains("1行目（見出し）", header.Text, StringComparison.Ordinal);

        var wrong = await UploadAsync(staff, Encoding.UTF8.GetBytes(string.Join("\r\n", Header, Line(person, "ok"),
            $"{wrongDigit},,{person.Number},,1980-02-17,x", $"{valid},,,1,19800217,y", $"{valid},,1", Line(person, new string('長', 51)))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Equal(["bulk.csv_invalid", "card.insurer_invalid", "card.number_invalid", "bulk.csv_columns", "bulk.patient_id_invalid"], wrong.Codes);
        Assert.Contains("誤りがある行が4行", wrong.Text, StringComparison.Ordinal);
        Assert.Contains("3行目 保険者番号: ", wrong.Text, StringComparison.Ordinal);
        Assert.Contains("4行目 番号: 入力してください。", wrong.Text, StringComparison.Ordinal);
        Assert.Contains("5行目: 列の数が見出しと違います", wrong.Text, StringComparison.Ordinal);
        Assert.Contains("6行目 患者ID: ", wrong.Text, StringComparison.Ordinal);

        var noFile = await staff.SubmitAsync("/BulkInquiries", []);
        Assert.Equal(["bulk.csv_missing"], noFile.Codes);

        Assert.Equal(0, await JobsAsync(clinic.Institution.Id));
        var refused = await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == clinic.Institution.Id && e.Action == IndexModel.RefusedAction).Select(e => e.Detail).ToListAsync());
        Assert.Equal(5, refused.Count);
        Assert.All(refused, d => Assert.DoesNotContain(person.Number, d!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TenThousandRowsWithOneBadLineAreRefusedNamingThatLineAndTenThousandAndOneAreTooMany()
    {
        var person = await portal.PersonAsync();
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var lines = Enumerable.Range(0, BulkCsv.MaxRows).Select(i => Line(person, "P" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        lines[7_776] = $"{person.Insurer.Value},{person.Symbol},{person.Number},{person.Branch},1980-02-30,P7776";

        var refused = await UploadAsync(staff, ShiftJis.GetBytes(Header + "\r\n" + string.Join("\r\n", lines)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(["bulk.csv_invalid", "card.birthdate_invalid"], refused.Codes);
        Assert.Contains("誤りがある行が1行", refused.Text, StringComparison.Ordinal);
        Assert.Contains("7778行目 生年月日: ", refused.Text, StringComparison.Ordinal);

        lines[7_776] = Line(person, "P7776");
        var tooMany = await UploadAsync(staff, Encoding.UTF8.GetBytes(Header + "\r\n" + string.Join("\r\n", lines.Append(Line(person, "P10000")))));
        Assert.Equal(["bulk.csv_too_many"], tooMany.Codes);
        Assert.Contains("10,001行", tooMany.Text, StringComparison.Ordinal);

        Assert.Equal(0, await JobsAsync(clinic.Institution.Id));
    }

    [Fact]
    public async Task ThePdfOfTheResultsCarriesTheSameFieldsAsTheCsvInAnEmbeddedJapaneseFont()
    {
        var person = await portal.PersonAsync(name: "印刷 一括");
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var uploaded = await UploadAsync(staff, Encoding.UTF8.GetBytes(Header + "\r\n" + Line(person, "K-77")));
        var page = await CompletedAsync(staff, uploaded.RedirectPath!);
        var id = page.TestId("reception-number")!;

        var csv = Rows(Encoding.UTF8.GetString(await DownloadAsync(staff, $"/BulkInquiries/Status?handler=Csv&id={id}", "text/csv"))[1..]);
        var bytes = await DownloadAsync(staff, $"/BulkInquiries/Status?handler=Pdf&id={id}", "application/pdf");

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Normalize(NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal);
        foreach (var value in csv[1].Skip(1).Where(v => v.Length > 0))
        {
            Assert.Contains(value.Normalize(NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal), text, StringComparison.Ordinal);
        }

        Assert.Contains(id, text, StringComparison.Ordinal);
        Assert.Contains(pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName).Distinct(), f => f != null && f.Contains("IPAGothic", StringComparison.Ordinal));

        var print = await staff.GetAsync($"/BulkInquiries/Status?handler=Print&id={id}");
        Assert.Equal(HttpStatusCode.OK, print.Status);
        Assert.Contains("印刷 一括", print.Text, StringComparison.Ordinal);
        Assert.Null(print.TestId("downloads"));
    }

    [Fact]
    public async Task AReferenceNumberRegisteredByHandComesBackInTheBulkResults()
    {
        var person = await portal.PersonAsync(name: "照会 番子");
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;

        var refused = await staff.SubmitAsync("/ReferenceNumbers/Register", Form(("ReferenceNumber", ""), ("Query.InsurerNumber", "123"), ("Query.Number", person.Number)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(["reference.number_invalid", "card.insurer_invalid"], refused.Codes);

        var registered = await staff.SubmitAsync("/ReferenceNumbers/Register", Form(
            ("ReferenceNumber", "診察券0042"), ("Query.InsurerNumber", StaffTyping.FullWidth(person.Insurer.Value)), ("Query.Symbol", person.Symbol), ("Query.Number", person.Number), ("Query.Branch", "")));
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Contains("診察券0042", registered.TestId("registered"), StringComparison.Ordinal);
        var record = await portal.QueryAsync(db => db.ReferenceNumbers.IgnoreQueryFilters().SingleAsync(r => r.InstitutionId == clinic.Institution.Id));
        Assert.Equal(person.PersonId, record.PersonId);
        Assert.NotNull(record.RegisteredByAccountId);
        Assert.Null(record.RegisteredByMachineAccountId);
        Assert.Equal("uke02", await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == clinic.Institution.Id && e.Action == "receipt.reference_number_registered").Select(e => e.Actor).SingleAsync()));

        var unknown = await staff.SubmitAsync("/ReferenceNumbers/Register", Form(
            ("ReferenceNumber", "X1"), ("Query.InsurerNumber", person.Insurer.Value), ("Query.Number", "99999999")));
        Assert.Equal(["reference.not_registered"], unknown.Codes);

        var uploaded = await UploadAsync(staff, Encoding.UTF8.GetBytes(Header + "\r\n" + Line(person, "")));
        var page = await CompletedAsync(staff, uploaded.RedirectPath!);
        var csv = Rows(Encoding.UTF8.GetString(await DownloadAsync(staff, $"/BulkInquiries/Status?handler=Csv&id={page.TestId("reception-number")}", "text/csv"))[1..]);
        Assert.Equal("診察券0042", csv[1][BulkCsv.ResultColumns.ToList().IndexOf("照会番号")]);
    }

    [Fact]
    public async Task APatientConfirmedBeforeCanBeChosenFromTheListButNotByAnotherInstitution()
    {
        var clinic = await portal.ClinicAsync();
        using var _ = clinic;
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.ConfirmWithPinAsync(clinic, patient.Card)).Status);
        var other = await portal.ClinicAsync("別の医院");
        using var __ = other;
        var id = patient.PersonId.ToString(CultureInfo.InvariantCulture);

        var list = await clinic.Admin.GetAsync("/BulkInquiries/FromPatients");
        Assert.Contains($"value=\"{id}\"", list.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{id}\"", (await other.Admin.GetAsync("/BulkInquiries/FromPatients")).Html, StringComparison.Ordinal);
        Assert.Equal(["bulk.nobody_selected"], (await clinic.Admin.SubmitAsync("/BulkInquiries/FromPatients", [])).Codes);
        Assert.Equal(["bulk.nobody_selected"], (await other.Admin.SubmitAsync("/BulkInquiries/FromPatients", Form(("Selected", id)))).Codes);
        Assert.Equal(0, await JobsAsync(other.Institution.Id));

        var chosen = await clinic.Admin.SubmitAsync("/BulkInquiries/FromPatients", Form(("Selected", id)));

        Assert.Equal(HttpStatusCode.Redirect, chosen.Status);
        var page = await CompletedAsync(clinic.Admin, chosen.RedirectPath!);
        var lines = page.Html.Split("data-testid=\"bulk-line\"").Length - 1;
        Assert.Equal(1, lines);
        Assert.Contains(Core.Codes.OqsCodes.QualificationValidity.Display("1"), page.Text, StringComparison.Ordinal);
        Assert.Contains(patient.Number, page.Text, StringComparison.Ordinal);
        Assert.Contains("source=patients rows=1", await portal.QueryAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(e => e.InstitutionId == clinic.Institution.Id && e.Action == IndexModel.UploadAction).Select(e => e.Detail).SingleAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherInstitutionsJobIsNotFound()
    {
        var person = await portal.PersonAsync();
        var (clinic, staff) = await StaffAsync();
        using var _ = clinic;
        using var __ = staff;
        var uploaded = await UploadAsync(staff, Encoding.UTF8.GetBytes(Header + "\r\n" + Line(person, "")));
        var other = await portal.ClinicAsync("別の診療所");
        using var ___ = other;

        var page = await other.Admin.GetAsync(uploaded.RedirectPath!);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }
}

public sealed class BulkInquiryTestsOnSqlite(SqlitePortal portal) : BulkInquiryTests(portal), IClassFixture<SqlitePortal>;

public sealed class BulkInquiryTestsOnPostgres(PostgresPortal portal) : BulkInquiryTests(portal), IClassFixture<PostgresPortal>;
