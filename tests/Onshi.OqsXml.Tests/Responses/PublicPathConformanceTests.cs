using System.Text;
using System.Xml;
using System.Xml.XPath;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Responses;

/// <summary>
/// Reads what Onshi writes the way a public レセコン-side reader does: plain XPath over the written bytes, with the
/// element paths of oqs-system.md §3.5 and the public OQSmuquc02res model (docs/receipt-xml.md). Deliberately
/// independent of the layout engine that wrote the file, so a wrong layout table cannot agree with itself.
/// </summary>
public sealed class PublicPathConformanceTests
{
    private static readonly string[] BulkHeaderOrder =
    [
        "ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode", "ArbitraryFileIdentifier", "ReceptionNumber",
        "SegmentOfResult", "ErrorCode", "ErrorMessage", "NumberOfProcessingResult", "NumberOfNormalProcessing", "NumberOfError",
        "CharacterCodeIdentifier",
    ];

    private static readonly string[] SingleHeaderOrder =
    [
        "ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode", "ArbitraryFileIdentifier", "ReferenceClassification",
        "SegmentOfResult", "ErrorCode", "ErrorMessage", "CharacterCodeIdentifier",
    ];

    private static readonly string[] BulkConfirmUnitOrder =
    [
        "QualificationConfirmSearchInfo", "ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage", "QualificationValidity",
        "ResultOfQualificationConfirmation", "ReferenceNumber",
    ];

    private static readonly string[] SingleBodyOrder =
    [
        "ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage", "QualificationValidity", "PrescriptionIssueSelect",
        "QualificationConfirmSearchInfo", "ResultList", "ReferenceNumber",
    ];

    [Theory]
    [InlineData(OqsCharacterEncoding.Utf8)]
    [InlineData(OqsCharacterEncoding.ShiftJis)]
    public void ABulkResultPutsEachPersonWherePublicReadersLookForIt(OqsCharacterEncoding encoding)
    {
        var doc = Load(OqsResponseWriter.Write(BulkResult(), encoding));

        Assert.Equal(3.0, doc.Evaluate("count(/XmlMsg/MessageBody/BulkConfirmUnit)"));
        Assert.Equal("山田　太郎", Value(doc, "/XmlMsg/MessageBody/BulkConfirmUnit[1]/ResultOfQualificationConfirmation/InsuredName"));
        Assert.Equal("山田　太郎", Value(doc, "/XmlMsg/MessageBody/BulkConfirmUnit[1]/ResultOfQualificationConfirmation/Name"));
        Assert.Equal("KARTE-000123", Value(doc, "/XmlMsg/MessageBody/BulkConfirmUnit[1]/ReferenceNumber"));
        Assert.Equal("ROW0", Value(doc, "/XmlMsg/MessageBody/BulkConfirmUnit[1]/QualificationConfirmSearchInfo/ArbitraryIdentifier"));
        Assert.Equal("2", Value(doc, "/XmlMsg/MessageBody/BulkConfirmUnit[2]/ProcessingResultStatus"));
        Assert.Equal("4", Value(doc, "/XmlMsg/MessageBody/BulkConfirmUnit[3]/QualificationValidity"));
        Assert.Equal(0.0, doc.Evaluate("count(//ResultList)"));
        Assert.Equal(0.0, doc.Evaluate("count(//ResultOfQualificationConfirmation/ReferenceNumber)"));
        Assert.Equal(0.0, doc.Evaluate("count(//ReferenceClassification)"));

        AssertChildOrder(doc, "/XmlMsg/MessageHeader", BulkHeaderOrder);
        Assert.Equal("R20260929001", Value(doc, "/XmlMsg/MessageHeader/ReceptionNumber"));
        Assert.Equal("3", Value(doc, "/XmlMsg/MessageHeader/NumberOfProcessingResult"));
        Assert.Equal(encoding == OqsCharacterEncoding.Utf8 ? "0" : "1", Value(doc, "/XmlMsg/MessageHeader/CharacterCodeIdentifier"));
        foreach (XPathNavigator unit in doc.Select("/XmlMsg/MessageBody/BulkConfirmUnit"))
        {
            AssertChildOrder(unit, BulkConfirmUnitOrder);
        }
    }

    [Fact]
    public void TheBulkHeaderOfEveryBulkFileKindFollowsThePublicModel()
    {
        var header = OqsResponseFactory.Header(Samples.RequestHeader, Samples.ProcessedAt) with
        {
            ReceptionNumber = "R20260929001", NumberOfProcessingResult = "1", NumberOfNormalProcessing = "1", NumberOfError = "0",
        };
        OqsResponse[] files =
        [
            OqsResponseFactory.Accepted(Samples.RequestHeader, "R20260929001", Samples.ProcessedAt),
            OqsResponseFactory.Processing(OqsMessageKind.BulkQualificationResultResponse, Samples.RequestHeader, "R20260929001", Samples.ProcessedAt),
            new BulkRegistrationResultResponse
            {
                Header = header,
                Units = new[] { new ReferenceNumberRegistrationResult { RegistrationInfo = new() { ReferenceNumber = "K-1", InsurerNumber = Samples.InsurerNumber, InsuredIdentificationNumber = "1" }, ProcessingResultStatus = "1" } },
            },
        ];
        foreach (var file in files)
        {
            var doc = Load(OqsResponseWriter.Write(file, OqsCharacterEncoding.Utf8));
            AssertChildOrder(doc, "/XmlMsg/MessageHeader", BulkHeaderOrder);
            Assert.Equal("R20260929001", Value(doc, "/XmlMsg/MessageHeader/ReceptionNumber"));
        }
    }

    [Fact]
    public void ASingleResultCarriesTheReferenceNumberOnceAtMessageBodyLevel()
    {
        var doc = Load(OqsResponseWriter.Write(Samples.NormalResponse(), OqsCharacterEncoding.Utf8));

        Assert.Equal("山田　太郎", Value(doc, "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/InsuredName"));
        Assert.Equal("KARTE-000123", Value(doc, "/XmlMsg/MessageBody/ReferenceNumber"));
        Assert.Equal(1.0, doc.Evaluate("count(//ReferenceNumber)"));
        Assert.Equal("2", Value(doc, "/XmlMsg/MessageHeader/ReferenceClassification"));
        AssertChildOrder(doc, "/XmlMsg/MessageHeader", SingleHeaderOrder);
        AssertChildOrder(doc, "/XmlMsg/MessageBody", SingleBodyOrder);
    }

    [Fact]
    public void AFaceShapedResultHasAConfirmationDateAndNoSearchEcho()
    {
        var face = new QualificationConfirmationResponse
        {
            Header = OqsResponseFactory.Header(new OqsRequestHeader { QualificationConfirmationDate = "20260929", MedicalInstitutionCode = Samples.InstitutionCode }, Samples.ProcessedAt, "1", "1"),
            Body = Samples.NormalBody(null),
        };
        var doc = Load(OqsResponseWriter.Write(face, OqsCharacterEncoding.Utf8));

        Assert.Equal("20260929", Value(doc, "/XmlMsg/MessageHeader/QualificationConfirmationDate"));
        Assert.Equal("20260929160112", Value(doc, "/XmlMsg/MessageHeader/ProcessExecutionTime"));
        Assert.Equal("1", Value(doc, "/XmlMsg/MessageHeader/ReferenceClassification"));
        Assert.Equal(0.0, doc.Evaluate("count(/XmlMsg/MessageBody/QualificationConfirmSearchInfo)"));
        Assert.Equal("4da5260a16de5a3d3ad7", Value(doc, "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/QualificationConfirmationKey"));
        AssertChildOrder(doc, "/XmlMsg/MessageHeader", SingleHeaderOrder);
        AssertChildOrder(doc, "/XmlMsg/MessageBody", SingleBodyOrder);
    }

    [Fact]
    public void TheReaderStillAcceptsTheFormerBulkForm()
    {
        // Onshi's earlier 02res: counts after CharacterCodeIdentifier, ResultList inside the unit, 照会番号 per qualification.
        const string former = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <XmlMsg><MessageHeader><ProcessExecutionTime>20260929160112</ProcessExecutionTime><MedicalInstitutionCode>1312345671</MedicalInstitutionCode>
            <SegmentOfResult>1</SegmentOfResult><CharacterCodeIdentifier>0</CharacterCodeIdentifier><ReceptionNumber>R1</ReceptionNumber>
            <NumberOfProcessingResult>1</NumberOfProcessingResult></MessageHeader>
            <MessageBody><BulkConfirmUnit><ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>1</QualificationValidity>
            <ResultList><ResultOfQualificationConfirmation><InsuredCardClassification>01</InsuredCardClassification><InsurerNumber>06130017</InsurerNumber>
            <InsuredIdentificationNumber>1</InsuredIdentificationNumber><Name>山田　太郎</Name><Sex1>1</Sex1><Birthdate>19750102</Birthdate>
            <ReferenceNumber>K-9</ReferenceNumber></ResultOfQualificationConfirmation></ResultList></BulkConfirmUnit></MessageBody></XmlMsg>
            """;
        var read = OqsResponseReader.Read(Encoding.UTF8.GetBytes(former.Replace("1312345671", Samples.InstitutionCode, StringComparison.Ordinal).Replace("06130017", Samples.InsurerNumber, StringComparison.Ordinal)), OqsMessageKind.BulkQualificationResultResponse);

        Assert.True(read.IsSuccess, read.Error?.ToString());
        var unit = Assert.Single(((BulkQualificationResultResponse)read.Response!).Units);
        Assert.Equal("K-9", unit.ReferenceNumber);
        Assert.Null(Assert.Single(unit.Results).ReferenceNumber);
        Assert.Equal("R1", read.Response!.Header.ReceptionNumber);
    }

    [Fact]
    public void TheReaderAcceptsTheReferenceNumberInsideTheQualificationOfASingleResult()
    {
        var text = Encoding.UTF8.GetString(OqsResponseWriter.Write(Samples.NormalResponse(), OqsCharacterEncoding.Utf8).Content.Span);
        var former = text
            .Replace("  <ReferenceNumber>KARTE-000123</ReferenceNumber>\n", "", StringComparison.Ordinal)
            .Replace("<ArbitraryIdentifier>P-0001</ArbitraryIdentifier>", "<ReferenceNumber>KARTE-000123</ReferenceNumber><ArbitraryIdentifier>P-0001</ArbitraryIdentifier>", StringComparison.Ordinal);
        Assert.NotEqual(text, former);

        var read = OqsResponseReader.Read(Encoding.UTF8.GetBytes(former), OqsMessageKind.QualificationConfirmationResponse);

        Assert.True(read.IsSuccess, read.Error?.ToString());
        Assert.Equal(Samples.NormalResponse().Body, ((QualificationConfirmationResponse)read.Response!).Body);
    }

    [Fact]
    public void TheReaderStillRefusesAnElementNoFormDefines()
    {
        var text = Encoding.UTF8.GetString(OqsResponseWriter.Write(BulkResult(), OqsCharacterEncoding.Utf8).Content.Span)
            .Replace("<ReferenceNumber>KARTE-000123</ReferenceNumber>", "<ReferenceNumber>KARTE-000123</ReferenceNumber><Surprise>1</Surprise>", StringComparison.Ordinal);

        var read = OqsResponseReader.Read(Encoding.UTF8.GetBytes(text), OqsMessageKind.BulkQualificationResultResponse);

        Assert.Equal(OqsErrorCode.UnknownElement, read.Error?.Code);
    }

    [Fact]
    public void TheWriterRefusesAReferenceClassificationOnABulkResultInsteadOfDroppingIt()
    {
        var response = BulkResult() with { Header = BulkResult().Header with { ReferenceClassification = "2" } };

        var error = Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(response, OqsCharacterEncoding.Utf8));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(OqsErrorCode.FieldNotInLayout, violation.Code);
        Assert.Equal("ONSX0401", violation.WireCode);
        Assert.Equal("XmlMsg/MessageHeader/ReferenceClassification", violation.ElementPath);
    }

    [Fact]
    public void TheWriterRefusesValuesABulkUnitHasNoPlaceFor()
    {
        var unit = Samples.NormalBody(Samples.SearchInfo(0)) with { Results = new[] { Samples.FullResult() with { ReferenceNumber = "K-1" } } };
        var response = BulkResult() with { Units = new[] { unit } };

        var error = Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(response, OqsCharacterEncoding.Utf8));

        Assert.Equal(
            ["XmlMsg/MessageBody/BulkConfirmUnit/PrescriptionIssueSelect", "XmlMsg/MessageBody/BulkConfirmUnit/ResultOfQualificationConfirmation/ReferenceNumber"],
            error.Violations.Select(v => v.ElementPath).Order(StringComparer.Ordinal));
        Assert.All(error.Violations, v => Assert.Equal(OqsErrorCode.FieldNotInLayout, v.Code));
    }

    private static BulkQualificationResultResponse BulkResult() => new()
    {
        Header = OqsResponseFactory.Header(Samples.RequestHeader, Samples.ProcessedAt) with
        {
            ReceptionNumber = "R20260929001", NumberOfProcessingResult = "3", NumberOfNormalProcessing = "2", NumberOfError = "1",
        },
        Units = new[]
        {
            Samples.NormalBody(Samples.SearchInfo(0)) with { PrescriptionIssueSelect = null },
            OqsResponseFactory.RowError(OqsErrorCatalogue.Create(OqsErrorCode.FieldInvalidDate), Samples.SearchInfo(1) with { Birthdate = "20250230" }),
            new QualificationConfirmationResult { ProcessingResultStatus = "1", QualificationValidity = "4", SearchInfo = Samples.SearchInfo(2) },
        },
    };

    /// <summary>Decodes with .NET's own code page 932 (not Onshi's encoder) and parses with a plain XmlReader.</summary>
    private static XPathNavigator Load(OqsWrittenFile file)
    {
        var bytes = file.Content.ToArray();
        var text = file.Encoding == OqsCharacterEncoding.ShiftJis ? Samples.ShiftJis.GetString(bytes) : new UTF8Encoding(false, true).GetString(bytes);
        Assert.StartsWith($"<?xml version=\"1.0\" encoding=\"{(file.Encoding == OqsCharacterEncoding.ShiftJis ? "Shift_JIS" : "UTF-8")}\" standalone=\"no\"?>", text, StringComparison.Ordinal);
        using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return new XPathDocument(reader).CreateNavigator();
    }

    private static string Value(XPathNavigator doc, string path)
    {
        var nodes = doc.Select(path);
        Assert.True(nodes.Count == 1, $"{path}: expected exactly one element, found {nodes.Count}.");
        nodes.MoveNext();
        return nodes.Current!.Value;
    }

    private static void AssertChildOrder(XPathNavigator doc, string parentPath, string[] order)
    {
        var parent = doc.SelectSingleNode(parentPath);
        Assert.True(parent is not null, parentPath + " is missing.");
        AssertChildOrder(parent, order);
    }

    /// <summary>Every child is one the public order names, at most once, and they appear in that order.</summary>
    private static void AssertChildOrder(XPathNavigator parent, string[] order)
    {
        var names = new List<string>();
        foreach (XPathNavigator child in parent.SelectChildren(XPathNodeType.Element))
        {
            names.Add(child.LocalName);
        }

        var positions = names.Select(n => Array.IndexOf(order, n)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.NotEmpty(names);
    }
}
