using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests.Requests;

/// <summary>DTDs, entity expansion and external entities are refused before anything is resolved or expanded.</summary>
public sealed class XmlAttackTests
{
    [Fact]
    public void RefusesExternalEntitiesWithoutReadingTheFile()
    {
        var secret = Path.Combine(Path.GetTempPath(), "onshi-xxe-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(secret, "SECRET-MARKER");
        try
        {
            var xml = $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE XmlMsg [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <XmlMsg><MessageHeader><ArbitraryFileIdentifier>&xxe;</ArbitraryFileIdentifier></MessageHeader></XmlMsg>
                """;

            var result = OqsRequestReader.Read(Samples.Utf8(xml), OqsMessageKind.QualificationConfirmationRequest);

            Assert.Equal(OqsErrorCode.DtdProhibited, result.FileError!.Code);
            Assert.Null(result.Request);
            Assert.DoesNotContain("SECRET-MARKER", result.FileError.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void RefusesEntityExpansionBombs()
    {
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY e{i} \"{string.Concat(Enumerable.Repeat($"&e{i - 1};", 10))}\">"));
        var xml = $"<?xml version=\"1.0\"?>\n<!DOCTYPE XmlMsg [ <!ENTITY e0 \"lol\">\n{entities} ]>\n<XmlMsg><MessageHeader><ArbitraryFileIdentifier>&e9;</ArbitraryFileIdentifier></MessageHeader></XmlMsg>";

        Assert.Equal(OqsErrorCode.DtdProhibited, OqsRequestReader.Read(Samples.Utf8(xml), OqsMessageKind.QualificationConfirmationRequest).FileError!.Code);
    }

    [Fact]
    public void RefusesAnExternalDtdReference()
    {
        const string xml = "<?xml version=\"1.0\"?><!DOCTYPE XmlMsg SYSTEM \"http://127.0.0.1:1/evil.dtd\"><XmlMsg/>";

        Assert.Equal(OqsErrorCode.DtdProhibited, OqsRequestReader.Read(Samples.Utf8(xml), OqsMessageKind.QualificationConfirmationRequest).FileError!.Code);
    }
}
