using Onshi.OqsXml;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;

namespace Onshi.Server.Receipt;

/// <summary>
/// The JSON API applies exactly the rules of the folder interface: the request is written in its XML layout and read
/// back with the strict reader of Onshi.OqsXml, which yields the same file-level and row-level errors a request file
/// would get. One rule book for both doors.
/// </summary>
public static class OqsValidation
{
    public static OqsRequestReadResult Validate(OqsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var written = OqsRequestWriter.Write(request, OqsCharacterEncoding.Utf8);
        return OqsRequestReader.Read(written.Content.Span, request.Kind, new OqsReadOptions { MaxRows = 100_000, MaxBytes = 256 * 1024 * 1024 });
    }

    /// <summary>For 同意済 bulk: the file name decides the 診療区分, here the kind does.</summary>
    public static OqsInterface InterfaceOf(BulkJobKind kind) => kind switch
    {
        BulkJobKind.QualificationConfirmation => OqsInterface.BulkQualificationConfirmation,
        BulkJobKind.ReferenceNumberRegistration => OqsInterface.BulkReferenceNumberRegistration,
        BulkJobKind.ConsentedHomeVisit => OqsInterface.ConsentedHomeVisit,
        BulkJobKind.MedicalAssistance => OqsInterface.MedicalAssistanceBulk,
        _ => OqsInterface.ConsentedOnline,
    };
}
