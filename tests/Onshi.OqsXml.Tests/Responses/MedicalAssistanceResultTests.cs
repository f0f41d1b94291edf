using System.Text;
using System.Xml;
using System.Xml.XPath;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Responses;

/// <summary>
/// 医療扶助 (生活保護) results: 公費負担者番号 in InsurerNumber, 受給者番号 in InsuredIdentificationNumber, 福祉事務所名 in
/// InsurerName, the 医療券・調剤券 under PublicExpenseResultList/MedicalTicketInfo. Read back with plain XPath at the
/// public model's paths, not with the layout engine that wrote them.
/// </summary>
public sealed class MedicalAssistanceResultTests
{
    private static readonly string[] TicketChildOrder =
    [
        "TicketType", "MedicalTicketValidDate", "MedicalTicketExpirationDate", "IssueNumber", "MedicalTreatmentMonth",
        "DesignatedMedicalInstitutionCode", "DesignatedMedicalInstitutionFlag", "DesignatedMedicalInstitutionName",
        "InjuryName1", "MedicalTreatmentType", "SelfPayAmount", "DistrictContactName", "SingleOrCombinedUse",
        "StatusOfSocialInsurance",
    ];

    public static ResultOfQualificationConfirmation AssistanceResult() => new()
    {
        InsuredCardClassification = "A1",
        InsurerNumber = "12136016",
        InsuredIdentificationNumber = "1234566",
        Name = "保護　花子",
        NameKana = "ﾎｺﾞ ﾊﾅｺ",
        Sex1 = "2",
        Birthdate = "19480315",
        QualificationDate = "20240401",
        InsurerName = "新宿区福祉事務所",
        MedicalTickets = new[]
        {
            new MedicalTicketInfo
            {
                TicketType = "01",
                MedicalTicketValidDate = "20261201",
                MedicalTicketExpirationDate = "20261231",
                IssueNumber = "0000123",
                MedicalTreatmentMonth = "202612",
                DesignatedMedicalInstitutionCode = Samples.InstitutionCode,
                DesignatedMedicalInstitutionFlag = "0",
                DesignatedMedicalInstitutionName = "オンシ診療所",
                InjuryName1 = "高血圧症",
                MedicalTreatmentType = "02",
                SelfPayAmount = "0",
                DistrictContactName = "福祉　一郎",
                SingleOrCombinedUse = "01",
                StatusOfSocialInsurance = "02",
            },
        },
    };

    private static QualificationConfirmationResponse Response(string validity, params ResultOfQualificationConfirmation[] results) => new()
    {
        Header = OqsResponseFactory.Header(Samples.RequestHeader, Samples.ProcessedAt, referenceClassification: "2"),
        Body = new QualificationConfirmationResult { ProcessingResultStatus = "1", QualificationValidity = validity, Results = results },
    };

    [Theory]
    [InlineData(OqsCharacterEncoding.Utf8)]
    [InlineData(OqsCharacterEncoding.ShiftJis)]
    public void WritesTheTicketWherePublicReadersLookForIt(OqsCharacterEncoding encoding)
    {
        var written = OqsResponseWriter.Write(Response("1", AssistanceResult()), encoding);
        var doc = new XPathDocument(XmlReader.Create(new StringReader(Decode(written.Content.ToArray(), encoding)))).CreateNavigator();
        const string result = "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation";

        Assert.Equal("A1", doc.SelectSingleNode(result + "/InsuredCardClassification")?.Value);
        Assert.Equal("12136016", doc.SelectSingleNode(result + "/InsurerNumber")?.Value);
        Assert.Equal("新宿区福祉事務所", doc.SelectSingleNode(result + "/InsurerName")?.Value);
        Assert.Equal("01", doc.SelectSingleNode(result + "/PublicExpenseResultList/MedicalTicketInfo/TicketType")?.Value);
        Assert.Equal("202612", doc.SelectSingleNode(result + "/PublicExpenseResultList/MedicalTicketInfo/MedicalTreatmentMonth")?.Value);
        Assert.Equal("高血圧症", doc.SelectSingleNode(result + "/PublicExpenseResultList/MedicalTicketInfo/InjuryName1")?.Value);

        // The list sits after the 特定疾病 list and before the consent flags, as in the public model.
        var children = doc.Select(result + "/*").Cast<XPathNavigator>().Select(n => n.Name).ToList();
        Assert.Equal(children.IndexOf("InsurerName") + 1, children.IndexOf("PublicExpenseResultList"));
        var ticket = doc.Select(result + "/PublicExpenseResultList/MedicalTicketInfo/*").Cast<XPathNavigator>().Select(n => n.Name).ToList();
        Assert.Equal(TicketChildOrder, ticket);
    }

    [Fact]
    public void ReadsBackWhatItWrote()
    {
        var response = Response("6", AssistanceResult());
        var written = OqsResponseWriter.Write(response, OqsCharacterEncoding.Utf8);

        var read = OqsResponseReader.Read(written.Content.Span, OqsMessageKind.QualificationConfirmationResponse);

        Assert.Null(read.Error);
        Assert.Equal(response.Body, ((QualificationConfirmationResponse)read.Response!).Body);
    }

    [Fact]
    public void RefusesToWriteTicketsOnAnInsuranceResultOrValiditySixForInsurance()
    {
        var ticketsOnInsurance = Samples.FullResult() with { MedicalTickets = AssistanceResult().MedicalTickets };
        var error = Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(Response("1", ticketsOnInsurance), OqsCharacterEncoding.Utf8));
        Assert.Contains(error.Violations, e => e.ElementPath!.EndsWith("PublicExpenseResultList", StringComparison.Ordinal));

        var sixForInsurance = Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(Response("6", Samples.FullResult()), OqsCharacterEncoding.Utf8));
        Assert.Contains(sixForInsurance.Violations, e => e.ElementPath!.EndsWith("QualificationValidity", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesAnUnknownTicketTypeAndAnImpossibleTreatmentMonth()
    {
        var ticket = AssistanceResult().MedicalTickets[0];
        var badType = AssistanceResult() with { MedicalTickets = new[] { ticket with { TicketType = "09" } } };
        Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(Response("1", badType), OqsCharacterEncoding.Utf8));

        var badMonth = AssistanceResult() with { MedicalTickets = new[] { ticket with { MedicalTreatmentMonth = "202613" } } };
        var error = Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(Response("1", badMonth), OqsCharacterEncoding.Utf8));
        Assert.Contains(error.Violations, e => e.Code == OqsErrorCode.FieldInvalidDate);
    }

    private static string Decode(byte[] bytes, OqsCharacterEncoding encoding) => encoding == OqsCharacterEncoding.ShiftJis
        ? CodePagesEncodingProvider.Instance.GetEncoding(932)!.GetString(bytes)
        : Encoding.UTF8.GetString(bytes);
}
