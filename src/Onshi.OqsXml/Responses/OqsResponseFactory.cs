using System.Globalization;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Layout;
using Onshi.OqsXml.Requests;

namespace Onshi.OqsXml.Responses;

/// <summary>
/// Builds the responses the interface needs besides a normal result: a file-level refusal (SegmentOfResult 9),
/// a per-person refusal (ProcessingResultStatus 2), "still processing" for a 02req (SegmentOfResult 2), and the
/// header of a normal answer. Echoed request values are copied only when they pass their format, so a response
/// to a bad request is itself always valid.
/// </summary>
public static class OqsResponseFactory
{
    private const int MaxMessageLength = 200;
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    /// <summary>処理実行日時: yyyyMMddHHmmss in Japan time.</summary>
    public static string FormatProcessExecutionTime(DateTimeOffset at) =>
        at.ToOffset(Jst).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>The header of a normal answer (SegmentOfResult 1), echoing the request's header.</summary>
    public static OqsResponseHeader Header(OqsRequestHeader? request, DateTimeOffset processedAt, string segmentOfResult = "1", string? referenceClassification = null) =>
        new()
        {
            ProcessExecutionTime = FormatProcessExecutionTime(processedAt),
            QualificationConfirmationDate = Valid(request?.QualificationConfirmationDate, FieldFormat.Date),
            MedicalInstitutionCode = Valid(request?.MedicalInstitutionCode, FieldFormat.MedicalInstitutionCode),
            ArbitraryFileIdentifier = Valid(request?.ArbitraryFileIdentifier, FieldFormat.Text(50)),
            ReferenceClassification = referenceClassification,
            SegmentOfResult = segmentOfResult,
        };

    /// <summary>A refusal of the whole file: SegmentOfResult 9 with ErrorCode and ErrorMessage, in the right response type.</summary>
    public static OqsResponse FileError(OqsMessageKind responseKind, OqsError error, OqsRequestHeader? request, DateTimeOffset processedAt)
    {
        ArgumentNullException.ThrowIfNull(error);
        var header = Header(request, processedAt, "9") with { ErrorCode = error.WireCode, ErrorMessage = Truncate(error.Message) };
        return responseKind switch
        {
            OqsMessageKind.QualificationConfirmationResponse => new QualificationConfirmationResponse { Header = header },
            OqsMessageKind.ReferenceNumberRegistrationResponse => new ReferenceNumberRegistrationResponse { Header = header },
            OqsMessageKind.BulkAcceptedResponse => new BulkAcceptedResponse { Header = header },
            OqsMessageKind.BulkQualificationResultResponse => new BulkQualificationResultResponse { Header = header },
            OqsMessageKind.BulkRegistrationResultResponse => new BulkRegistrationResultResponse { Header = header },
            _ => throw new ArgumentException($"{responseKind} is not a response layout.", nameof(responseKind)),
        };
    }

    /// <summary>Acceptance of a bulk upload (01res): ReceptionNumber in the header.</summary>
    public static BulkAcceptedResponse Accepted(OqsRequestHeader request, string receptionNumber, DateTimeOffset processedAt) =>
        new() { Header = Header(request, processedAt) with { ReceptionNumber = receptionNumber } };

    /// <summary>"Not ready yet" for a 02req: SegmentOfResult 2 and no result units.</summary>
    public static OqsResponse Processing(OqsMessageKind responseKind, OqsRequestHeader request, string receptionNumber, DateTimeOffset processedAt)
    {
        var header = Header(request, processedAt, "2") with { ReceptionNumber = receptionNumber };
        return responseKind switch
        {
            OqsMessageKind.BulkQualificationResultResponse => new BulkQualificationResultResponse { Header = header },
            OqsMessageKind.BulkRegistrationResultResponse => new BulkRegistrationResultResponse { Header = header },
            _ => throw new ArgumentException($"{responseKind} is not a bulk result layout.", nameof(responseKind)),
        };
    }

    /// <summary>A per-person refusal: ProcessingResultStatus 2, the error's code and message, the valid part of the echo.</summary>
    public static QualificationConfirmationResult RowError(OqsError error, QualificationConfirmSearchInfo? request)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new()
        {
            ProcessingResultStatus = "2",
            ProcessingResultCode = error.WireCode,
            ProcessingResultMessage = Truncate(error.Message),
            SearchInfo = Echo(request),
        };
    }

    /// <summary>A per-row refusal of a 照会番号 registration.</summary>
    public static ReferenceNumberRegistrationResult RegistrationRowError(OqsError error, ReferenceNumberRegistrationInfo? request)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new()
        {
            RegistrationInfo = Echo(request),
            ProcessingResultStatus = "2",
            ProcessingResultCode = error.WireCode,
            ProcessingResultMessage = Truncate(error.Message),
        };
    }

    /// <summary>The request's search info with every field that fails its format dropped; null when nothing is left.</summary>
    public static QualificationConfirmSearchInfo? Echo(QualificationConfirmSearchInfo? request)
    {
        if (request is null)
        {
            return null;
        }

        var echo = new QualificationConfirmSearchInfo
        {
            InsurerNumber = Valid(request.InsurerNumber, FieldFormat.InsurerNumber),
            InsuredCardSymbol = Valid(request.InsuredCardSymbol, FieldFormat.Text(20)),
            InsuredIdentificationNumber = Valid(request.InsuredIdentificationNumber, FieldFormat.Text(20)),
            InsuredBranchNumber = Valid(request.InsuredBranchNumber, FieldFormat.BranchNumber),
            Birthdate = Valid(request.Birthdate, FieldFormat.Date),
            LimitApplicationCertificateRelatedConsFlg = Valid(request.LimitApplicationCertificateRelatedConsFlg, FieldFormat.Code(OqsCodeSets.ConsentFlag)),
            ArbitraryIdentifier = Valid(request.ArbitraryIdentifier, FieldFormat.Text(50)),
        };
        return echo == new QualificationConfirmSearchInfo() ? null : echo;
    }

    public static ReferenceNumberRegistrationInfo? Echo(ReferenceNumberRegistrationInfo? request)
    {
        if (request is null)
        {
            return null;
        }

        var echo = new ReferenceNumberRegistrationInfo
        {
            ReferenceNumber = Valid(request.ReferenceNumber, FieldFormat.Text(50)),
            InsurerNumber = Valid(request.InsurerNumber, FieldFormat.InsurerNumber),
            InsuredCardSymbol = Valid(request.InsuredCardSymbol, FieldFormat.Text(20)),
            InsuredIdentificationNumber = Valid(request.InsuredIdentificationNumber, FieldFormat.Text(20)),
            InsuredBranchNumber = Valid(request.InsuredBranchNumber, FieldFormat.BranchNumber),
        };
        return echo == new ReferenceNumberRegistrationInfo() ? null : echo;
    }

    private static string? Valid(string? value, FieldFormat format) =>
        string.IsNullOrWhiteSpace(value) || format.Check(value, "", "") is not null ? null : value;

    private static string Truncate(string message)
    {
        var runes = message.EnumerateRunes().ToArray();
        return runes.Length <= MaxMessageLength ? message : string.Concat(runes.Take(MaxMessageLength - 1).Select(r => r.ToString())) + "…";
    }
}
