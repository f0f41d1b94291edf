using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.AppApi;
using Onshi.Server.Data;

namespace Onshi.Server.Confirmations;

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
            return AppProblems.Result(AppRefusals.IdempotencyKeyRequired);
        }

        if (await AppBody.ReadBytesAsync(http) is not { } body)
        {
            return AppProblems.Result(AppRefusals.RequestInvalid);
        }

        // The operation gets the parsed command and the hash of the body as sent (a retry must repeat it byte for byte).
        var request = AppBody.Deserialize<ConfirmationRequest>(json.Value.SerializerOptions, body);
        var outcome = await confirm.ExecuteAsync(app.RequiredDevice, app.RequiredSession, key, request, SHA256.HashData(body), http.RequestAborted);
        metrics.Confirmation(body, outcome.Refusal?.Code ?? (outcome.Replayed ? "replayed" : "confirmed"), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (outcome.Refusal is not null)
        {
            return AppProblems.Result(outcome.Refusal);
        }

        if (!outcome.Replayed)
        {
            http.Response.Headers.Location = $"{AppApiEndpoints.Prefix}/confirmations/{outcome.ConfirmationId}";
        }

        return TypedResults.Text(outcome.ResultJson!, "application/json", Encoding.UTF8, outcome.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, AppDbContext db)
    {
        var device = http.App().RequiredDevice;

        // Only the device that made it: another device (even of the same institution) gets 404, not 403.
        var json = await db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == id && c.DeviceId == device.Id)
            .Select(c => c.ResultJson)
            .SingleOrDefaultAsync(http.RequestAborted);
        return json is null ? AppProblems.Result(AppRefusals.ConfirmationNotFound) : TypedResults.Text(json, "application/json", Encoding.UTF8, StatusCodes.Status200OK);
    }
}
