using Onshi.Core.Identifiers;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;

namespace Onshi.OqsXml.Tests.FileNames;

public sealed class OqsFileNameTests
{
    [Theory]
    [InlineData("OQSsiquc01req_202609290001.xml", OqsInterface.QualificationConfirmation, 1, OqsMessageKind.QualificationConfirmationRequest, "OQSsiquc01res_202609290001.xml", OqsMessageKind.QualificationConfirmationResponse)]
    [InlineData("OQSsiimm01req_2021081611906.xml", OqsInterface.ReferenceNumberRegistration, 1, OqsMessageKind.ReferenceNumberRegistrationRequest, "OQSsiimm01res_2021081611906.xml", OqsMessageKind.ReferenceNumberRegistrationResponse)]
    [InlineData("OQSmuquc01req_a-b_c.d.xml", OqsInterface.BulkQualificationConfirmation, 1, OqsMessageKind.BulkQualificationConfirmationRequest, "OQSmuquc01res_a-b_c.d.xml", OqsMessageKind.BulkAcceptedResponse)]
    [InlineData("OQSmuquc02req_X.xml", OqsInterface.BulkQualificationConfirmation, 2, OqsMessageKind.BulkResultRequest, "OQSmuquc02res_X.xml", OqsMessageKind.BulkQualificationResultResponse)]
    [InlineData("OQSmuimm01req_202609290001.xml", OqsInterface.BulkReferenceNumberRegistration, 1, OqsMessageKind.BulkReferenceNumberRegistrationRequest, "OQSmuimm01res_202609290001.xml", OqsMessageKind.BulkAcceptedResponse)]
    [InlineData("OQSmuimm02req_1.XML", OqsInterface.BulkReferenceNumberRegistration, 2, OqsMessageKind.BulkResultRequest, "OQSmuimm02res_1.XML", OqsMessageKind.BulkRegistrationResultResponse)]
    [InlineData("OQSmuhvq01req_1.xml", OqsInterface.ConsentedHomeVisit, 1, OqsMessageKind.ConsentedQualificationBulkRequest, "OQSmuhvq01res_1.xml", OqsMessageKind.BulkAcceptedResponse)]
    [InlineData("OQSmuhvq02req_1.xml", OqsInterface.ConsentedHomeVisit, 2, OqsMessageKind.BulkResultRequest, "OQSmuhvq02res_1.xml", OqsMessageKind.BulkQualificationResultResponse)]
    [InlineData("OQSmuonq01req_1.xml", OqsInterface.ConsentedOnline, 1, OqsMessageKind.ConsentedQualificationBulkRequest, "OQSmuonq01res_1.xml", OqsMessageKind.BulkAcceptedResponse)]
    [InlineData("OQSmuonq02req_1.xml", OqsInterface.ConsentedOnline, 2, OqsMessageKind.BulkResultRequest, "OQSmuonq02res_1.xml", OqsMessageKind.BulkQualificationResultResponse)]
    [InlineData("OQSmutic01req_202612010001.xml", OqsInterface.MedicalAssistanceBulk, 1, OqsMessageKind.MedicalAssistanceBulkRequest, "OQSmutic01res_202612010001.xml", OqsMessageKind.BulkAcceptedResponse)]
    [InlineData("OQSmutic02req_1.xml", OqsInterface.MedicalAssistanceBulk, 2, OqsMessageKind.BulkResultRequest, "OQSmutic02res_1.xml", OqsMessageKind.BulkQualificationResultResponse)]
    public void ParsesEveryRequestNameAndNamesItsResponse(string name, OqsInterface api, int phase, OqsMessageKind kind, string responseName, OqsMessageKind responseKind)
    {
        var parsed = OqsFileName.Parse(name);

        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        var file = parsed.Value!;
        Assert.Equal(api, file.Interface);
        Assert.Equal(phase, file.Phase);
        Assert.True(file.IsRequest);
        Assert.Equal(kind, file.MessageKind);
        Assert.Equal(name, file.ToString());
        var response = file.ToResponse();
        Assert.Equal(responseName, response.ToString());
        Assert.Equal(responseKind, response.MessageKind);
        Assert.Equal(response, OqsFileName.Parse(responseName).Value);
    }

    [Theory]
    [InlineData("../OQSsiquc01req_a.xml", OqsErrorCode.FileNamePathTraversal)]
    [InlineData("res/OQSsiquc01req_a.xml", OqsErrorCode.FileNamePathTraversal)]
    [InlineData("..\\OQSsiquc01req_a.xml", OqsErrorCode.FileNamePathTraversal)]
    [InlineData("C:OQSsiquc01req_a.xml", OqsErrorCode.FileNamePathTraversal)]
    [InlineData("OQSsiquc01req_a..b.xml", OqsErrorCode.FileNamePathTraversal)]
    [InlineData("OQSsiquc01req_a\0.xml", OqsErrorCode.FileNamePathTraversal)]
    [InlineData("OQSsiquc02req_a.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiimm02req_a.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSxxxxx01req_a.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc03req_a.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc01req_.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc01req_a.txt", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc01req_a b.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc01req_日本.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("oqssiquc01req_a.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc01req_a.xml.tmp", OqsErrorCode.FileNameInvalid)]
    [InlineData(".OQSsiquc01req_a.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("", OqsErrorCode.FileNameInvalid)]
    [InlineData(null, OqsErrorCode.FileNameInvalid)]
    public void RefusesPathsTraversalAndOddNamesWithAClearCode(string? name, OqsErrorCode expected)
    {
        var parsed = OqsFileName.Parse(name);

        Assert.False(parsed.IsSuccess);
        Assert.Equal(expected, parsed.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Error.Message));
    }

    [Fact]
    public void RefusesAnArbitraryPartLongerThanOneHundredCharacters()
    {
        Assert.True(OqsFileName.Parse("OQSsiquc01req_" + new string('a', 100) + ".xml").IsSuccess);
        Assert.Equal(OqsErrorCode.FileNameInvalid, OqsFileName.Parse("OQSsiquc01req_" + new string('a', 101) + ".xml").Error!.Code);
    }

    [Fact]
    public void AResponseNameHasNoResponseName()
    {
        var response = OqsFileName.Parse("OQSsiquc01res_a.xml").Value!;
        Assert.Throws<InvalidOperationException>(response.ToResponse);
    }

    [Fact]
    public void BuildsFaceNamesFromInstitutionJapanTimeAndA22HexToken()
    {
        var code = MedicalInstitutionCode.Parse("2714206386").Value!.Value;

        var name = OqsFaceFileName.Create(code, new DateTimeOffset(2026, 9, 29, 7, 1, 12, 345, TimeSpan.Zero));

        Assert.Matches("^OQSsiquc01res_face_2714206386[0-9a-f]{22}_20260929160112\\.xml$", name.ToString());
        var reparsed = OqsFaceFileName.Parse(name.ToString());
        Assert.True(reparsed.IsSuccess);
        Assert.Equal(name, reparsed.Value);
        Assert.NotEqual(name.Token, OqsFaceFileName.Create(code, DateTimeOffset.UnixEpoch).Token);
        Assert.True(OqsFileName.Parse(name.ToString()).Value!.IsFace);
    }

    [Fact]
    public void ParsesThePublishedFaceFileExample()
    {
        var parsed = OqsFaceFileName.Parse("OQSsiquc01res_face_27142063864da5260a16de5a3d3ad7_20260929160112.xml");

        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        Assert.Equal("2714206386", parsed.Value!.Institution.Value);
        Assert.Equal("4da5260a16de5a3d3ad7", parsed.Value.Token);
        Assert.Equal(new DateTime(2026, 9, 29, 16, 1, 12), parsed.Value.JapanTime);
    }

    [Theory]
    [InlineData("OQSsiquc01res_face_27142063874da5260a16de5a3d3ad7_20260929160112.xml", OqsErrorCode.MedicalInstitutionCodeInvalid)]
    [InlineData("OQSsiquc01res_face_2714206386zz_20260929160112.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("OQSsiquc01res_face_27142063864da5260a16de5a3d3ad7_20261329160112.xml", OqsErrorCode.FileNameInvalid)]
    [InlineData("../OQSsiquc01res_face_27142063864da5260a16de5a3d3ad7_20260929160112.xml", OqsErrorCode.FileNamePathTraversal)]
    public void RefusesBrokenFaceNames(string name, OqsErrorCode expected) =>
        Assert.Equal(expected, OqsFaceFileName.Parse(name).Error!.Code);
}
