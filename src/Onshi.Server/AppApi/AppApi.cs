using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Onshi.Server.AppSessions;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Devices;

namespace Onshi.Server.AppApi;

/// <summary>The マイナ資格確認アプリ API (docs/app-api.md), under /api/app/v1, every request proven by the device key.</summary>
public static class AppApiEndpoints
{
    public const string Prefix = AppRoutes.Prefix;

    public static RouteGroupBuilder MapAppApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix)
            .AllowAnonymous()
            .AddEndpointFilter<DeviceProofFilter>()
            .WithTags("マイナ資格確認アプリ")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.DisableAntiforgery();

        group.MapPost("/activation", ActivateAsync)
            .WithMetadata(new ProofRequirementMetadata(ProofRequirement.AnyKey))
            .Accepts<ActivationRequest>("application/json")
            .WithName("Activate").WithSummary("初期設定: bind the device key to an activation code")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/sessions", StartSessionAsync)
            .WithMetadata(new ProofRequirementMetadata(ProofRequirement.ActiveDevice))
            .Accepts<StaffLoginRequest>("application/json")
            .WithName("StartSession").WithSummary("Staff login on an activated device")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapDelete("/sessions/current", EndSessionAsync)
            .WithName("EndSession").WithSummary("Logout");

        group.MapGet("/sessions/current", CurrentSession)
            .WithName("CurrentSession").WithSummary("The session is still valid; the institution's purposes and offer as they are now");

        group.MapPost("/card-checks", CheckCardAsync)
            .Accepts<CardCheckRequest>("application/json")
            .WithName("CheckCard").WithSummary("Refuse a card the server cannot accept before the patient is asked for anything")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/challenges", IssueChallengeAsync)
            .WithMetadata(new RecordsProofInOwnTransaction())
            .Accepts<ChallengeRequest>("application/json")
            .WithName("IssueChallenge").WithSummary("A single-use challenge for one identification")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);

        ConfirmationEndpoints.Map(group);
        return group;
    }

    private static async Task<Results<Created<ActivationResponse>, ProblemHttpResult>> ActivateAsync(HttpContext http, ActivateDevice activate)
    {
        if (await AppBody.ReadAsync<ActivationRequest>(http) is not { } request)
        {
            return AppProblems.Result(Refusals.AppRequestInvalid);
        }

        var (refusal, activated) = await activate.ExecuteAsync(request, http.App().Proof.Key, http.RequestAborted);
        if (refusal is not null)
        {
            return AppProblems.Result(refusal);
        }

        var device = activated!.Device;
        return TypedResults.Created($"{Prefix}/devices/{device.Id}", new ActivationResponse(device.Id, device.Label, new InstitutionView(activated.InstitutionCode, activated.InstitutionName)));
    }

    private static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> StartSessionAsync(
        HttpContext http, StartAppSession start, IOptions<AppSessionOptions> options)
    {
        if (await AppBody.ReadAsync<StaffLoginRequest>(http) is not { } request)
        {
            return AppProblems.Result(Refusals.AppRequestInvalid);
        }

        var device = http.App().RequiredDevice;
        var (refusal, started) = await start.ExecuteAsync(device, request, http.RequestAborted);
        if (refusal is not null)
        {
            return AppProblems.Result(refusal);
        }

        var account = started!.Staff.Account;
        var settings = started.Staff.Settings;
        return TypedResults.Created($"{Prefix}/sessions/current", new SessionResponse(
            started.Token,
            options.Value.IdleTimeoutMinutes * 60,
            started.Session.ExpiresAt,
            new SessionUserView(account.UserId, account.Name, account.Role.ToString()),
            new InstitutionView(device.InstitutionCode, device.InstitutionName),
            Purposes.Enabled(settings),
            Consent.InformationTypes.Offered(settings),
            settings.IssuesPrescriptions));
    }

    private static async Task<NoContent> EndSessionAsync(HttpContext http, EndAppSession end)
    {
        var app = http.App();
        await end.ExecuteAsync(app.RequiredDevice, app.RequiredSession, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static Ok<CurrentSessionResponse> CurrentSession(HttpContext http)
    {
        var settings = http.App().RequiredSession.Settings;
        return TypedResults.Ok(new CurrentSessionResponse(Purposes.Enabled(settings), Consent.InformationTypes.Offered(settings), settings.IssuesPrescriptions));
    }

    private static async Task<Results<Ok<CardCheckResponse>, ProblemHttpResult>> CheckCardAsync(HttpContext http, Confirmations.CheckCard check)
    {
        if (await AppBody.ReadAsync<CardCheckRequest>(http) is not { } request)
        {
            return AppProblems.Result(Refusals.AppRequestInvalid);
        }

        var (refusal, response) = await check.ExecuteAsync(http.App().RequiredDevice, http.App().RequiredSession, request, http.RequestAborted);
        return refusal is not null ? AppProblems.Result(refusal) : TypedResults.Ok(response!);
    }

    private static async Task<Results<Created<ChallengeResponse>, ProblemHttpResult>> IssueChallengeAsync(HttpContext http, IssueChallenge issue)
    {
        var app = http.App();
        if (await AppBody.ReadAsync<ChallengeRequest>(http) is not { } request)
        {
            return AppProblems.Result(Refusals.AppRequestInvalid);
        }

        var (refusal, challenge) = await issue.ExecuteAsync(app.RequiredDevice, app.RequiredSession, request.Purpose, http.RequestAborted);
        return refusal is not null
            ? AppProblems.Result(refusal)
            : TypedResults.Created($"{Prefix}/challenges/{challenge!.Id}", new ChallengeResponse(challenge.Id, Base64Url.EncodeToString(challenge.Value), challenge.ExpiresAt));
    }
}
