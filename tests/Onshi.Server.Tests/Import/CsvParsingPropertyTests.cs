using System.Text;
using CsCheck;
using Onshi.Server.Import;

namespace Onshi.Server.Tests.Import;

/// <summary>
/// The CSV import's parsing without a database: RFC 4180 text comes back field for field, and any bytes in any of the
/// ten file types end in parsed rows, row errors or a file-level format error, never another exception.
/// </summary>
public sealed class CsvParsingPropertyTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The fuzzer's seed files (fuzz/corpus/csv, copied next to the tests): first byte = file type, then one valid file.</summary>
    private static readonly byte[][] Seeds = [.. Enumerable.Range(0, 10).Select(i => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz-corpus-csv", "type" + i)))];

    private static readonly Gen<string> Field = Gen.Frequency(
        (40, Gen.Char["ab,\"\r\n あ漢ｶ\t;'"].Array[0, 12].Select(c => new string(c))),
        (1, Gen.Int[60_000, 70_000].Select(n => new string('"', n / 2) + new string('x', n / 2))));

    [Fact]
    public void RecordsWrittenWithRfc4180QuotingAreReadBackFieldForField() =>
        Gen.Select(Field.List[1, 6].List[1, 8], Gen.Bool, Gen.Bool).Sample((records, crlf, quoteAll) =>
        {
            var text = new StringBuilder();
            foreach (var record in records)
            {
                text.AppendJoin(',', record.Select(field => quoteAll || field.AsSpan().ContainsAny(",\"\r\n") || field.Length == 0 && record.Count == 1
                    ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
                    : field));
                text.Append(crlf ? "\r\n" : "\n");
            }

            using var reader = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
            foreach (var expected in records)
            {
                Assert.True(reader.Read());
                Assert.Equal(expected, [.. Enumerable.Range(0, reader.Record.Count).Select(i => reader.Record[i].ToString())]);
            }

            Assert.False(reader.Read());
        }, iter: 150);

    [Fact]
    public void TheSeedFilesOfEveryTypeParseWithoutAnyError()
    {
        // Otherwise mutations mostly explore the refusal of one broken seed instead of the row parsers' other paths.
        var outcomes = Seeds.Select(ParseAll).ToList();
        Assert.All(outcomes, o => Assert.Null(o.FileError));
        Assert.Empty(outcomes.SelectMany(o => o.RowErrors));
        Assert.All(outcomes, o => Assert.True(o.Rows > 0));
    }

    [Fact]
    public void MutatedFilesOfEveryTypeEndInRowsRowErrorsOrAFormatError() =>
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 3], Gen.Int[0, 100_000], Gen.Byte.Array[1, 16]).Sample((type, kind, position, noise) =>
        {
            var seed = Seeds[type];
            var at = 1 + (position % (seed.Length - 1));
            byte[] mutated = kind switch
            {
                0 => [.. seed[..at], .. noise, .. seed[Math.Min(seed.Length, at + noise.Length)..]],
                1 => [.. seed[..at], .. noise, .. seed[at..]],
                2 => seed[..at],
                _ => [.. seed[..at], .. seed[Math.Min(seed.Length, at + noise.Length)..]],
            };

            var outcome = ParseAll(mutated);
            Assert.True(outcome.FileError is null || outcome.FileError.Code.StartsWith("csv.", StringComparison.Ordinal));
            Assert.All(outcome.RowErrors, e => Assert.True(e.Code.StartsWith("row.", StringComparison.Ordinal) && e.Line >= 2 && e.Message.Length > 0, e.ToString()));
        }, iter: 1500);

    [Fact]
    public void ArbitraryBytesAreRowsRowErrorsOrAFormatError() =>
        Gen.Byte.Array[1, 600].Sample(bytes =>
        {
            var outcome = ParseAll(bytes);
            Assert.True(outcome.FileError is null || outcome.FileError.Code.StartsWith("csv.", StringComparison.Ordinal));
        }, iter: 1500);

    private sealed record Outcome(int Rows, List<ImportError> RowErrors, CsvFormatException? FileError);

    /// <summary>What the importer does per record (column count first, then the type's parser), minus the database.</summary>
    private static Outcome ParseAll(byte[] input)
    {
        var insurers = new HashSet<string>(StringComparer.Ordinal) { "06139992", "01130012" };
        return (input[0] % 10) switch
        {
            0 => ParseAll(new InsurerFile(), input, insurers),
            1 => ParseAll(new PersonFile(), input, insurers),
            2 => ParseAll(new ElderlyCertificateFile(), input, insurers),
            3 => ParseAll(new LimitCertificateFile(), input, insurers),
            4 => ParseAll(new SpecificDiseaseCertificateFile(), input, insurers),
            5 => ParseAll(new MedicationFile(), input, insurers),
            6 => ParseAll(new CheckupFile(), input, insurers),
            7 => ParseAll(new TreatmentFile(), input, insurers),
            8 => ParseAll(new SurgeryFile(), input, insurers),
            _ => ParseAll(new CardLinkFile(At), input, insurers),
        };
    }

    private static Outcome ParseAll<TRow>(ImportFileType<TRow> type, byte[] input, ISet<string> insurers)
        where TRow : class
    {
        var rows = 0;
        var errors = new List<ImportError>();
        using var reader = new CsvReader(new MemoryStream(input, 1, input.Length - 1));
        var fields = new FieldReader(type.Columns, insurers);
        try
        {
            if (!reader.Read())
            {
                return new Outcome(0, errors, null);
            }

            while (reader.Read())
            {
                if (reader.Record.IsBlank || reader.Record.Count != type.Columns.Count)
                {
                    continue;
                }

                fields.Begin(reader.Record);
                var row = type.Parse(fields);
                Assert.Equal(row is null, fields.HasErrors);
                errors.AddRange(fields.RowErrors);
                rows += row is null ? 0 : 1;
            }
        }
        catch (CsvFormatException error)
        {
            return new Outcome(rows, errors, error);
        }

        return new Outcome(rows, errors, null);
    }
}
