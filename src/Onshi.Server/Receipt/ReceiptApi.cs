using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.Server.Receipt;

/// <summary>
/// /api/receipt/v1: the operations of the 連携 folder interface as JSON, for the agent and for new integrations.
/// Every endpoint requires a 連携アプリ用アカウント (HTTP Basic, <see cref="MachineAuthenticationHandler"/>), and every
/// request that names a 医療機関コード must name the account's own.
/// </summary>
public static class ReceiptApi
{
    public const string Prefix = "/api/receipt/v1";

    public static void MapReceiptApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix)
            .RequireAuthorization(MachineAuthenticationHandler.Policy)
            .WithTags("レセコン連携")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/qualification-confirmations", ConfirmAsync)
            .WithName("ReceiptConfirmByInsuranceCard").WithSummary("資格確認 by 被保険者証情報 (OQSsiquc01)");
        group.MapPost("/reference-numbers", RegisterAsync)
            .WithName("ReceiptRegisterReferenceNumber").WithSummary("照会番号登録 (OQSsiimm01)");
        group.MapPost("/bulk-requests", AcceptBulkAsync)
            .WithName("ReceiptAcceptBulk").WithSummary("Bulk upload (OQSmuquc01, OQSmuimm01, OQSmuhvq01, OQSmuonq01): returns the 受付番号");
        group.MapGet("/bulk-requests/{receptionNumber}", GetBulkAsync)
            .WithName("ReceiptGetBulk").WithSummary("Bulk result (…02): status processing (SegmentOfResult 2) or completed");
        group.MapGet("/confirmations/feed", FeedAsync)
            .WithName("ReceiptConfirmationFeed").WithSummary("New app confirmations of the institution after a cursor (the face files)");
    }

    private static async Task<Results<Ok<QualificationConfirmationResult>, ProblemHttpResult>> ConfirmAsync(
        ConfirmByInsuranceCardRequest body, HttpContext http, ReceiptOperations operations)
    {
        var caller = MachineCaller.From(http.User);
        var request = new QualificationConfirmationRequest
        {
            Header = new OqsRequestHeader { MedicalInstitutionCode = body.MedicalInstitutionCode, QualificationConfirmationDate = body.QualificationConfirmationDate },
            SearchInfo = body.SearchInfo,
        };
        if (Check(request, caller) is { } refused)
        {
            return refused;
        }

        var validated = OqsValidation.Validate(request);
        var accessed = new List<long>(1);
        var result = await operations.ConfirmAsync(caller.InstitutionId, body.SearchInfo, validated.RowErrors[0], operations.AsOf(body.QualificationConfirmationDate), null, http.RequestAborted, accessed);
        await operations.RecordAccessAsync(caller.InstitutionId, caller.MachineAccountId, "receipt.qualification_confirmed", accessed.Count == 0 ? "person:none" : $"person:{accessed[0]}", accessed, null, http.RequestAborted);
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<ReferenceNumberRegistrationResult>, ProblemHttpResult>> RegisterAsync(
        RegisterReferenceNumberRequest body, HttpContext http, ReceiptOperations operations)
    {
        var caller = MachineCaller.From(http.User);
        var request = new ReferenceNumberRegistrationRequest
        {
            Header = new OqsRequestHeader { MedicalInstitutionCode = body.MedicalInstitutionCode },
            RegistrationInfo = body.RegistrationInfo,
        };
        if (Check(request, caller) is { } refused)
        {
            return refused;
        }

        var validated = OqsValidation.Validate(request);
        return TypedResults.Ok(await operations.RegisterAsync(caller.ToRequester(), body.RegistrationInfo, validated.RowErrors[0], http.RequestAborted));
    }

    private static async Task<Results<Accepted<BulkAccepted>, ProblemHttpResult>> AcceptBulkAsync(
        BulkRequestBody body, HttpContext http, BulkJobs jobs, Microsoft.Extensions.Options.IOptions<ReceiptOptions> options,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        var caller = MachineCaller.From(http.User);
        if (BulkKinds.Parse(body.Kind) is not { } kind)
        {
            return ReceiptProblems.Result(ReceiptRefusals.RequestInvalid);
        }

        var header = new OqsRequestHeader { MedicalInstitutionCode = body.MedicalInstitutionCode, QualificationConfirmationDate = body.QualificationConfirmationDate };
        OqsRequest request = kind switch
        {
            BulkJobKind.QualificationConfirmation => new BulkQualificationConfirmationRequest { Header = header, SearchInfos = (body.SearchInfos ?? []).ToList() },
            BulkJobKind.ReferenceNumberRegistration => new BulkReferenceNumberRegistrationRequest { Header = header, RegistrationInfos = (body.RegistrationInfos ?? []).ToList() },
            BulkJobKind.MedicalAssistance => new MedicalAssistanceBulkRequest { Header = header, Search = body.MedicalAssistanceSearch },
            _ => new ConsentedQualificationBulkRequest { Header = header, Search = body.Search },
        };
        var rows = body.SearchInfos?.Count ?? body.RegistrationInfos?.Count ?? 0;
        if (rows > options.Value.MaxBulkRows)
        {
            return ReceiptProblems.Result(OqsXml.Errors.OqsErrorCatalogue.Create(OqsXml.Errors.OqsErrorCode.TooManyRows));
        }

        if (Check(request, caller) is { } refused)
        {
            return refused;
        }

        if (request is ConsentedQualificationBulkRequest { Search.MedicalTreatmentFlag: { } flag } && flag != (kind == BulkJobKind.ConsentedHomeVisit ? "2" : "3"))
        {
            return ReceiptProblems.Result(new OqsXml.Errors.OqsError(OqsXml.Errors.OqsErrorCode.SearchConditionInvalid, "診療区分（MedicalTreatmentFlag）が一括取得の種類と一致しません。"));
        }

        var key = idempotencyKey is { Length: > 0 and <= 100 } ? idempotencyKey : null;
        var job = await jobs.AcceptAsync(caller, kind, body with { Kind = BulkKinds.ToWire(kind) }, rows, key, http.RequestAborted);
        return TypedResults.Accepted($"{Prefix}/bulk-requests/{job.ReceptionNumber}", new BulkAccepted(job.ReceptionNumber, BulkKinds.ToWire(job.Kind), job.RowCount, job.AcceptedAt));
    }

    private static async Task<Results<Ok<BulkResult>, ProblemHttpResult>> GetBulkAsync(string receptionNumber, HttpContext http, BulkJobs jobs, string? kind = null)
    {
        var caller = MachineCaller.From(http.User);
        BulkJobKind? expected = null;
        if (kind is not null)
        {
            if (BulkKinds.Parse(kind) is not { } parsed)
            {
                return ReceiptProblems.Result(ReceiptRefusals.RequestInvalid);
            }

            expected = parsed;
        }

        var (refusal, result) = await jobs.GetAsync(caller, receptionNumber, expected, http.RequestAborted);
        return refusal is not null ? ReceiptProblems.Result(refusal) : TypedResults.Ok(result!);
    }

    private static async Task<Ok<FeedPage>> FeedAsync(HttpContext http, ReceiptFeed feed, long after = 0, int limit = 50)
    {
        var caller = MachineCaller.From(http.User);
        return TypedResults.Ok(await feed.ReadAsync(caller.InstitutionId, caller.InstitutionCode, after, limit, http.RequestAborted));
    }

    /// <summary>File-level rules of the layout (header, structure, search condition), then the institution of the account.</summary>
    private static ProblemHttpResult? Check(OqsRequest request, MachineCaller caller)
    {
        var validated = OqsValidation.Validate(request);
        if (validated.FileError is { } error)
        {
            return ReceiptProblems.Result(error);
        }

        return request.Header.MedicalInstitutionCode != caller.InstitutionCode ? ReceiptProblems.Result(ReceiptRefusals.InstitutionMismatch) : null;
    }
}
