using System.Text;
using CsCheck;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.OqsXml.Tests.Support;

namespace Onshi.OqsXml.Tests;

public sealed class PropertyTests
{
    private static readonly OqsMessageKind[] RequestKinds =
    [
        OqsMessageKind.QualificationConfirmationRequest, OqsMessageKind.ReferenceNumberRegistrationRequest,
        OqsMessageKind.BulkQualificationConfirmationRequest, OqsMessageKind.BulkReferenceNumberRegistrationRequest,
        OqsMessageKind.ConsentedQualificationBulkRequest, OqsMessageKind.MedicalAssistanceBulkRequest, OqsMessageKind.BulkResultRequest,
    ];

    private static readonly byte[][] Seeds =
    [
        Samples.Utf8(Samples.QualificationRequestXml()),
        Samples.Sjis(Samples.QualificationRequestXml("Shift_JIS")),
        OqsRequestWriter.Write(RandomModels.BulkRequest(new Random(1), 5), OqsCharacterEncoding.ShiftJis).Content.ToArray(),
        OqsResponseWriter.Write(Samples.NormalResponse(), OqsCharacterEncoding.Utf8).Content.ToArray(),
    ];

    [Fact]
    public void GarbledInputNeverThrowsAndAlwaysEndsInARequestOrATypedError()
    {
        var garbled = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 3], Gen.Int[1, 40], Gen.Byte.Array[1, 8], Gen.Int.Positive)
            .Select(t => Mutate(Seeds[t.Item1], t.Item2, t.Item3, t.Item4, t.Item5));

        Gen.OneOf(garbled, Gen.Byte.Array[0, 400]).Sample(bytes =>
        {
            foreach (var kind in RequestKinds)
            {
                var result = OqsRequestReader.Read(bytes, kind);
                Assert.True(result.IsFileValid || result.FileError is not null);
                Assert.False(string.IsNullOrWhiteSpace(result.FileError?.Message ?? "ok"));
            }

            var response = OqsResponseReader.Read(bytes, OqsMessageKind.QualificationConfirmationResponse);
            Assert.True(response.IsSuccess || response.Error is not null);
        }, iter: 3000);
    }

    [Fact]
    public void ArbitraryFileNamesNeverThrow() =>
        Gen.String.Sample(name =>
        {
            var parsed = OqsFileName.Parse(name);
            Assert.True(parsed.IsSuccess || parsed.Error is not null);
            var face = OqsFaceFileName.Parse(name);
            Assert.True(face.IsSuccess || face.Error is not null);
        }, iter: 5000);

    [Fact]
    public void AnyValidResponseWrittenThenReadBackIsEqual() =>
        Gen.Select(Gen.Int, Gen.Bool).Sample((seed, shiftJis) =>
        {
            var response = RandomModels.ConfirmationResponse(new Random(seed));
            var encoding = shiftJis ? OqsCharacterEncoding.ShiftJis : OqsCharacterEncoding.Utf8;

            var file = OqsResponseWriter.Write(response, encoding);
            LayoutConformance.Check(file.Content.Span, OqsLayouts.For(response.Kind), shiftJis ? Samples.ShiftJis : Encoding.UTF8, shiftJis ? "Shift_JIS" : "UTF-8");
            var back = OqsResponseReader.Read(file.Content.Span, response.Kind);

            Assert.False(file.IsLossy);
            Assert.True(back.IsSuccess, back.Error?.ToString());
            Assert.Equal(response with { Header = response.Header with { CharacterCodeIdentifier = encoding.Identifier() } }, back.Response);
        }, iter: 400);

    [Fact]
    public void AnyValidBulkRequestWrittenThenReadBackIsEqualWithoutRowErrors() =>
        Gen.Select(Gen.Int, Gen.Int[1, 30], Gen.Bool).Sample((seed, rows, shiftJis) =>
        {
            var request = RandomModels.BulkRequest(new Random(seed), rows);
            var encoding = shiftJis ? OqsCharacterEncoding.ShiftJis : OqsCharacterEncoding.Utf8;

            var result = OqsRequestReader.Read(OqsRequestWriter.Write(request, encoding).Content.Span, OqsMessageKind.BulkQualificationConfirmationRequest);

            Assert.True(result.IsFileValid, result.FileError?.ToString());
            Assert.Equal(encoding, result.Encoding);
            Assert.Equal(request, result.Request);
            Assert.All(result.RowErrors, Assert.Null);
        }, iter: 300);

    private static byte[] Mutate(byte[] seed, int kind, int count, byte[] noise, int position)
    {
        var bytes = seed.ToList();
        for (var i = 0; i < count && bytes.Count > 0; i++)
        {
            var at = (position + (i * 7919)) % bytes.Count;
            switch (kind)
            {
                case 0:
                    bytes[at] = noise[i % noise.Length];
                    break;
                case 1:
                    bytes.InsertRange(at, noise);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(noise.Length, bytes.Count - at));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
