using System.Diagnostics;
using System.Globalization;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Requests;

/// <summary>
/// A 10,000-person 資格確認一括照会: parse the upload, answer every row (full result, or a row error for the
/// deliberately broken rows), write the 02res and check it. Time and allocation are printed, never asserted.
/// </summary>
public sealed class BulkTenThousandTests
{
    private const int Persons = 10_000;

    [Theory]
    [InlineData(OqsCharacterEncoding.Utf8)]
    [InlineData(OqsCharacterEncoding.ShiftJis)]
    public void ParsesAndAnswersTenThousandPersons(OqsCharacterEncoding encoding)
    {
        var rows = Enumerable.Range(0, Persons)
            .Select(i => i % 1000 == 999 ? Samples.SearchInfo(i) with { Birthdate = "20250230" } : Samples.SearchInfo(i))
            .ToArray();
        var upload = OqsRequestWriter.Write(new BulkQualificationConfirmationRequest { Header = Samples.RequestHeader, SearchInfos = rows }, encoding).Content.ToArray();
        var name = OqsFileName.Parse("OQSmuquc01req_202609290001.xml").Value!;

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var read = OqsRequestReader.Read(upload, name);
        var parseTime = clock.Elapsed;
        var parseAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.True(read.IsFileValid, read.FileError?.ToString());
        Assert.Equal(encoding, read.Encoding);
        var request = (BulkQualificationConfirmationRequest)read.Request!;
        Assert.Equal(Persons, request.SearchInfos.Count);
        Assert.Equal(Persons - 10, read.ValidRowCount);

        clock.Restart();
        allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var units = request.SearchInfos.Select((info, i) => read.RowErrors[i] is { } error
            ? OqsResponseFactory.RowError(error, info)
            : Samples.NormalBody(info, name: "患者" + i.ToString(CultureInfo.InvariantCulture)) with { PrescriptionIssueSelect = null }).ToArray();
        var response = new BulkQualificationResultResponse
        {
            Header = OqsResponseFactory.Header(request.Header, Samples.ProcessedAt) with
            {
                ReceptionNumber = "R20260929001",
                NumberOfProcessingResult = Persons.ToString(CultureInfo.InvariantCulture),
                NumberOfNormalProcessing = read.ValidRowCount.ToString(CultureInfo.InvariantCulture),
                NumberOfError = (Persons - read.ValidRowCount).ToString(CultureInfo.InvariantCulture),
            },
            Units = units,
        };
        var file = OqsResponseWriter.Write(response, read.Encoding);
        var writeTime = clock.Elapsed;
        var writeAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var back = OqsResponseReader.Read(file.Content.Span, OqsMessageKind.BulkQualificationResultResponse);
        Assert.True(back.IsSuccess, back.Error?.ToString());
        var result = (BulkQualificationResultResponse)back.Response!;
        Assert.Equal(Persons, result.Units.Count);
        Assert.Equal("2", result.Units[999].ProcessingResultStatus);
        Assert.Equal("ONSX0104", result.Units[999].ProcessingResultCode);
        Assert.Equal("ROW1000", result.Units[1000].SearchInfo!.ArbitraryIdentifier);
        Assert.Equal("患者1000", result.Units[1000].Results[0].Name);
        LayoutConformance.Check(file.Content.Span, OqsLayouts.For(OqsMessageKind.BulkQualificationResultResponse),
            encoding == OqsCharacterEncoding.ShiftJis ? Samples.ShiftJis : System.Text.Encoding.UTF8,
            encoding.DeclarationName());

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{encoding}: request {upload.Length / 1024} KiB parsed+validated in {parseTime.TotalMilliseconds:F0} ms ({parseAllocated / 1048576.0:F1} MiB allocated); " +
            $"response {file.Content.Length / 1024} KiB built+checked+written in {writeTime.TotalMilliseconds:F0} ms ({writeAllocated / 1048576.0:F1} MiB allocated)"));
    }
}
