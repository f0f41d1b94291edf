using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Onshi.Server.AppApi;

/// <summary>Writes refusals as RFC 9457 problem documents with the extra <c>code</c> member the app branches on.</summary>
public static class AppProblems
{
    public const string TypePrefix = "https://onshi.invalid/errors/";

    public static ProblemHttpResult Result(AppRefusal refusal) => TypedResults.Problem(Details(refusal));

    public static ProblemDetails Details(AppRefusal refusal)
    {
        var details = new ProblemDetails
        {
            Type = TypePrefix + refusal.Code,
            Title = refusal.Code,
            Status = refusal.Status,
            Detail = refusal.Message,
        };
        details.Extensions["code"] = refusal.Code;
        return details;
    }
}
