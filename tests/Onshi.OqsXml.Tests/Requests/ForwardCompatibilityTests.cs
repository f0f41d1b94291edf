using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Requests;

/// <summary>
/// Per-position forward compatibility (docs/receipt-xml.md): an element a newer レセコン adds in the header or the
/// body is skipped and reported; one inside the condition that names the person fails the file; broken structure
/// always fails.
/// </summary>
public sealed class ForwardCompatibilityTests
{
    private static OqsRequestReadResult Read(string xml) =>
        OqsRequestReader.Read(Samples.Utf8(xml), OqsMessageKind.QualificationConfirmationRequest);

    [Fact]
    public void AnswersARequestWithAnUndefinedHeaderElementAndReportsItsPath()
    {
        var xml = Samples.QualificationRequestXml().Replace(
            "</MessageHeader>", "<ResponseCompressionKind>zip</ResponseCompressionKind></MessageHeader>", StringComparison.Ordinal);

        var result = Read(xml);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Null(result.RowErrors[0]);
        Assert.Equal("202609290001", result.Request!.Header!.ArbitraryFileIdentifier);
        Assert.Equal(["XmlMsg/MessageHeader/ResponseCompressionKind"], result.SkippedElements);
    }

    [Fact]
    public void SkipsAnUndefinedNestedElementInTheBodyWholeAndKeepsTheSearchCondition()
    {
        var xml = Samples.QualificationRequestXml().Replace(
            "</MessageBody>", "<FutureOption><Mode>1</Mode><Mode>2</Mode></FutureOption></MessageBody>", StringComparison.Ordinal);

        var result = Read(xml);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal("19750102", ((QualificationConfirmationRequest)result.Request!).SearchInfo!.Birthdate);
        Assert.Equal(["XmlMsg/MessageBody/FutureOption"], result.SkippedElements);
    }

    [Fact]
    public void ReportsAnUndefinedAttributeOnTheHeaderAndRefusesOneOnASearchField()
    {
        var header = Read(Samples.QualificationRequestXml().Replace(
            "<MessageHeader>", "<MessageHeader version=\"2\">", StringComparison.Ordinal));
        Assert.True(header.IsFileValid, header.FileError?.ToString());
        Assert.Equal(["XmlMsg/MessageHeader/@version"], header.SkippedElements);

        var search = Read(Samples.QualificationRequestXml().Replace(
            "<Birthdate>", "<Birthdate calendar=\"wareki\">", StringComparison.Ordinal));
        Assert.Equal(OqsErrorCode.UnexpectedAttribute, search.FileError!.Code);
        Assert.Empty(search.SkippedElements);
    }

    [Fact]
    public void RefusesAnUndefinedElementInsideTheSearchConditionBecauseItCouldNameSomeoneElse()
    {
        var result = Read(Samples.QualificationRequestXml(extraSearchElement: "<KanaName>ヤマダ</KanaName>"));

        Assert.False(result.IsFileValid);
        Assert.Equal(OqsErrorCode.UnknownElement, result.FileError!.Code);
        Assert.Equal("XmlMsg/MessageBody/QualificationConfirmSearchInfo/KanaName", result.FileError.ElementPath);
    }

    [Fact]
    public void RefusesAFileWhoseSearchConditionIsOnlyPresentUnderAnUndefinedWrapper()
    {
        // Skipping the wrapper leaves the required condition missing: refused, never answered for nobody.
        var xml = Samples.QualificationRequestXml()
            .Replace("<QualificationConfirmSearchInfo>", "<SearchInfoV2><QualificationConfirmSearchInfo>", StringComparison.Ordinal)
            .Replace("</QualificationConfirmSearchInfo>", "</QualificationConfirmSearchInfo></SearchInfoV2>", StringComparison.Ordinal);

        var result = Read(xml);

        Assert.False(result.IsFileValid);
        Assert.Equal(OqsErrorCode.MissingElement, result.FileError!.Code);
    }

    [Fact]
    public void StillRefusesKnownElementsOutOfOrderOrTwiceAndTextInTheHeader()
    {
        var outOfOrder = Samples.QualificationRequestXml().Replace(
            "<ArbitraryFileIdentifier>202609290001</ArbitraryFileIdentifier>", "", StringComparison.Ordinal).Replace(
            "<QualificationConfirmationDate>", "<ArbitraryFileIdentifier>x</ArbitraryFileIdentifier><QualificationConfirmationDate>", StringComparison.Ordinal);
        Assert.Equal(OqsErrorCode.ElementOutOfOrder, Read(outOfOrder).FileError!.Code);

        var twice = Samples.QualificationRequestXml().Replace(
            "</MessageHeader>", "<MedicalInstitutionCode>1312345678</MedicalInstitutionCode></MessageHeader>", StringComparison.Ordinal);
        Assert.Equal(OqsErrorCode.DuplicateElement, Read(twice).FileError!.Code);

        var text = Samples.QualificationRequestXml().Replace("<MessageHeader>", "<MessageHeader>stray", StringComparison.Ordinal);
        Assert.Equal(OqsErrorCode.UnexpectedContent, Read(text).FileError!.Code);
    }

    [Fact]
    public void ListsEachSkippedPathOnceForABulkRequestAndNeverItsValue()
    {
        var rows = string.Concat(Enumerable.Range(0, 3).Select(_ =>
            "<QualificationConfirmSearchInfo><InsurerNumber>06132013</InsurerNumber><InsuredIdentificationNumber>1</InsuredIdentificationNumber>"
            + "<Birthdate>19750102</Birthdate></QualificationConfirmSearchInfo><Remark>秘密の値</Remark>"));
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <XmlMsg><MessageHeader><QualificationConfirmationDate>20260929</QualificationConfirmationDate>
            <MedicalInstitutionCode>{Samples.InstitutionCode}</MedicalInstitutionCode></MessageHeader>
            <MessageBody>{rows}</MessageBody></XmlMsg>
            """;

        var result = OqsRequestReader.Read(Samples.Utf8(xml), OqsMessageKind.BulkQualificationConfirmationRequest);

        Assert.Null(result.FileError);
        Assert.Equal(["XmlMsg/MessageBody/Remark"], result.SkippedElements);
        Assert.DoesNotContain(result.SkippedElements, p => p.Contains("秘密", StringComparison.Ordinal));
    }

    [Fact]
    public void TheLenientOptionStillSkipsEverywhereAndReportsWhatItSkipped()
    {
        var xml = Samples.QualificationRequestXml(extraSearchElement: "<KanaName>ヤマダ</KanaName>");

        var result = OqsRequestReader.Read(Samples.Utf8(xml), OqsMessageKind.QualificationConfirmationRequest, new OqsReadOptions { RejectUnknownElements = false });

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal(["XmlMsg/MessageBody/QualificationConfirmSearchInfo/KanaName"], result.SkippedElements);
    }
}
