using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.XPath;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.Core.Identifiers;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.Server.Confirmations;
using Onshi.Server.Import;
using Onshi.Server.Insurance;
using Onshi.Server.Receipt;
using Onshi.Server.Tests.Infrastructure;
using Onshi.Server.Tests.Insurance;
using Onshi.Server.Tests.Receipt;

namespace Onshi.Server.Tests.MedicalAssistance;

/// <summary>
/// 医療扶助 (生活保護) end to end on a real database: the operator imports a person with no 医療保険, their 医療扶助 and a
/// 医療券; the card lookup answers with 被保険者証区分 A1; the 連携 files carry it under PublicExpenseResultList, read back
/// with plain XPath at the public model's paths.
/// </summary>
public abstract class MedicalAssistanceTests(PortalFixture portal)
{
    private const string PersonHeader = "person_id,name,name_kana,sex,birthdate,post_number,address,insurer_number,symbol,number,branch,relationship,insured_name,card_classification,qualification_date,disqualification_date,loss_reason,card_issued_on,card_valid_from,card_valid_until,contribution_ratio,preschool";
    private const string AssistanceHeader = "person_id,bearer_number,recipient_number,welfare_office_name,start_date,end_date";
    private const string TicketHeader = "person_id,bearer_number,ticket_type,valid_from,valid_until,issue_number,treatment_month,designated_institution_code,designated_institution_name,prescription_issuer_code,prescription_issuer_name,injury_name1,injury_name2,injury_name3,treatment_type,self_pay_amount,district_contact_name,handling_contact_name,single_or_combined,social_insurance,remarks";

    private static readonly string Bearer = PublicExpenseBearerNumber.FromBody("1213601").Value;
    private static readonly string Recipient = PublicExpenseRecipientNumber.FromBody("123456").Value;
    private static readonly string Clinic = MedicalInstitutionCode.FromBody("131234567").Value;
    private static int _bodies = 200_000;

    private static string PersonOnly(long id) => $"{id},保護 花子,ホゴ ハナコ,2,1948-03-15,160-0022,東京都新宿区新宿1-1,,,,,,,,,,,,,,,";

    private static string Ticket(long id, string month = "2026-12", string from = "2026-12-01", string until = "2026-12-31", string type = "01", string treatment = "02", string? designated = null) =>
        $"{id},{Bearer},{type},{from},{until},0000123,{month},{designated ?? Clinic},オンシ診療所,,,高血圧症,,,{treatment},0,福祉 一郎,,01,02,";

    private Task<ImportResult> ImportAsync(string kind, string csv)
    {
        portal.SkipIfUnavailable();
        return portal.WithServiceAsync<CsvImporter, ImportResult>(i => i.ImportAsync(kind, () => new MemoryStream(Encoding.UTF8.GetBytes(csv)), null, TestContext.Current.CancellationToken));
    }

    private async Task ImportOkAsync(string kind, string csv)
    {
        var result = await ImportAsync(kind, csv);
        Assert.True(result.Applied, kind + ": " + string.Join("\n", result.Errors));
    }

    private Task<QualificationLookupResult> ByCardAsync(string key, DateOnly asOf) =>
        portal.WithServiceAsync<QualificationLookup, QualificationLookupResult>(l => l.FindByCardAsync(key, asOf, TestContext.Current.CancellationToken));

    private static string NewKey(long id) => new string('B', 64) + ":" + id.ToString("X", CultureInfo.InvariantCulture);

    [Fact]
    public async Task APersonWithOnlyMedicalAssistanceIsFoundByCardWithTheTicketOfTheMonth()
    {
        var id = InsuranceSeed.NextPersonId();
        await ImportOkAsync("persons", PersonHeader + "\n" + PersonOnly(id) + "\n");
        await ImportOkAsync("medical-assistance", AssistanceHeader + "\n" + $"{id},{Bearer},{Recipient},新宿区福祉事務所,2024-04-01,2027-04-01\n");
        await ImportOkAsync("medical-tickets", TicketHeader + "\n" + Ticket(id) + "\n");
        var key = NewKey(id);
        await ImportOkAsync("card-links", $"person_id,linkage_key,certificate_not_after\n{id},{key},2030-02-17T23:59:59+09:00\n");

        var december = await ByCardAsync(key, new DateOnly(2026, 12, 3));
        Assert.Equal(QualificationValidity.Valid, december.Validity);
        var q = Assert.Single(december.Qualifications);
        Assert.Equal(InsuredCardClassification.MedicalAssistance, q.CardClassification);
        Assert.Equal((Bearer, Recipient, "新宿区福祉事務所", new DateOnly(2024, 4, 1)), (q.InsurerNumber, q.Number, q.InsurerName, q.QualificationDate));
        Assert.Null(q.ContributionRatio);
        var ticket = Assert.Single(q.MedicalTickets);
        Assert.Equal((MedicalTicketType.MedicalTicket, "0000123", new DateOnly(2026, 12, 1), Clinic, "高血圧症"), (ticket.TicketType, ticket.IssueNumber, ticket.TreatmentMonth, ticket.DesignatedInstitutionCode, ticket.InjuryName1));

        // Next month nothing is registered yet: still under 保護, 6 有効（未登録）.
        var january = await ByCardAsync(key, new DateOnly(2027, 1, 5));
        Assert.Equal(QualificationValidity.ValidUnregistered, january.Validity);
        Assert.Empty(Assert.Single(january.Qualifications).MedicalTickets);

        // From the 廃止日 on: 2 無効 with the ended 医療扶助.
        var ended = await ByCardAsync(key, new DateOnly(2027, 4, 1));
        Assert.Equal(QualificationValidity.Invalid, ended.Validity);
        Assert.Equal(new DateOnly(2027, 4, 1), Assert.Single(ended.Qualifications).DisqualificationDate);
    }

    [Fact]
    public async Task InsuranceWithMedicalAssistanceAnswersBothInsuranceFirst()
    {
        var insurer = InsurerNumber.FromBody("0627" + Interlocked.Increment(ref _bodies).ToString("000", CultureInfo.InvariantCulture)[^3..]).Value;
        await ImportAsync("insurers", $"insurer_number,name\n{insurer},テスト健保\n");
        var id = InsuranceSeed.NextPersonId();
        await ImportOkAsync("persons", PersonHeader + "\n" + $"{id},保護 花子,ホゴ ハナコ,2,1948-03-15,160-0022,東京都新宿区新宿1-1,{insurer},記号,{id},00,1,保護 花子,01,2020-04-01,,,,,,030,\n");
        await ImportOkAsync("medical-assistance", AssistanceHeader + "\n" + $"{id},{Bearer},{Recipient},新宿区福祉事務所,2024-04-01,\n");
        var key = NewKey(id);
        await ImportOkAsync("card-links", $"person_id,linkage_key,certificate_not_after\n{id},{key},2030-02-17T23:59:59+09:00\n");

        var result = await ByCardAsync(key, new DateOnly(2026, 12, 3));

        Assert.Equal(QualificationValidity.Valid, result.Validity);
        Assert.Equal([InsuredCardClassification.General, InsuredCardClassification.MedicalAssistance], result.Qualifications.Select(q => q.CardClassification));
    }

    [Fact]
    public async Task BadMedicalAssistanceRowsAreRefusedWithTheirLineColumnAndAJapaneseReason()
    {
        var id = InsuranceSeed.NextPersonId();
        await ImportOkAsync("persons", PersonHeader + "\n" + PersonOnly(id) + "\n");
        var wrongCheck = Bearer[..7] + (char)('0' + ((Bearer[7] - '0' + 1) % 10));
        var notAssistance = PublicExpenseBearerNumber.FromBody("5413601").Value;

        var assistance = await ImportAsync("medical-assistance", AssistanceHeader + "\n"
            + $"{id},{wrongCheck},{Recipient},新宿区福祉事務所,2024-04-01,\n"
            + $"{id},{notAssistance},{Recipient},新宿区福祉事務所,2024-04-01,\n"
            + $"{id},{Bearer},1234567,新宿区福祉事務所,2024-04-01,\n"
            + $"{id},{Bearer},{Recipient},新宿区福祉事務所,2024-04-01,2024-03-01\n"
            + $"{InsuranceSeed.NextPersonId()},{Bearer},{Recipient},新宿区福祉事務所,2024-04-01,\n");

        Assert.False(assistance.Applied);
        Assert.Equal(
            [(2L, "row.bearer_check_digit_mismatch", "bearer_number"), (3L, "row.bearer_not_assistance", "bearer_number"), (4L, "row.recipient_check_digit_mismatch", "recipient_number"), (5L, "row.end_before_start", "end_date")],
            assistance.Errors.Take(4).Select(e => (e.Line, e.Code, e.Column)));
        Assert.Equal(6L, assistance.Errors[4].Line);
        Assert.Contains("法別番号 54", assistance.Errors[1].Message, StringComparison.Ordinal);
        Assert.All(assistance.Errors, e => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", e.Message));

        var tickets = await ImportAsync("medical-tickets", TicketHeader + "\n"
            + Ticket(id, type: "09") + "\n"
            + Ticket(id, month: "2026-11") + "\n"
            + Ticket(id, type: "02", treatment: "02") + "\n"
            + Ticket(id, month: "2026-13") + "\n");

        Assert.False(tickets.Applied);
        Assert.Equal(
            [(2L, "row.code_unknown", "ticket_type"), (3L, "row.ticket_outside_month", "treatment_month"), (4L, "row.dispensing_treatment_type", "treatment_type"), (5L, "row.month_invalid", "treatment_month")],
            tickets.Errors.Select(e => (e.Line, e.Code, e.Column)));
        Assert.Equal(0, await portal.QueryAsync(db => db.MedicalAssistanceQualifications.CountAsync(a => a.PersonId == id)));
        Assert.Equal(0, await portal.QueryAsync(db => db.MedicalTickets.CountAsync(t => t.PersonId == id)));
    }

    [Fact]
    public async Task TheResultAndFaceFilesCarryTheImportedValuesUnderPublicExpenseResultList()
    {
        var id = InsuranceSeed.NextPersonId();
        await ImportOkAsync("persons", PersonHeader + "\n" + PersonOnly(id) + "\n");
        await ImportOkAsync("medical-assistance", AssistanceHeader + "\n" + $"{id},{Bearer},{Recipient},新宿区福祉事務所,2024-04-01,\n");
        await ImportOkAsync("medical-tickets", TicketHeader + "\n" + Ticket(id) + "\n");
        var key = NewKey(id);
        await ImportOkAsync("card-links", $"person_id,linkage_key,certificate_not_after\n{id},{key},2030-02-17T23:59:59+09:00\n");
        var found = await ByCardAsync(key, new DateOnly(2026, 12, 3));
        var confirmedAt = new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);
        var request = new OqsRequestHeader { QualificationConfirmationDate = "20261203", MedicalInstitutionCode = Clinic };

        // 02res: the lookup's answer as the レセコン result.
        var result = OqsResultMapping.FromLookup(found, null, null);
        AssertPublicExpense(Write(request, confirmedAt, result), "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation");

        // Face file: the confirmation's stored domain snapshot (through its JSON, as stored), mapped as the feed maps it,
        // with the header FaceWriter writes.
        var stored = ConfirmationSnapshot.FromJson(ConfirmationSnapshot.Of(found, Jpki.JpkiNotices.None).ToJson());
        var face = OqsResultMapping.FromConfirmation(Guid.NewGuid(), confirmedAt, stored, [], confirmedAt, null);
        AssertPublicExpense(Write(request, confirmedAt, face), "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation");
    }

    [Fact]
    public async Task TheMedicalAssistanceBulkAnswersThePersonsWhoseTicketsOfTheMonthNameThisInstitution()
    {
        using var clinic = await portal.ClinicAsync();
        var machine = await portal.MachineAsync(clinic.Institution);
        await using var agent = portal.Agent(machine);
        agent.Start();
        var (mine, elsewhere, otherMonth) = (InsuranceSeed.NextPersonId(), InsuranceSeed.NextPersonId(), InsuranceSeed.NextPersonId());
        await ImportOkAsync("persons", PersonHeader + "\n" + PersonOnly(mine) + "\n" + PersonOnly(elsewhere) + "\n" + PersonOnly(otherMonth) + "\n");
        await ImportOkAsync("medical-assistance", AssistanceHeader + "\n" + string.Concat(new[] { mine, elsewhere, otherMonth }.Select(id => $"{id},{Bearer},{Recipient},新宿区福祉事務所,2024-04-01,\n")));
        await ImportOkAsync("medical-tickets", TicketHeader + "\n" + Ticket(mine, designated: clinic.Code) + "\n" + Ticket(elsewhere) + "\n"
            + Ticket(otherMonth, month: "2026-11", from: "2026-11-01", until: "2026-11-30", designated: clinic.Code) + "\n");

        var upload = new MedicalAssistanceBulkRequest
        {
            Header = new OqsRequestHeader { MedicalInstitutionCode = clinic.Code },
            Search = new MedicalAssistanceSearch { MedicalTreatmentMonth = "202612" },
        };
        var result = await Onshi.Server.Tests.Receipt.AgentFolderTests.BulkAsync<BulkQualificationResultResponse>(agent, machine, "OQSmutic", upload, OqsCharacterEncoding.ShiftJis);

        var unit = Assert.Single(result.Units);
        Assert.Equal("A1", Assert.Single(unit.Results).InsuredCardClassification);

        // The 02res as written, read back by XPath at the public bulk paths (no layout engine involved).
        var file = Directory.GetFiles(agent.Folders.Responses, "OQSmutic02res_*.xml").OrderBy(File.GetLastWriteTimeUtc).Last();
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        var text = CodePagesEncodingProvider.Instance.GetEncoding(932)!.GetString(bytes);
        var doc = new XPathDocument(XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit })).CreateNavigator();
        Assert.Equal("1", doc.SelectSingleNode("/XmlMsg/MessageHeader/SegmentOfResult")?.Value);
        Assert.Equal(1.0, doc.Evaluate("count(/XmlMsg/MessageBody/BulkConfirmUnit)"));
        const string person = "/XmlMsg/MessageBody/BulkConfirmUnit/ResultOfQualificationConfirmation";
        Assert.Equal("1", doc.SelectSingleNode("/XmlMsg/MessageBody/BulkConfirmUnit/QualificationValidity")?.Value);
        Assert.Equal(Recipient, doc.SelectSingleNode(person + "/InsuredIdentificationNumber")?.Value);
        Assert.Equal("202612", doc.SelectSingleNode(person + "/PublicExpenseResultList/MedicalTicketInfo/MedicalTreatmentMonth")?.Value);
        Assert.Equal(clinic.Code, doc.SelectSingleNode(person + "/PublicExpenseResultList/MedicalTicketInfo/DesignatedMedicalInstitutionCode")?.Value);
    }

    private static XPathNavigator Write(OqsRequestHeader request, DateTimeOffset at, QualificationConfirmationResult body)
    {
        var response = new QualificationConfirmationResponse { Header = OqsResponseFactory.Header(request, at, "1", "1"), Body = body };
        var written = OqsResponseWriter.Write(response, OqsCharacterEncoding.Utf8);
        var text = Encoding.UTF8.GetString(written.Content.Span);
        return new XPathDocument(XmlReader.Create(new StringReader(text.TrimStart('\uFEFF')))).CreateNavigator();
    }

    private static void AssertPublicExpense(XPathNavigator doc, string result)
    {
        string? At(string path) => doc.SelectSingleNode(result + path)?.Value;
        const string ticket = "/PublicExpenseResultList/MedicalTicketInfo";
        Assert.Equal("1", doc.SelectSingleNode("/XmlMsg/MessageBody/QualificationValidity")?.Value);
        Assert.Equal("A1", At("/InsuredCardClassification"));
        Assert.Equal(Bearer, At("/InsurerNumber"));
        Assert.Equal(Recipient, At("/InsuredIdentificationNumber"));
        Assert.Equal("新宿区福祉事務所", At("/InsurerName"));
        Assert.Equal("20240401", At("/QualificationDate"));
        Assert.Null(At("/InsuredPartialContributionRatio"));
        Assert.Equal("01", At(ticket + "/TicketType"));
        Assert.Equal("20261201", At(ticket + "/MedicalTicketValidDate"));
        Assert.Equal("20261231", At(ticket + "/MedicalTicketExpirationDate"));
        Assert.Equal("0000123", At(ticket + "/IssueNumber"));
        Assert.Equal("202612", At(ticket + "/MedicalTreatmentMonth"));
        Assert.Equal(Clinic, At(ticket + "/DesignatedMedicalInstitutionCode"));
        Assert.Equal("オンシ診療所", At(ticket + "/DesignatedMedicalInstitutionName"));
        Assert.Equal("高血圧症", At(ticket + "/InjuryName1"));
        Assert.Equal("02", At(ticket + "/MedicalTreatmentType"));
        Assert.Equal("0", At(ticket + "/SelfPayAmount"));
        Assert.Equal("福祉 一郎", At(ticket + "/DistrictContactName"));
        Assert.Equal("01", At(ticket + "/SingleOrCombinedUse"));
        Assert.Equal("02", At(ticket + "/StatusOfSocialInsurance"));
    }
}

public sealed class MedicalAssistanceTestsOnSqlite(SqlitePortal portal) : MedicalAssistanceTests(portal), IClassFixture<SqlitePortal>;

public sealed class MedicalAssistanceTestsOnPostgres(PostgresPortal portal) : MedicalAssistanceTests(portal), IClassFixture<PostgresPortal>;
