using System.Text;
using Onshi.Server.Import;

namespace Onshi.Server.Tests.Import;

/// <summary>The streaming CSV reader on input that crosses its 64 KiB buffer in every awkward place.</summary>
public sealed class CsvReaderTests
{
    /// <summary>Each record as its line and its fields joined with "|" (no test value contains one).</summary>
    private static List<(long Line, string Fields)> ReadAll(string text)
    {
        using var reader = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var records = new List<(long, string)>();
        while (reader.Read())
        {
            var record = reader.Record;
            records.Add((record.Line, string.Join("|", Enumerable.Range(0, record.Count).Select(i => record[i].ToString()))));
        }

        return records;
    }

    [Fact]
    public void QuotedFieldsDoubledQuotesAndLineEndsSurviveEveryBufferBoundary()
    {
        // Each record shifts the following ones by one character, so over 70,000 characters the buffer ends at
        // every position of a record: inside quotes, between doubled quotes, between CR and LF, after a comma.
        var text = new StringBuilder("a,b,c\r\n");
        var expected = new List<string> { "a|b|c" };
        for (var i = 0; i < 3_000; i++)
        {
            var padding = new string('x', i % 17);
            text.Append(padding).Append(',').Append("\"say \"\"hi\"\", ").Append(i).Append("\",\"two\nlines\"\r\n");
            expected.Add($"{padding}|say \"hi\", {i}|two\nlines");
        }

        var records = ReadAll(text.ToString());

        Assert.Equal(expected.Count, records.Count);
        Assert.Equal(expected, records.Select(r => r.Fields));
        // A line break inside quotes counts as a line: record k (0-based, after the header) starts on line 2 + 2k.
        Assert.Equal(2L + (2 * 2_999), records[^1].Line);
    }

    [Fact]
    public void BlankLinesAndAMissingFinalLineEndAreRead()
    {
        var records = ReadAll("h1,h2\n\n1,\"\"\n2,x");

        Assert.Equal([(1L, "h1|h2"), (2L, ""), (3L, "1|"), (4L, "2|x")], records);
    }

    [Theory]
    [InlineData("h\nab\"c\n", "csv.stray_quote", 2)]
    [InlineData("h\n\"ab\"c\n", "csv.text_after_quote", 2)]
    [InlineData("h\nok\n\"never closed\n", "csv.unterminated_quote", 3)]
    public void BrokenQuotingStopsTheFileWithItsLine(string text, string code, long line)
    {
        var exception = Assert.Throws<CsvFormatException>(() => ReadAll(text));

        Assert.Equal((code, line), (exception.Code, exception.Line));
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }
}
