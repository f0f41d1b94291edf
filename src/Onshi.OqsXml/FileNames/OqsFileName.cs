using System.Globalization;
using System.Text.RegularExpressions;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.FileNames;

/// <summary>
/// A 連携 file name: <c>&lt;API-ID&gt;&lt;NN&gt;req_&lt;任意&gt;.xml</c> or the same with <c>res</c>.
/// The 任意 part is limited to ASCII letters, digits, <c>_</c>, <c>-</c> and single dots (1–100 characters):
/// real レセコン use dates, sequence numbers or timestamps, and anything wider would let a request name a file
/// outside the <c>res</c> folder.
/// </summary>
public sealed partial record OqsFileName
{
    private const int MaxArbitraryLength = 100;

    private OqsFileName(OqsInterface api, int phase, bool isRequest, string arbitrary, string extension)
    {
        Interface = api;
        Phase = phase;
        IsRequest = isRequest;
        Arbitrary = arbitrary;
        Extension = extension;
    }

    public OqsInterface Interface { get; }

    /// <summary>NN: 1 (request/upload) or 2 (bulk result download).</summary>
    public int Phase { get; }

    public bool IsRequest { get; }

    /// <summary>The free part after <c>req_</c>/<c>res_</c>, without the extension.</summary>
    public string Arbitrary { get; }

    /// <summary>The extension as written (<c>xml</c> or <c>XML</c>), kept so the response mirrors the request.</summary>
    public string Extension { get; }

    /// <summary>True for an unsolicited face-reader/app result (<c>OQSsiquc01res_face_…</c>).</summary>
    public bool IsFace => !IsRequest && Interface == OqsInterface.QualificationConfirmation && Arbitrary.StartsWith("face_", StringComparison.Ordinal);

    /// <summary>The layout the file's content follows.</summary>
    public OqsMessageKind MessageKind => IsRequest ? Interface.RequestKind(Phase) : Interface.ResponseKind(Phase);

    public static OqsFileName Create(OqsInterface api, int phase, bool isRequest, string arbitrary)
    {
        var name = Build(api, phase, isRequest, arbitrary, "xml");
        var parsed = Parse(name);
        return parsed.Value ?? throw new ArgumentException(parsed.Error!.Message, nameof(arbitrary));
    }

    /// <summary>Parses a bare file name (no folder). Paths, traversal and unknown API-IDs are refused.</summary>
    public static OqsResult<OqsFileName> Parse(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return Fail(OqsErrorCode.FileNameInvalid, "ファイル名が空です。");
        }

        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal)
            || fileName.Contains(':', StringComparison.Ordinal) || fileName.Contains("..", StringComparison.Ordinal)
            || fileName.Contains('\0', StringComparison.Ordinal))
        {
            return Fail(OqsErrorCode.FileNamePathTraversal, OqsErrorCatalogue.DefaultMessageOf(OqsErrorCode.FileNamePathTraversal));
        }

        var match = NamePattern().Match(fileName);
        if (!match.Success)
        {
            return Fail(OqsErrorCode.FileNameInvalid, OqsErrorCatalogue.DefaultMessageOf(OqsErrorCode.FileNameInvalid));
        }

        var api = FromApiId(match.Groups["api"].Value);
        var phase = match.Groups["nn"].Value[1] - '0';
        if (api is null)
        {
            return Fail(OqsErrorCode.FileNameInvalid, $"API-ID「{match.Groups["api"].Value}」には対応していません。");
        }

        if (phase == 2 && !api.Value.IsTwoPhase())
        {
            return Fail(OqsErrorCode.FileNameInvalid, $"{api.Value.ApiId()} には 02 の要求はありません（01 のみ）。");
        }

        var arbitrary = match.Groups["arb"].Value;
        if (arbitrary.Length > MaxArbitraryLength)
        {
            return Fail(OqsErrorCode.FileNameInvalid, string.Create(CultureInfo.InvariantCulture, $"ファイル名の任意部分は{MaxArbitraryLength}文字以内にしてください。"));
        }

        return OqsResult.Ok<OqsFileName>(new OqsFileName(api.Value, phase, match.Groups["dir"].Value == "req", arbitrary, match.Groups["ext"].Value));
    }

    /// <summary>The name the response to this request gets: same API-ID, NN and 任意 part, <c>res</c> instead of <c>req</c>.</summary>
    public OqsFileName ToResponse() => IsRequest
        ? new OqsFileName(Interface, Phase, false, Arbitrary, Extension)
        : throw new InvalidOperationException("Only a request name has a response name.");

    public override string ToString() => Build(Interface, Phase, IsRequest, Arbitrary, Extension);

    private static string Build(OqsInterface api, int phase, bool isRequest, string arbitrary, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{api.ApiId()}{phase:D2}{(isRequest ? "req" : "res")}_{arbitrary}.{extension}");

    private static OqsInterface? FromApiId(string apiId)
    {
        foreach (var api in Enum.GetValues<OqsInterface>())
        {
            if (api.ApiId() == apiId)
            {
                return api;
            }
        }

        return null;
    }

    private static OqsResult<OqsFileName> Fail(OqsErrorCode code, string message) => OqsResult.Fail<OqsFileName>(new OqsError(code, message));

    [GeneratedRegex(@"^(?<api>OQS[a-z]{5})(?<nn>0[12])(?<dir>req|res)_(?<arb>[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)\.(?<ext>xml|XML)$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
