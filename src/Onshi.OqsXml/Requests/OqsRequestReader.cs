using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;

namespace Onshi.OqsXml.Requests;

/// <summary>
/// Reads a request file strictly and securely: UTF-8 or Shift_JIS from the declaration, no DTD, no external
/// resolution, bounded size and row count, every element checked against the layout table. Bad input never
/// throws; it comes back as a typed <see cref="OqsError"/> — for the file, or per person row in bulk requests.
/// </summary>
public static class OqsRequestReader
{
    private const string HeaderPath = "XmlMsg/MessageHeader";
    private const string BodyPath = "XmlMsg/MessageBody";

    /// <summary>Reads a request, taking its layout from the file name (which must be a <c>…req_</c> name).</summary>
    public static OqsRequestReadResult Read(ReadOnlySpan<byte> content, OqsFileName fileName, OqsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!fileName.IsRequest)
        {
            return new OqsRequestReadResult { FileError = new OqsError(OqsErrorCode.FileNameInvalid, "要求ファイル（…req_…）ではありません。") };
        }

        var result = Read(content, fileName.MessageKind, options);
        if (result is { IsFileValid: true, Request: ConsentedQualificationBulkRequest consented }
            && consented.Search?.MedicalTreatmentFlag is { } flag)
        {
            var expected = fileName.Interface == OqsInterface.ConsentedHomeVisit ? "2" : "3";
            if (flag != expected)
            {
                return result with
                {
                    FileError = new OqsError(
                        OqsErrorCode.SearchConditionInvalid,
                        $"診療区分（MedicalTreatmentFlag）は {fileName.Interface.ApiId()} では {expected} を指定してください。",
                        BodyPath + "/QualificationConfirmSearchInfo/MedicalTreatmentFlag"),
                };
            }
        }

        return result;
    }

    /// <summary>Reads at most <see cref="OqsReadOptions.MaxBytes"/> + 1 bytes from the stream, then parses.</summary>
    public static OqsRequestReadResult Read(Stream content, OqsFileName fileName, OqsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Read(OqsDocumentDecoder.ReadBounded(content, options ?? OqsReadOptions.Default), fileName, options);
    }

    /// <summary>Reads a request of a known layout.</summary>
    public static OqsRequestReadResult Read(ReadOnlySpan<byte> content, OqsMessageKind kind, OqsReadOptions? options = null)
    {
        options ??= OqsReadOptions.Default;
        var layout = OqsLayouts.For(kind);
        if (!typeof(OqsRequest).IsAssignableFrom(layout.ModelType))
        {
            throw new ArgumentException($"{kind} is not a request layout.", nameof(kind));
        }

        var (text, encoding, decodeError) = OqsDocumentDecoder.Decode(content, options);
        if (decodeError is not null)
        {
            return new OqsRequestReadResult { Encoding = encoding, FileError = decodeError };
        }

        var (model, structuralError, skipped) = LayoutReader.ReadReporting(text!, layout, options);
        if (structuralError is not null)
        {
            return new OqsRequestReadResult { Encoding = encoding, FileError = structuralError };
        }

        var request = (OqsRequest)model!;
        var result = new OqsRequestReadResult { Encoding = encoding, Request = request, SkippedElements = new EquatableList<string>(skipped) };
        var headerErrors = LayoutValidator.Validate(layout.Root.Children[0], request.Header, HeaderPath);
        if (headerErrors.Count > 0)
        {
            return result with { FileError = headerErrors[0] };
        }

        var body = layout.Root.Children[1];
        return request switch
        {
            QualificationConfirmationRequest or ReferenceNumberRegistrationRequest => SingleRow(result, body, request),
            BulkQualificationConfirmationRequest or BulkReferenceNumberRegistrationRequest => BulkRows(result, body, request),
            ConsentedQualificationBulkRequest consented => SearchCondition(result, body, consented),
            MedicalAssistanceBulkRequest assistance => MonthCondition(result, body, assistance),
            _ => WholeBody(result, body, request),
        };
    }

    private static OqsRequestReadResult SingleRow(OqsRequestReadResult result, LayoutNode body, OqsRequest request)
    {
        var node = body.Children[0];
        var path = BodyPath + "/" + node.Name;
        if (node.GetValue(request) is not { } row)
        {
            return result with { FileError = OqsErrorCatalogue.ForElement(OqsErrorCode.MissingElement, node.JapaneseName, path) };
        }

        var errors = LayoutValidator.Validate(node, row, path);
        return result with { RowErrors = new OqsError?[] { errors.FirstOrDefault() } };
    }

    private static OqsRequestReadResult BulkRows(OqsRequestReadResult result, LayoutNode body, OqsRequest request)
    {
        var node = body.Children[0];
        var path = BodyPath + "/" + node.Name;
        var rows = (IReadOnlyList<object>)node.GetValue(request)!;
        if (rows.Count == 0)
        {
            return result with { FileError = new OqsError(OqsErrorCode.NoRows, OqsErrorCatalogue.DefaultMessageOf(OqsErrorCode.NoRows), path) };
        }

        var rowErrors = new OqsError?[rows.Count];
        var errors = new List<OqsError>();
        for (var i = 0; i < rows.Count; i++)
        {
            errors.Clear();
            LayoutValidator.Validate(node, rows[i], path, errors);
            rowErrors[i] = errors.Count > 0 ? errors[0].WithRow(i + 1) : null;
        }

        return result with { RowErrors = rowErrors };
    }

    /// <summary>The 診療年月 condition is file-level, as the 同意済 conditions are: without it there is no question to answer.</summary>
    private static OqsRequestReadResult MonthCondition(OqsRequestReadResult result, LayoutNode body, MedicalAssistanceBulkRequest request)
    {
        var node = body.Children[0];
        var path = BodyPath + "/" + node.Name;
        if (request.Search is not { } search)
        {
            return result with { FileError = OqsErrorCatalogue.ForElement(OqsErrorCode.MissingElement, node.JapaneseName, path) };
        }

        var errors = LayoutValidator.Validate(node, search, path);
        return errors.Count > 0 ? result with { FileError = errors[0] } : result;
    }

    private static OqsRequestReadResult SearchCondition(OqsRequestReadResult result, LayoutNode body, ConsentedQualificationBulkRequest request)
    {
        var node = body.Children[0];
        var path = BodyPath + "/" + node.Name;
        if (request.Search is not { } search)
        {
            return result with { FileError = OqsErrorCatalogue.ForElement(OqsErrorCode.MissingElement, node.JapaneseName, path) };
        }

        var errors = LayoutValidator.Validate(node, search, path);
        if (errors.Count > 0)
        {
            return result with { FileError = errors[0] };
        }

        var consent = Pair(search.ConsentDateFrom, search.ConsentDateTo);
        var examination = Pair(search.ExaminationDateFrom, search.ExaminationDateTo);
        if (consent is null || examination is null || consent == examination)
        {
            return result with
            {
                FileError = new OqsError(
                    OqsErrorCode.SearchConditionInvalid,
                    "同意年月日（ConsentDateFrom/To）か受診日（ExaminationDateFrom/To）のどちらか一方を、開始・終了の組で指定してください。",
                    path),
            };
        }

        var (from, to) = consent == true ? (search.ConsentDateFrom!, search.ConsentDateTo!) : (search.ExaminationDateFrom!, search.ExaminationDateTo!);
        return string.CompareOrdinal(from, to) > 0
            ? result with { FileError = new OqsError(OqsErrorCode.SearchConditionInvalid, "開始日が終了日より後になっています。", path) }
            : result;
    }

    /// <summary>True when both ends are given, false when neither, null when only one.</summary>
    private static bool? Pair(string? from, string? to) => (from is null, to is null) switch
    {
        (false, false) => true,
        (true, true) => false,
        _ => null,
    };

    private static OqsRequestReadResult WholeBody(OqsRequestReadResult result, LayoutNode body, OqsRequest request)
    {
        var errors = LayoutValidator.Validate(body, request, BodyPath);
        return errors.Count > 0 ? result with { FileError = errors[0] } : result;
    }
}
