using System.Text;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Requests;

public sealed class OqsRequestReaderTests
{
    private static OqsRequestReadResult ReadQualification(string xml, OqsReadOptions? options = null) =>
        OqsRequestReader.Read(Samples.Utf8(xml), OqsFileName.Parse("OQSsiquc01req_1.xml").Value!, options);

    [Fact]
    public void ParsesAQualificationConfirmationRequestIntoItsModel()
    {
        var result = ReadQualification(Samples.QualificationRequestXml());

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        var request = Assert.IsType<QualificationConfirmationRequest>(result.Request);
        Assert.Equal(Samples.RequestHeader, request.Header);
        Assert.Equal(
            new QualificationConfirmSearchInfo
            {
                InsurerNumber = Samples.InsurerNumber,
                InsuredCardSymbol = "東京あ",
                InsuredIdentificationNumber = "1234567",
                InsuredBranchNumber = "00",
                Birthdate = "19750102",
                LimitApplicationCertificateRelatedConsFlg = "1",
                ArbitraryIdentifier = "P-0001",
            },
            request.SearchInfo);
        Assert.Equal([null], result.RowErrors);
    }

    [Fact]
    public void AcceptsASixDigitNationalInsurerNumberRightJustifiedInEight()
    {
        var padded = Samples.NationalInsurerNumber.PadLeft(8);
        Assert.Equal(8, padded.Length);

        var result = ReadQualification(Samples.QualificationRequestXml(insurer: padded));

        Assert.True(result.IsFileValid);
        Assert.Null(result.RowErrors[0]);
        Assert.Equal(padded, ((QualificationConfirmationRequest)result.Request!).SearchInfo!.InsurerNumber);
        var echo = OqsResponseFactory.Echo(((QualificationConfirmationRequest)result.Request!).SearchInfo);
        Assert.Equal(padded, echo!.InsurerNumber);
    }

    [Theory]
    [InlineData("1384500", OqsErrorCode.FieldFormatInvalid)]
    [InlineData("  138451", OqsErrorCode.InsurerNumberInvalid)]
    [InlineData("33120016", OqsErrorCode.InsurerNumberInvalid)]
    [InlineData("99120012", OqsErrorCode.InsurerNumberInvalid)]
    [InlineData("３３１２００１５", OqsErrorCode.FieldFormatInvalid)]
    [InlineData("3312001X", OqsErrorCode.FieldFormatInvalid)]
    public void RefusesWrongInsurerNumbersForThatPersonOnly(string insurer, OqsErrorCode expected)
    {
        var result = ReadQualification(Samples.QualificationRequestXml(insurer: insurer));

        Assert.True(result.IsFileValid);
        Assert.Equal(expected, result.RowErrors[0]!.Code);
        Assert.Equal("XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsurerNumber", result.RowErrors[0]!.ElementPath);
    }

    [Fact]
    public void RefusesAWrongInstitutionCheckDigitForTheWholeFileAndAnswersWithSegmentNine()
    {
        var result = ReadQualification(Samples.QualificationRequestXml(institution: Samples.InstitutionCodeWrongCheckDigit));

        Assert.Equal(OqsErrorCode.MedicalInstitutionCodeInvalid, result.FileError!.Code);
        Assert.Contains("検証番号", result.FileError.Message, StringComparison.Ordinal);
        Assert.Equal("XmlMsg/MessageHeader/MedicalInstitutionCode", result.FileError.ElementPath);

        var response = OqsResponseFactory.FileError(OqsMessageKind.QualificationConfirmationResponse, result.FileError, result.Request?.Header, Samples.ProcessedAt);
        var file = OqsResponseWriter.Write(response, result.Encoding);
        var text = Encoding.UTF8.GetString(file.Content.Span);
        Assert.Contains("<SegmentOfResult>9</SegmentOfResult>", text, StringComparison.Ordinal);
        Assert.Contains("<ErrorCode>ONSX0106</ErrorCode>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Samples.InstitutionCodeWrongCheckDigit, text, StringComparison.Ordinal);
        Assert.Contains("<ArbitraryFileIdentifier>202609290001</ArbitraryFileIdentifier>", text, StringComparison.Ordinal);
        Assert.True(OqsResponseReader.Read(file.Content.Span, OqsMessageKind.QualificationConfirmationResponse).IsSuccess);
    }

    [Theory]
    [InlineData("20250230", OqsErrorCode.FieldInvalidDate)]
    [InlineData("18000101", OqsErrorCode.FieldInvalidDate)]
    [InlineData("1975-1-2", OqsErrorCode.FieldFormatInvalid)]
    [InlineData("1975010", OqsErrorCode.FieldFormatInvalid)]
    public void RefusesInvalidDatesNamingTheElement(string birthdate, OqsErrorCode expected)
    {
        var error = ReadQualification(Samples.QualificationRequestXml(birthdate: birthdate)).RowErrors[0]!;

        Assert.Equal(expected, error.Code);
        Assert.StartsWith("生年月日（Birthdate）", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(birthdate, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAMissingRequiredElementAsAPersonError()
    {
        var error = ReadQualification(Samples.QualificationRequestXml(birthdate: "")).RowErrors[0]!;

        Assert.Equal(OqsErrorCode.MissingElement, error.Code);
        Assert.Equal("XmlMsg/MessageBody/QualificationConfirmSearchInfo/Birthdate", error.ElementPath);
    }

    [Theory]
    [InlineData("<XmlMsg><MessageHeader>", OqsErrorCode.MalformedXml)]
    [InlineData("<?xml version=\"1.0\"?><XmlMsg><MessageHeader></XmlMsg>", OqsErrorCode.MalformedXml)]
    [InlineData("<?xml version=\"1.0\"?><XmlMsg/><XmlMsg/>", OqsErrorCode.MalformedXml)]
    [InlineData("<?xml version=\"1.0\"?><Other/>", OqsErrorCode.WrongRootElement)]
    [InlineData("<?xml version=\"1.0\"?><XmlMsg xmlns=\"urn:x\"/>", OqsErrorCode.WrongRootElement)]
    [InlineData("just text", OqsErrorCode.MalformedXml)]
    [InlineData("", OqsErrorCode.MalformedXml)]
    [InlineData("<XmlMsg>&unknown;</XmlMsg>", OqsErrorCode.MalformedXml)]
    public void RefusesMalformedXmlWithATypedError(string xml, OqsErrorCode expected)
    {
        var result = ReadQualification(xml);

        Assert.Null(result.Request);
        Assert.Equal(expected, result.FileError!.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.FileError.Message));
    }

    [Fact]
    public void RefusesUnknownElementsInStrictModeAndSkipsThemWhenAskedTo()
    {
        var xml = Samples.QualificationRequestXml(extraSearchElement: "<FavouriteColour><Shade>blue</Shade></FavouriteColour>");

        var strict = ReadQualification(xml);
        Assert.Equal(OqsErrorCode.UnknownElement, strict.FileError!.Code);
        Assert.Equal("XmlMsg/MessageBody/QualificationConfirmSearchInfo/FavouriteColour", strict.FileError.ElementPath);

        var lenient = ReadQualification(xml, new OqsReadOptions { RejectUnknownElements = false });
        Assert.True(lenient.IsFileValid, lenient.FileError?.ToString());
        Assert.Equal("19750102", ((QualificationConfirmationRequest)lenient.Request!).SearchInfo!.Birthdate);
    }

    [Theory]
    [InlineData("<Birthdate>19750102</Birthdate><Birthdate>19750102</Birthdate>", OqsErrorCode.DuplicateElement)]
    [InlineData("<InsurerNumber>33120015</InsurerNumber>", OqsErrorCode.DuplicateElement)]
    public void RefusesDuplicatedElements(string inserted, OqsErrorCode expected)
    {
        var xml = Samples.QualificationRequestXml().Replace("<Birthdate>19750102</Birthdate>", inserted, StringComparison.Ordinal);

        Assert.Equal(expected, ReadQualification(xml).FileError!.Code);
    }

    [Fact]
    public void RefusesElementsOutOfLayoutOrder()
    {
        var xml = Samples.QualificationRequestXml()
            .Replace("<Birthdate>19750102</Birthdate>", "", StringComparison.Ordinal)
            .Replace("<ArbitraryIdentifier>P-0001</ArbitraryIdentifier>", "<ArbitraryIdentifier>P-0001</ArbitraryIdentifier><Birthdate>19750102</Birthdate>", StringComparison.Ordinal);

        var error = ReadQualification(xml).FileError!;

        Assert.Equal(OqsErrorCode.ElementOutOfOrder, error.Code);
        Assert.Equal("XmlMsg/MessageBody/QualificationConfirmSearchInfo/Birthdate", error.ElementPath);
    }

    [Theory]
    [InlineData("<InsurerNumber a=\"1\">33120015</InsurerNumber>", OqsErrorCode.UnexpectedAttribute)]
    [InlineData("<InsurerNumber>3312<b/>0015</InsurerNumber>", OqsErrorCode.UnexpectedContent)]
    public void RefusesAttributesAndMixedContent(string replacement, OqsErrorCode expected)
    {
        var xml = Samples.QualificationRequestXml().Replace("<InsurerNumber>33120015</InsurerNumber>", replacement, StringComparison.Ordinal);

        Assert.Equal(expected, ReadQualification(xml).FileError!.Code);
    }

    [Fact]
    public void RefusesTextDirectlyInsideAContainer()
    {
        var xml = Samples.QualificationRequestXml().Replace("<MessageBody>", "<MessageBody>stray", StringComparison.Ordinal);

        Assert.Equal(OqsErrorCode.UnexpectedContent, ReadQualification(xml).FileError!.Code);
    }

    [Fact]
    public void RefusesFilesLargerThanTheLimitBeforeParsing()
    {
        var bytes = Samples.Utf8(Samples.QualificationRequestXml());

        var result = OqsRequestReader.Read(bytes, OqsMessageKind.QualificationConfirmationRequest, new OqsReadOptions { MaxBytes = bytes.Length - 1 });

        Assert.Equal(OqsErrorCode.FileTooLarge, result.FileError!.Code);
        using var stream = new MemoryStream(bytes);
        Assert.Equal(OqsErrorCode.FileTooLarge, OqsRequestReader.Read(stream, OqsFileName.Parse("OQSsiquc01req_1.xml").Value!, new OqsReadOptions { MaxBytes = 100 }).FileError!.Code);
    }

    [Fact]
    public void RefusesAResponseNameAsRequest() =>
        Assert.Equal(OqsErrorCode.FileNameInvalid, OqsRequestReader.Read(Samples.Utf8(Samples.QualificationRequestXml()), OqsFileName.Parse("OQSsiquc01res_1.xml").Value!).FileError!.Code);

    [Fact]
    public void ParsesReferenceNumberRegistration()
    {
        var xml = $"""
            <?xml version="1.0" encoding="Shift_JIS" standalone="no"?>
            <XmlMsg><MessageHeader><MedicalInstitutionCode>{Samples.InstitutionCode}</MedicalInstitutionCode></MessageHeader>
            <MessageBody><ReferenceNumberRegistrationInfo>
              <ReferenceNumber>診察券-0042</ReferenceNumber><InsurerNumber>{Samples.InsurerNumber}</InsurerNumber>
              <InsuredIdentificationNumber>987</InsuredIdentificationNumber><InsuredBranchNumber>01</InsuredBranchNumber>
            </ReferenceNumberRegistrationInfo></MessageBody></XmlMsg>
            """;

        var result = OqsRequestReader.Read(Samples.Sjis(xml), OqsFileName.Parse("OQSsiimm01req_2021081611906.xml").Value!);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal(OqsCharacterEncoding.ShiftJis, result.Encoding);
        var info = ((ReferenceNumberRegistrationRequest)result.Request!).RegistrationInfo!;
        Assert.Equal("診察券-0042", info.ReferenceNumber);
        Assert.Null(info.InsuredCardSymbol);
        Assert.Equal([null], result.RowErrors);
    }

    [Fact]
    public void ValidatesBulkRowsOneByOneAndAnswersEachRow()
    {
        var rows = new[]
        {
            Samples.SearchInfo(0),
            Samples.SearchInfo(1) with { Birthdate = "20250230" },
            Samples.SearchInfo(2),
            Samples.SearchInfo(4) with { InsurerNumber = null },
        };
        var bytes = OqsRequestWriter.Write(new BulkQualificationConfirmationRequest { Header = Samples.RequestHeader, SearchInfos = rows }, OqsCharacterEncoding.ShiftJis).Content.ToArray();

        var result = OqsRequestReader.Read(bytes, OqsFileName.Parse("OQSmuquc01req_202609290001.xml").Value!);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal(4, result.RowErrors.Count);
        Assert.Null(result.RowErrors[0]);
        Assert.Equal((OqsErrorCode.FieldInvalidDate, 2), (result.RowErrors[1]!.Code, result.RowErrors[1]!.Row!.Value));
        Assert.Null(result.RowErrors[2]);
        Assert.Equal((OqsErrorCode.MissingElement, 4), (result.RowErrors[3]!.Code, result.RowErrors[3]!.Row!.Value));
        Assert.Equal(2, result.ValidRowCount);
    }

    [Fact]
    public void RefusesABulkFileWithoutRowsOrWithTooMany()
    {
        var empty = OqsRequestWriter.Write(new BulkQualificationConfirmationRequest { Header = Samples.RequestHeader }, OqsCharacterEncoding.Utf8);
        Assert.Equal(OqsErrorCode.NoRows, OqsRequestReader.Read(empty.Content.Span, OqsMessageKind.BulkQualificationConfirmationRequest).FileError!.Code);

        var many = OqsRequestWriter.Write(
            new BulkQualificationConfirmationRequest { Header = Samples.RequestHeader, SearchInfos = Enumerable.Range(0, 11).Select(Samples.SearchInfo).ToArray() },
            OqsCharacterEncoding.Utf8);
        var result = OqsRequestReader.Read(many.Content.Span, OqsMessageKind.BulkQualificationConfirmationRequest, new OqsReadOptions { MaxRows = 10 });
        Assert.Equal(OqsErrorCode.TooManyRows, result.FileError!.Code);
    }

    [Fact]
    public void ParsesBulkReferenceNumberRegistrationWithPerRowErrors()
    {
        var request = new BulkReferenceNumberRegistrationRequest
        {
            Header = Samples.RequestHeader with { QualificationConfirmationDate = null },
            RegistrationInfos = new ReferenceNumberRegistrationInfo[]
            {
                new() { ReferenceNumber = "A1", InsurerNumber = Samples.InsurerNumber, InsuredIdentificationNumber = "1" },
                new() { ReferenceNumber = new string('x', 51), InsurerNumber = Samples.InsurerNumber, InsuredIdentificationNumber = "2" },
            },
        };

        var result = OqsRequestReader.Read(OqsRequestWriter.Write(request, OqsCharacterEncoding.Utf8).Content.Span, OqsFileName.Parse("OQSmuimm01req_1.xml").Value!);

        Assert.Equal(request, result.Request);
        Assert.Null(result.RowErrors[0]);
        Assert.Equal(OqsErrorCode.FieldTooLong, result.RowErrors[1]!.Code);
    }

    [Theory]
    [InlineData("OQSmuhvq01req_1.xml", "20260901", "20260930", null, null, "2", null)]
    [InlineData("OQSmuonq01req_1.xml", null, null, "20260901", "20260930", "3", null)]
    [InlineData("OQSmuonq01req_1.xml", null, null, "20260901", "20260930", null, null)]
    [InlineData("OQSmuonq01req_1.xml", null, null, "20260901", "20260930", "2", OqsErrorCode.SearchConditionInvalid)]
    [InlineData("OQSmuhvq01req_1.xml", "20260901", "20260930", "20260901", "20260930", "2", OqsErrorCode.SearchConditionInvalid)]
    [InlineData("OQSmuhvq01req_1.xml", "20260901", null, null, null, "2", OqsErrorCode.SearchConditionInvalid)]
    [InlineData("OQSmuhvq01req_1.xml", null, null, null, null, "2", OqsErrorCode.SearchConditionInvalid)]
    [InlineData("OQSmuhvq01req_1.xml", "20260930", "20260901", null, null, "2", OqsErrorCode.SearchConditionInvalid)]
    [InlineData("OQSmuhvq01req_1.xml", "20260931", "20261001", null, null, "2", OqsErrorCode.FieldInvalidDate)]
    [InlineData("OQSmuhvq01req_1.xml", "20260901", "20260930", null, null, "4", OqsErrorCode.FieldInvalidCode)]
    public void ChecksTheConsentedQualificationSearchCondition(string name, string? consentFrom, string? consentTo, string? examFrom, string? examTo, string? flag, OqsErrorCode? expected)
    {
        var request = new ConsentedQualificationBulkRequest
        {
            Header = Samples.RequestHeader,
            Search = new() { ConsentDateFrom = consentFrom, ConsentDateTo = consentTo, ExaminationDateFrom = examFrom, ExaminationDateTo = examTo, MedicalTreatmentFlag = flag },
        };

        var result = OqsRequestReader.Read(OqsRequestWriter.Write(request, OqsCharacterEncoding.Utf8).Content.Span, OqsFileName.Parse(name).Value!);

        Assert.Equal(expected, result.FileError?.Code);
        Assert.Equal(request, result.Request);
    }

    [Fact]
    public void ReadsTheMedicalAssistanceBulkRequestAsThePublicToolWritesItAndRefusesItWithoutAValidMonth()
    {
        // The shape a public レセコン-side tool writes (Shift_JIS, header without 資格確認日, the month only).
        string Xml(string body) => "<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>\r\n<XmlMsg><MessageHeader>"
            + $"<MedicalInstitutionCode>{Samples.InstitutionCode}</MedicalInstitutionCode><ArbitraryFileIdentifier>MedicalAid_1</ArbitraryFileIdentifier>"
            + $"</MessageHeader><MessageBody><QualificationConfirmSearchInfo>{body}</QualificationConfirmSearchInfo></MessageBody></XmlMsg>";
        var name = OqsFileName.Parse("OQSmutic01req_202612010001.xml").Value!;
        var shiftJis = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(932)!;

        var read = OqsRequestReader.Read(shiftJis.GetBytes(Xml("<MedicalTreatmentMonth>202612</MedicalTreatmentMonth>")), name);

        Assert.True(read.IsFileValid, read.FileError?.ToString());
        Assert.Equal("202612", ((MedicalAssistanceBulkRequest)read.Request!).Search!.MedicalTreatmentMonth);
        Assert.Equal(OqsErrorCode.MissingElement, OqsRequestReader.Read(shiftJis.GetBytes(Xml("")), name).FileError?.Code);
        Assert.Equal(OqsErrorCode.FieldInvalidDate, OqsRequestReader.Read(shiftJis.GetBytes(Xml("<MedicalTreatmentMonth>202613</MedicalTreatmentMonth>")), name).FileError?.Code);
        // A condition this version does not know could change the question: refused, as for the 同意済 conditions.
        Assert.Equal(OqsErrorCode.UnknownElement, OqsRequestReader.Read(
            shiftJis.GetBytes(Xml("<MedicalTreatmentMonth>202612</MedicalTreatmentMonth><MedicalTreatmentFlag>2</MedicalTreatmentFlag>")), name).FileError?.Code);
    }

    [Fact]
    public void ParsesTheSecondPhaseRequestWithItsReceptionNumber()
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><MedicalInstitutionCode>{Samples.InstitutionCode}</MedicalInstitutionCode></MessageHeader><MessageBody><ReceptionNumber>R20260929001</ReceptionNumber></MessageBody></XmlMsg>";

        var result = OqsRequestReader.Read(Samples.Utf8(xml), OqsFileName.Parse("OQSmuquc02req_1.xml").Value!);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal("R20260929001", ((BulkResultRequest)result.Request!).ReceptionNumber);
        var bad = OqsRequestReader.Read(Samples.Utf8(xml.Replace("R20260929001", "R-1", StringComparison.Ordinal)), OqsMessageKind.BulkResultRequest);
        Assert.Equal(OqsErrorCode.FieldFormatInvalid, bad.FileError!.Code);
    }
}
