using System.Text;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Encodings;

public sealed class EncodingTests
{
    [Fact]
    public void ReadsAShiftJisRequestAndRemembersItsEncoding()
    {
        var bytes = Samples.Sjis(Samples.QualificationRequestXml("Shift_JIS", symbol: "髙橋①ｱ"));
        Assert.NotEqual(Samples.Utf8(Samples.QualificationRequestXml("Shift_JIS", symbol: "髙橋①ｱ")), bytes);

        var result = OqsRequestReader.Read(bytes, OqsMessageKind.QualificationConfirmationRequest);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal(OqsCharacterEncoding.ShiftJis, result.Encoding);
        Assert.Equal("髙橋①ｱ", ((QualificationConfirmationRequest)result.Request!).SearchInfo!.InsuredCardSymbol);
    }

    [Theory]
    [InlineData("UTF-8", false)]
    [InlineData("utf-8", true)]
    public void ReadsUtf8WithOrWithoutByteOrderMark(string declared, bool bom)
    {
        var body = Samples.Utf8(Samples.QualificationRequestXml(declared));
        var bytes = bom ? [0xEF, 0xBB, 0xBF, .. body] : body;

        var result = OqsRequestReader.Read(bytes, OqsMessageKind.QualificationConfirmationRequest);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal(OqsCharacterEncoding.Utf8, result.Encoding);
        Assert.Equal("東京あ", ((QualificationConfirmationRequest)result.Request!).SearchInfo!.InsuredCardSymbol);
    }

    [Fact]
    public void TreatsAFileWithoutDeclarationAsUtf8()
    {
        var xml = Samples.QualificationRequestXml();
        var result = OqsRequestReader.Read(Samples.Utf8(xml[(xml.IndexOf('\n', StringComparison.Ordinal) + 1)..]), OqsMessageKind.QualificationConfirmationRequest);

        Assert.True(result.IsFileValid, result.FileError?.ToString());
        Assert.Equal(OqsCharacterEncoding.Utf8, result.Encoding);
    }

    [Theory]
    [InlineData("EUC-JP")]
    [InlineData("UTF-16")]
    [InlineData("ISO-2022-JP")]
    public void RefusesEncodingsOtherThanUtf8AndShiftJis(string declared)
    {
        var result = OqsRequestReader.Read(Samples.Utf8(Samples.QualificationRequestXml(declared)), OqsMessageKind.QualificationConfirmationRequest);

        Assert.Equal(OqsErrorCode.EncodingUnsupported, result.FileError!.Code);
    }

    [Fact]
    public void RefusesShiftJisBytesDeclaredAsUtf8InsteadOfGuessing()
    {
        var result = OqsRequestReader.Read(Samples.Sjis(Samples.QualificationRequestXml("UTF-8")), OqsMessageKind.QualificationConfirmationRequest);

        Assert.Equal(OqsErrorCode.EncodingInvalidBytes, result.FileError!.Code);
        Assert.Contains("UTF-8", result.FileError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesUtf16ByteOrderMark()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Samples.QualificationRequestXml())).ToArray();

        Assert.Equal(OqsErrorCode.EncodingUnsupported, OqsRequestReader.Read(bytes, OqsMessageKind.QualificationConfirmationRequest).FileError!.Code);
    }

    [Fact]
    public void WritesAShiftJisResponseWithIdentifierOneAndGetaForUnrepresentableCharacters()
    {
        var response = Samples.NormalResponse(name: "𠮷田　é〜子");

        var file = OqsResponseWriter.Write(response, OqsCharacterEncoding.ShiftJis);

        var text = Samples.ShiftJis.GetString(file.Content.Span);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>", text, StringComparison.Ordinal);
        Assert.Contains("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>", text, StringComparison.Ordinal);
        Assert.Contains("<Name>〓田　〓～子</Name>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("?田", text, StringComparison.Ordinal);
        Assert.True(file.IsLossy);
        var inName = file.Substitutions.Where(s => s.ElementPath.EndsWith("/ResultOfQualificationConfirmation/Name", StringComparison.Ordinal)).ToList();
        Assert.Equal(["𠮷", "é"], inName.Select(s => s.Original));
        Assert.Equal([0, 4], inName.Select(s => s.Index));
        Assert.Equal(OqsErrorCode.CharacterSubstituted, OqsResponseWriter.SubstitutionNote(file).Code);

        var reread = OqsResponseReader.Read(file.Content.Span, OqsMessageKind.QualificationConfirmationResponse);
        Assert.True(reread.IsSuccess, reread.Error?.ToString());
        Assert.Equal("〓田　〓～子", ((QualificationConfirmationResponse)reread.Response!).Body.Results[0].Name);
    }

    [Fact]
    public void WritesUtf8ResponsesLosslesslyWithIdentifierZero()
    {
        var file = OqsResponseWriter.Write(Samples.NormalResponse(name: "𠮷田　é〜子"), OqsCharacterEncoding.Utf8);

        var text = Encoding.UTF8.GetString(file.Content.Span);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>", text, StringComparison.Ordinal);
        Assert.Contains("<CharacterCodeIdentifier>0</CharacterCodeIdentifier>", text, StringComparison.Ordinal);
        Assert.Contains("<Name>𠮷田　é〜子</Name>", text, StringComparison.Ordinal);
        Assert.False(file.IsLossy);
        Assert.False(file.Content.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]));
    }

    [Fact]
    public void MapsJisMappingDifferencesToTheirCp932FormWithoutCallingThemLossy()
    {
        var file = OqsResponseWriter.Write(Samples.NormalResponse(name: "〜−‖¢£¬—"), OqsCharacterEncoding.ShiftJis);

        Assert.False(file.IsLossy);
        Assert.Contains("<Name>～－∥￠￡￢―</Name>", Samples.ShiftJis.GetString(file.Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void TheResponseFollowsTheRequestsEncoding()
    {
        foreach (var (bytes, expected) in new[]
        {
            (Samples.Sjis(Samples.QualificationRequestXml("Shift_JIS")), "1"),
            (Samples.Utf8(Samples.QualificationRequestXml()), "0"),
        })
        {
            var read = OqsRequestReader.Read(bytes, OqsMessageKind.QualificationConfirmationRequest);
            var file = OqsResponseWriter.Write(Samples.NormalResponse(), read.Encoding);
            var back = OqsResponseReader.Read(file.Content.Span, OqsMessageKind.QualificationConfirmationResponse);
            Assert.Equal(expected, back.Response!.Header.CharacterCodeIdentifier);
            Assert.Equal(read.Encoding, back.Encoding);
        }
    }
}
