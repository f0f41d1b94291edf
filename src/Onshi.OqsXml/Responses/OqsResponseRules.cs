using System.Globalization;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.Layout;

namespace Onshi.OqsXml.Responses;

/// <summary>
/// The cross-field rules of a response that a per-element table cannot express (the "Conditional" rows of the
/// layout): header error fields only with SegmentOfResult 9, per-person status/code/validity consistency,
/// ReceptionNumber and counters in bulk files. Used by the writer's self-check and by the response reader.
/// </summary>
public static class OqsResponseRules
{
    private const string HeaderPath = "XmlMsg/MessageHeader/";

    /// <summary>Every rule the response breaks: layout rules first, then cross-field rules.</summary>
    public static IReadOnlyList<OqsError> Check(OqsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var layout = OqsLayouts.For(response.Kind);
        var errors = LayoutValidator.Validate(layout.Root, response, layout.Root.Name);
        var header = response.Header;
        var segment = header.SegmentOfResult;

        if (segment == "9")
        {
            Require(errors, header.ErrorCode, "ErrorCode", "SegmentOfResult=9 のときはエラーコードが必要です。");
            Require(errors, header.ErrorMessage, "ErrorMessage", "SegmentOfResult=9 のときはエラーメッセージが必要です。");
        }
        else
        {
            Forbid(errors, header.ErrorCode, "ErrorCode", "エラーコードは SegmentOfResult=9 のときだけ設定します。");
            Forbid(errors, header.ErrorMessage, "ErrorMessage", "エラーメッセージは SegmentOfResult=9 のときだけ設定します。");
            Require(errors, header.MedicalInstitutionCode, "MedicalInstitutionCode", "正常応答には医療機関コードが必要です。");
        }

        switch (response)
        {
            case QualificationConfirmationResponse single when segment == "1":
                Require(errors, header.ReferenceClassification, "ReferenceClassification", "資格確認結果には照会区分が必要です。");
                CheckConfirmation(errors, single.Body, "XmlMsg/MessageBody");
                break;
            case ReferenceNumberRegistrationResponse registration when segment == "1":
                CheckStatus(errors, registration.Body.ProcessingResultStatus, registration.Body.ProcessingResultCode, registration.Body.ProcessingResultMessage, "XmlMsg/MessageBody");
                break;
            case BulkAcceptedResponse when segment is "1" or "2":
                Require(errors, header.ReceptionNumber, "ReceptionNumber", "受付結果には受付番号が必要です。");
                break;
            case BulkQualificationResultResponse bulk:
                CheckBulk(errors, header, bulk.Units.Count, bulk.Units.Count(u => u.ProcessingResultStatus == "1"));
                if (segment == "1")
                {
                    foreach (var unit in bulk.Units)
                    {
                        CheckConfirmation(errors, unit, "XmlMsg/MessageBody/BulkConfirmUnit");
                    }
                }

                break;
            case BulkRegistrationResultResponse bulk:
                CheckBulk(errors, header, bulk.Units.Count, bulk.Units.Count(u => u.ProcessingResultStatus == "1"));
                if (segment == "1")
                {
                    foreach (var unit in bulk.Units)
                    {
                        CheckStatus(errors, unit.ProcessingResultStatus, unit.ProcessingResultCode, unit.ProcessingResultMessage, "XmlMsg/MessageBody/BulkRegistrationUnit");
                    }
                }

                break;
        }

        return errors;
    }

    private static void CheckBulk(List<OqsError> errors, OqsResponseHeader header, int units, int normal)
    {
        if (header.SegmentOfResult is "1" or "2")
        {
            Require(errors, header.ReceptionNumber, "ReceptionNumber", "一括結果には受付番号が必要です。");
        }

        if (header.SegmentOfResult != "1" && units > 0)
        {
            errors.Add(new OqsError(OqsErrorCode.UnexpectedContent, "処理中・異常終了の一括結果に結果単位は設定しません。", "XmlMsg/MessageBody"));
        }

        CheckCount(errors, header.NumberOfProcessingResult, units, "NumberOfProcessingResult");
        CheckCount(errors, header.NumberOfNormalProcessing, normal, "NumberOfNormalProcessing");
        CheckCount(errors, header.NumberOfError, units - normal, "NumberOfError");
    }

    private static void CheckCount(List<OqsError> errors, string? declared, int actual, string element)
    {
        if (declared is not null && declared != actual.ToString(CultureInfo.InvariantCulture))
        {
            errors.Add(new OqsError(
                OqsErrorCode.FieldFormatInvalid,
                string.Create(CultureInfo.InvariantCulture, $"{element} が結果単位の件数（{actual}）と一致しません。"),
                HeaderPath + element));
        }
    }

    private static void CheckConfirmation(List<OqsError> errors, QualificationConfirmationResult result, string path)
    {
        CheckStatus(errors, result.ProcessingResultStatus, result.ProcessingResultCode, result.ProcessingResultMessage, path);
        if (result.ProcessingResultStatus == "1" && result.QualificationValidity is null)
        {
            errors.Add(new OqsError(OqsErrorCode.MissingElement, "正常終了の資格確認結果には資格有効性が必要です。", path + "/QualificationValidity"));
        }

        if (result.QualificationValidity is "1" or "2" or "3" or "5" or "6" && result.Results.Count == 0)
        {
            errors.Add(new OqsError(OqsErrorCode.MissingElement, "資格が該当した結果には資格確認結果（ResultOfQualificationConfirmation）が必要です。", path + "/ResultList"));
        }

        // 医療扶助 and 医療保険 are told apart by 被保険者証区分 A1: tickets on an insurance result, or validity 6
        // (有効（未登録）, 医療扶助 only) / 5 (複数該当, 医療保険 only) on the wrong kind, would mislead the レセコン.
        var hasAssistance = result.Results.Any(r => r.InsuredCardClassification == "A1");
        var hasInsurance = result.Results.Any(r => r.InsuredCardClassification != "A1");
        if (result.Results.Any(r => r.InsuredCardClassification != "A1" && r.MedicalTickets.Count > 0))
        {
            errors.Add(new OqsError(OqsErrorCode.UnexpectedContent, "医療券・調剤券情報は医療扶助（被保険者証区分 A1）の結果にだけ設定します。", path + "/PublicExpenseResultList"));
        }

        if (result.QualificationValidity == "6" && hasInsurance)
        {
            errors.Add(new OqsError(OqsErrorCode.UnexpectedContent, "資格有効性 6（有効（未登録））は医療扶助の結果にだけ設定します。", path + "/QualificationValidity"));
        }

        if (result.QualificationValidity == "5" && hasAssistance)
        {
            errors.Add(new OqsError(OqsErrorCode.UnexpectedContent, "資格有効性 5（複数該当）は医療保険の結果にだけ設定します。", path + "/QualificationValidity"));
        }
    }

    private static void CheckStatus(List<OqsError> errors, string? status, string? code, string? message, string path)
    {
        if (status is null)
        {
            errors.Add(new OqsError(OqsErrorCode.MissingElement, "正常応答には処理結果状況が必要です。", path + "/ProcessingResultStatus"));
        }

        if (status == "2" && code is null)
        {
            errors.Add(new OqsError(OqsErrorCode.MissingElement, "処理結果状況=2 のときは処理結果コードが必要です。", path + "/ProcessingResultCode"));
        }

        if (code is not null && message is null)
        {
            errors.Add(new OqsError(OqsErrorCode.MissingElement, "処理結果コードには処理結果メッセージが必要です。", path + "/ProcessingResultMessage"));
        }
    }

    private static void Require(List<OqsError> errors, string? value, string element, string message)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new OqsError(OqsErrorCode.MissingElement, message, HeaderPath + element));
        }
    }

    private static void Forbid(List<OqsError> errors, string? value, string element, string message)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new OqsError(OqsErrorCode.UnexpectedContent, message, HeaderPath + element));
        }
    }
}
