using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Common;
using Onshi.Server.Confirmations;
using Onshi.Server.Data;

namespace Onshi.Server.AppApi;

public static class ConfirmationEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/confirmations", ConfirmAsync)
            .WithMetadata(new RecordsProofInOwnTransaction())
            .Accepts<ConfirmationRequest>("application/json")
            .Produces<ConfirmationResponse>(StatusCodes.Status201Created)
            .Produces<ConfirmationResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("Confirm").WithSummary("Identification, consent and qualification result in one idempotent call");

        group.MapGet("/confirmations/{id:guid}", GetAsync)
            .Produces<ConfirmationResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetConfirmation").WithSummary("A stored result, for the device that made it");
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, ConfirmQualification confirm, Hosting.OnshiMetrics metrics, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var span = Hosting.OnshiMetrics.Activities.StartActivity("onshi.confirmation");
        var app = http.App();
        var keys = http.Request.Headers[IdempotencyHeader];
        if (keys.Count != 1 || !Guid.TryParse(keys[0], out var key))
        {
            return AppProblems.Result(ConfirmationRefusals.IdempotencyKeyRequired);
        }

        if (await AppBody.ReadBytesAsync(http) is not { } body)
        {
            return AppProblems.Result(Refusals.AppRequestInvalid);
        }

        // The operation gets the parsed command and the hash of the body as sent (a retry must repeat it byte for byte).
        var request = AppBody.Deserialize<ConfirmationRequest>(json.Value.SerializerOptions, body);
        var outcome = await confirm.ExecuteAsync(app.RequiredDevice, app.RequiredSession, key, request, SHA256.HashData(body), http.RequestAborted);
        var (refusal, answer) = outcome;
        metrics.Confirmation(body, refusal?.Code ?? (answer!.Replayed ? "replayed" : "confirmed"), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (refusal is not null)
        {
            return AppProblems.Result(refusal);
        }

        if (!answer!.Replayed)
        {
            http.Response.Headers.Location = $"{AppApiEndpoints.Prefix}/confirmations/{answer.ConfirmationId}";
        }

        return TypedResults.Text(answer.ResultJson, "application/json", Encoding.UTF8, answer.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, AppDbContext db)
    {
        var device = http.App().RequiredDevice;

        // Only the device that made it: another device (even of the same institution) gets 404, not 403.
        var json = await db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == id && c.DeviceId == device.Id)
            .Select(c => c.ResultJson)
            .SingleOrDefaultAsync(http.RequestAborted);
        return json is null ? AppProblems.Result(ConfirmationRefusals.ConfirmationNotFound) : TypedResults.Text(json, "application/json", Encoding.UTF8, StatusCodes.Status200OK);
    }
}
