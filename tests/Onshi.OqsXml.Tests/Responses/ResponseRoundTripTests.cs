using System.Text;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Responses;

public sealed class ResponseRoundTripTests
{
    public static TheoryData<string> ResponseSamples => new(SampleResponses().Keys);

    private static Dictionary<string, OqsResponse> SampleResponses()
    {
        var header = OqsResponseFactory.Header(Samples.RequestHeader, Samples.ProcessedAt);
        var units = new[]
        {
            // 処方箋発行形態 belongs to the single answer; BulkConfirmUnit has no place for it.
            Samples.NormalBody(Samples.SearchInfo(0)) with { PrescriptionIssueSelect = null },
            OqsResponseFactory.RowError(new OqsError(OqsErrorCode.FieldInvalidDate, "生年月日（Birthdate）: 日付が正しくありません。"), Samples.SearchInfo(1) with { Birthdate = "20250230" }),
            new QualificationConfirmationResult { ProcessingResultStatus = "1", QualificationValidity = "4", SearchInfo = Samples.SearchInfo(2) },
        };
        return new()
        {
            ["single"] = Samples.NormalResponse(),
            ["face"] = new QualificationConfirmationResponse
            {
                Header = OqsResponseFactory.Header(new OqsRequestHeader { QualificationConfirmationDate = "20260929", MedicalInstitutionCode = Samples.InstitutionCode }, Samples.ProcessedAt, referenceClassification: "1"),
                Body = Samples.NormalBody(null),
            },
            ["single-no-match"] = Samples.NormalResponse() with { Body = new() { ProcessingResultStatus = "1", QualificationValidity = "4", SearchInfo = Samples.SearchInfo() } },
            ["single-row-error"] = Samples.NormalResponse() with { Body = OqsResponseFactory.RowError(new OqsError(OqsErrorCode.InsurerNumberInvalid, "保険者番号が正しくありません。"), Samples.SearchInfo() with { InsurerNumber = "33120016" }) },
            ["single-file-error"] = OqsResponseFactory.FileError(OqsMessageKind.QualificationConfirmationResponse, OqsErrorCatalogue.Create(OqsErrorCode.MalformedXml), null, Samples.ProcessedAt),
            ["registration"] = new ReferenceNumberRegistrationResponse
            {
                Header = header,
                Body = new() { RegistrationInfo = new() { ReferenceNumber = "K-1", InsurerNumber = Samples.InsurerNumber, InsuredIdentificationNumber = "1" }, ProcessingResultStatus = "1" },
            },
            ["bulk-accepted"] = OqsResponseFactory.Accepted(Samples.RequestHeader, "R20260929001", Samples.ProcessedAt),
            ["bulk-accepted-refused"] = OqsResponseFactory.FileError(OqsMessageKind.BulkAcceptedResponse, OqsErrorCatalogue.Create(OqsErrorCode.NoRows), Samples.RequestHeader, Samples.ProcessedAt),
            ["bulk-processing"] = OqsResponseFactory.Processing(OqsMessageKind.BulkQualificationResultResponse, Samples.RequestHeader, "R20260929001", Samples.ProcessedAt),
            ["bulk-registration-processing"] = OqsResponseFactory.Processing(OqsMessageKind.BulkRegistrationResultResponse, Samples.RequestHeader, "R20260929001", Samples.ProcessedAt),
            ["bulk-result"] = new BulkQualificationResultResponse
            {
                Header = header with { ReceptionNumber = "R20260929001", NumberOfProcessingResult = "3", NumberOfNormalProcessing = "2", NumberOfError = "1" },
                Units = units,
            },
            ["bulk-registration-result"] = new BulkRegistrationResultResponse
            {
                Header = header with { ReceptionNumber = "R20260929001", NumberOfProcessingResult = "2", NumberOfNormalProcessing = "1", NumberOfError = "1" },
                Units = new[]
                {
                    new ReferenceNumberRegistrationResult { RegistrationInfo = new() { ReferenceNumber = "K-1", InsurerNumber = Samples.NationalInsurerNumber.PadLeft(8), InsuredIdentificationNumber = "1" }, ProcessingResultStatus = "1" },
                    OqsResponseFactory.RegistrationRowError(OqsErrorCatalogue.Create(OqsErrorCode.FieldTooLong), new() { ReferenceNumber = new string('x', 60), InsuredIdentificationNumber = "2" }),
                },
            },
        };
    }

    [Theory]
    [MemberData(nameof(ResponseSamples))]
    public void EveryWrittenElementConformsToTheLayoutTableAndReadsBackEqual(string sample)
    {
        var response = SampleResponses()[sample];
        foreach (var (encoding, dotnetEncoding, declared) in new[]
        {
            (OqsCharacterEncoding.Utf8, Encoding.UTF8, "UTF-8"),
            (OqsCharacterEncoding.ShiftJis, Samples.ShiftJis, "Shift_JIS"),
        })
        {
            var file = OqsResponseWriter.Write(response, encoding);

            var checkedElements = LayoutConformance.Check(file.Content.Span, OqsLayouts.For(response.Kind), dotnetEncoding, declared);
            Assert.True(checkedElements >= 6, $"only {checkedElements} elements checked");
            var back = OqsResponseReader.Read(file.Content.Span, response.Kind);
            Assert.True(back.IsSuccess, back.Error?.ToString());
            var expected = response with { Header = response.Header with { CharacterCodeIdentifier = encoding.Identifier() } };
            Assert.Equal(expected, back.Response);
        }
    }

    [Fact]
    public void AFullResultWritesEveryElementOfTheResultTable()
    {
        var file = OqsResponseWriter.Write(Samples.NormalResponse(), OqsCharacterEncoding.Utf8);
        var text = Encoding.UTF8.GetString(file.Content.Span);

        var layout = OqsLayouts.For(OqsMessageKind.QualificationConfirmationResponse);
        var resultNode = layout.Flatten().Single(e => e.Node.Name == "ResultOfQualificationConfirmation").Node;
        // The 医療扶助 ticket list only appears on an A1 result (MedicalAssistanceResultTests covers it).
        var leaves = Flatten(resultNode.Children.Where(c => c.Name != "PublicExpenseResultList")).ToList();
        Assert.True(leaves.Count >= 60, leaves.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var name in leaves)
        {
            Assert.Contains("<" + name + ">", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WritesTheHeaderInTheDocumentedOrder()
    {
        string[] documented =
        [
            "ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode", "ArbitraryFileIdentifier",
            "ReferenceClassification", "SegmentOfResult", "ErrorCode", "ErrorMessage", "CharacterCodeIdentifier",
        ];
        var header = OqsLayouts.For(OqsMessageKind.QualificationConfirmationResponse).Root.Children[0];
        Assert.Equal(documented, header.Children.Select(c => c.Name));

        string[] resultStart = ["InsuredCardClassification", "InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber", "PersonalFamilyClassification", "InsuredName", "Name", "NameOfOther", "NameKana", "NameOfOtherKana", "Sex1", "Sex2", "Birthdate"];
        var result = OqsLayouts.For(OqsMessageKind.QualificationConfirmationResponse).Flatten().Single(e => e.Node.Name == "ResultOfQualificationConfirmation").Node;
        Assert.Equal(resultStart, result.Children.Take(resultStart.Length).Select(c => c.Name));

        var text = Encoding.UTF8.GetString(OqsResponseWriter.Write(Samples.NormalResponse(), OqsCharacterEncoding.Utf8).Content.Span);
        string[] tags = ["<ProcessExecutionTime>", "<QualificationConfirmationDate>", "<MedicalInstitutionCode>", "<ReferenceClassification>", "<SegmentOfResult>", "<CharacterCodeIdentifier>", "<MessageBody>", "<ProcessingResultStatus>", "<QualificationValidity>", "<QualificationConfirmSearchInfo>", "<ResultList>"];
        var positions = tags
            .Select(tag => text.IndexOf(tag, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void TheWriterRefusesAModelThatBreaksTheLayout()
    {
        var valid = Samples.NormalResponse();
        var broken = new OqsResponse[]
        {
            valid with { Body = valid.Body with { QualificationValidity = "7" } },
            valid with { Header = valid.Header with { ErrorCode = "X1", ErrorMessage = "x" } },
            valid with { Header = valid.Header with { SegmentOfResult = "9" } },
            valid with { Body = valid.Body with { ProcessingResultStatus = "2" } },
            valid with { Body = valid.Body with { Results = new[] { Samples.FullResult() with { Birthdate = "19750230" } } } },
            valid with { Body = valid.Body with { Results = new[] { Samples.FullResult() with { Name = null } } } },
            valid with { Body = valid.Body with { Results = new[] { Samples.FullResult() with { Name = "a\u0001b" } } } },
            valid with { Header = valid.Header with { ReferenceClassification = null } },
            new BulkQualificationResultResponse { Header = valid.Header with { ReceptionNumber = "R1", NumberOfProcessingResult = "2" }, Units = new[] { valid.Body } },
            new BulkQualificationResultResponse { Header = valid.Header with { SegmentOfResult = "2", ReceptionNumber = "R1" }, Units = new[] { valid.Body } },
        };

        foreach (var response in broken)
        {
            var ex = Assert.Throws<OqsLayoutViolationException>(() => OqsResponseWriter.Write(response, OqsCharacterEncoding.Utf8));
            Assert.NotEmpty(ex.Violations);
        }
    }

    [Fact]
    public void TheFaceResultCarriesMyNumberCardClassificationAndNoSearchEcho()
    {
        var face = (QualificationConfirmationResponse)SampleResponses()["face"];
        var text = Encoding.UTF8.GetString(OqsResponseWriter.Write(face, OqsCharacterEncoding.Utf8).Content.Span);

        Assert.Contains("<ReferenceClassification>1</ReferenceClassification>", text, StringComparison.Ordinal);
        Assert.Contains("<QualificationConfirmationKey>4da5260a16de5a3d3ad7</QualificationConfirmationKey>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<QualificationConfirmSearchInfo>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<ArbitraryFileIdentifier>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AProcessingAnswerHasSegmentTwoAReceptionNumberAndNoUnits()
    {
        var text = Encoding.UTF8.GetString(OqsResponseWriter.Write(SampleResponses()["bulk-processing"], OqsCharacterEncoding.Utf8).Content.Span);

        Assert.Contains("<SegmentOfResult>2</SegmentOfResult>", text, StringComparison.Ordinal);
        Assert.Contains("<ReceptionNumber>R20260929001</ReceptionNumber>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<BulkConfirmUnit>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<ErrorCode>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheResponseReaderRefusesACharacterCodeIdentifierThatContradictsTheEncoding()
    {
        var text = Encoding.UTF8.GetString(OqsResponseWriter.Write(Samples.NormalResponse(), OqsCharacterEncoding.Utf8).Content.Span)
            .Replace("<CharacterCodeIdentifier>0<", "<CharacterCodeIdentifier>1<", StringComparison.Ordinal);

        var result = OqsResponseReader.Read(Encoding.UTF8.GetBytes(text), OqsMessageKind.QualificationConfirmationResponse);

        Assert.Equal(OqsErrorCode.FieldInvalidCode, result.Error!.Code);
    }

    private static IEnumerable<string> Flatten(IEnumerable<LayoutNode> children) =>
        children.SelectMany(c => c.Kind == LayoutNodeKind.Leaf ? [c.Name] : Flatten(c.Children).Prepend(c.Name));
}
