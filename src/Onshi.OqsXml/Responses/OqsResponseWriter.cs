using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.Layout;

namespace Onshi.OqsXml.Responses;

/// <summary>
/// A response model that breaks the layout: a bug in the caller, never caused by a レセコン's input. Also thrown when
/// the model carries a value the layout has no element for (<see cref="OqsErrorCode.FieldNotInLayout"/>, ONSX0401),
/// so nothing is dropped silently.
/// </summary>
public sealed class OqsLayoutViolationException : Exception
{
    public OqsLayoutViolationException()
        : this([])
    {
    }

    public OqsLayoutViolationException(string message)
        : base(message) => Violations = [];

    public OqsLayoutViolationException(string message, Exception innerException)
        : base(message, innerException) => Violations = [];

    public OqsLayoutViolationException(IReadOnlyList<OqsError> violations)
        : base("The response breaks the layout: " + string.Join("; ", violations)) => Violations = violations;

    public IReadOnlyList<OqsError> Violations { get; }
}

/// <summary>
/// Writes responses with the real element names and order, <c>standalone="no"</c>, in the request's encoding,
/// CharacterCodeIdentifier set to match. Before writing it checks the model against the layout table and
/// <see cref="OqsResponseRules"/>, so a wrong response is never put in the <c>res</c> folder.
/// </summary>
public static class OqsResponseWriter
{
    public static OqsWrittenFile Write(OqsResponse response, OqsCharacterEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(response);
        response = response with { Header = response.Header with { CharacterCodeIdentifier = encoding.Identifier() } };
        var dropped = LayoutCoverage.Check(OqsLayouts.For(response.Kind), response);
        if (dropped.Count > 0)
        {
            throw new OqsLayoutViolationException(dropped);
        }

        var violations = OqsResponseRules.Check(response);
        if (violations.Count > 0)
        {
            throw new OqsLayoutViolationException(violations);
        }

        var substitutions = new List<CharacterSubstitution>();
        var text = LayoutWriter.Write(response, OqsLayouts.For(response.Kind), encoding, substitutions);
        return new OqsWrittenFile(OqsEncodings.For(encoding).GetBytes(text), encoding, substitutions);
    }

    /// <summary>The note to log or attach when <see cref="OqsWrittenFile.IsLossy"/>.</summary>
    public static OqsError SubstitutionNote(OqsWrittenFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Substitutions.Count == 0
            ? throw new InvalidOperationException("Nothing was substituted.")
            : new OqsError(OqsErrorCode.CharacterSubstituted, OqsErrorCatalogue.DefaultMessageOf(OqsErrorCode.CharacterSubstituted), file.Substitutions[0].ElementPath);
    }
}

/// <summary>What reading a response produced (for clients of the interface and for round-trip tests).</summary>
public sealed record OqsResponseReadResult(OqsCharacterEncoding Encoding, OqsResponse? Response, OqsError? Error)
{
    public bool IsSuccess => Error is null && Response is not null;
}

/// <summary>Reads a response file with the same strict reader and checks it against the layout and the rules.</summary>
public static class OqsResponseReader
{
    public static OqsResponseReadResult Read(ReadOnlySpan<byte> content, FileNames.OqsMessageKind kind, OqsReadOptions? options = null)
    {
        options ??= OqsReadOptions.Default;
        var layout = OqsLayouts.For(kind);
        if (!typeof(OqsResponse).IsAssignableFrom(layout.ModelType))
        {
            throw new ArgumentException($"{kind} is not a response layout.", nameof(kind));
        }

        var (text, encoding, error) = OqsDocumentDecoder.Decode(content, options);
        if (error is not null)
        {
            return new OqsResponseReadResult(encoding, null, error);
        }

        var (model, structural) = LayoutReader.Read(text!, layout, options);
        if (structural is { Code: OqsErrorCode.UnknownElement or OqsErrorCode.ElementOutOfOrder })
        {
            // Where public evidence on the order is mixed, the other form is read too (docs/receipt-xml.md).
            foreach (var form in layout.ReadOnlyForms)
            {
                var (alternative, error2) = LayoutReader.Read(text!, form, options);
                if (error2 is null)
                {
                    (model, structural) = (Normalize((OqsResponse)alternative!), null);
                    break;
                }
            }
        }

        if (structural is not null)
        {
            return new OqsResponseReadResult(encoding, null, structural);
        }

        var response = (OqsResponse)model!;
        var violations = OqsResponseRules.Check(response);
        if (violations.Count > 0)
        {
            return new OqsResponseReadResult(encoding, response, violations[0]);
        }

        return response.Header.CharacterCodeIdentifier == encoding.Identifier()
            ? new OqsResponseReadResult(encoding, response, null)
            : new OqsResponseReadResult(encoding, response, new OqsError(
                OqsErrorCode.FieldInvalidCode, "文字コード識別（CharacterCodeIdentifier）がファイルの文字コードと一致しません。", "XmlMsg/MessageHeader/CharacterCodeIdentifier"));
    }

    /// <summary>The older form carried 照会番号 in each ResultOfQualificationConfirmation; the model keeps one per person.</summary>
    private static OqsResponse Normalize(OqsResponse response) => response switch
    {
        QualificationConfirmationResponse single => single with { Body = Normalize(single.Body) },
        BulkQualificationResultResponse bulk => bulk with { Units = bulk.Units.Select(Normalize).ToList() },
        _ => response,
    };

    private static QualificationConfirmationResult Normalize(QualificationConfirmationResult result) =>
        result.ReferenceNumber is not null || result.Results.All(r => r.ReferenceNumber is null)
            ? result
            : result with
            {
                ReferenceNumber = result.Results.First(r => r.ReferenceNumber is not null).ReferenceNumber,
                Results = result.Results.Select(r => r with { ReferenceNumber = null }).ToList(),
            };
}
