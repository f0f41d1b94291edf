using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Common;

namespace Onshi.Server.AppApi;

/// <summary>Writes app API refusals as problem documents (<see cref="Problems"/>) with the status of <see cref="AppRefusalStatuses"/>.</summary>
public static class AppProblems
{
    public static ProblemHttpResult Result(Refusal refusal) => TypedResults.Problem(Details(refusal));

    public static ProblemDetails Details(Refusal refusal) => Problems.Details(refusal, AppRefusalStatuses.Of(refusal));
}
