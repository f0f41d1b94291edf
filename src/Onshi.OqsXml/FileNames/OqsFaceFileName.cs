using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Onshi.Core.Identifiers;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.FileNames;

/// <summary>
/// The name of an unsolicited result in the <c>face</c> folder:
/// <c>OQSsiquc01res_face_&lt;10-digit 医療機関コード&gt;&lt;token&gt;_&lt;yyyyMMddHHmmss JST&gt;.xml</c>.
/// We write a 22-hex-digit token (11 random bytes); the one public example has 20, so parsing accepts 16–32.
/// </summary>
public sealed partial record OqsFaceFileName
{
    public const string Prefix = "OQSsiquc01res_face_";

    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    private OqsFaceFileName(MedicalInstitutionCode institution, string token, DateTime japanTime)
    {
        Institution = institution;
        Token = token;
        JapanTime = japanTime;
    }

    public MedicalInstitutionCode Institution { get; }

    /// <summary>Lower-case hex that makes the name unique.</summary>
    public string Token { get; }

    /// <summary>The JST wall-clock second in the name.</summary>
    public DateTime JapanTime { get; }

    /// <summary>Builds a name for a result confirmed at <paramref name="confirmedAt"/> (converted to JST).</summary>
    public static OqsFaceFileName Create(MedicalInstitutionCode institution, DateTimeOffset confirmedAt, string? token = null)
    {
        token ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(11));
        if (!TokenPattern().IsMatch(token))
        {
            throw new ArgumentException("The token must be 16-32 hexadecimal digits.", nameof(token));
        }

        var jst = confirmedAt.ToOffset(Jst).DateTime;
        return new OqsFaceFileName(institution, token.ToLowerInvariant(), jst.AddTicks(-(jst.Ticks % TimeSpan.TicksPerSecond)));
    }

    public static OqsResult<OqsFaceFileName> Parse(string? fileName)
    {
        if (fileName is null || fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal)
            || fileName.Contains("..", StringComparison.Ordinal))
        {
            return OqsResult.Fail<OqsFaceFileName>(OqsErrorCatalogue.Create(OqsErrorCode.FileNamePathTraversal));
        }

        var match = FacePattern().Match(fileName);
        if (!match.Success)
        {
            return OqsResult.Fail<OqsFaceFileName>(new OqsError(OqsErrorCode.FileNameInvalid, "face ファイル名の形式（OQSsiquc01res_face_医療機関コード識別子_日時.xml）に合っていません。"));
        }

        var code = MedicalInstitutionCode.Parse(match.Groups["code"].Value);
        if (!code.IsValid)
        {
            return OqsResult.Fail<OqsFaceFileName>(new OqsError(OqsErrorCode.MedicalInstitutionCodeInvalid, code.Error!.Message));
        }

        if (!DateTime.TryParseExact(match.Groups["time"].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return OqsResult.Fail<OqsFaceFileName>(new OqsError(OqsErrorCode.FileNameInvalid, "face ファイル名の日時が正しくありません。"));
        }

        return OqsResult.Ok<OqsFaceFileName>(new OqsFaceFileName(code.Value!.Value, match.Groups["token"].Value.ToLowerInvariant(), time));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Institution.Value}{Token}_{JapanTime:yyyyMMddHHmmss}.xml");

    [GeneratedRegex("^[0-9a-fA-F]{16,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^OQSsiquc01res_face_(?<code>[0-9]{10})(?<token>[0-9a-fA-F]{16,32})_(?<time>[0-9]{14})\.xml$", RegexOptions.CultureInvariant)]
    private static partial Regex FacePattern();
}
