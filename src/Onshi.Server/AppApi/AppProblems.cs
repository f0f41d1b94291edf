using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Common;

namespace Onshi.Server.AppApi;

/// <summary>Writes refusals as RFC 9457 problem documents with the extra <c>code</c> member the app branches on.</summary>
public static class AppProblems
{
    public const string TypePrefix = "https://onshi.invalid/errors/";

    public static ProblemHttpResult Result(Refusal refusal) => TypedResults.Problem(Details(refusal));

    public static ProblemDetails Details(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var details = new ProblemDetails
        {
            Type = TypePrefix + refusal.Code,
            Title = refusal.Code,
            Status = AppRefusalStatuses.Of(refusal),
            Detail = refusal.Message,
        };
        details.Extensions["code"] = refusal.Code;
        return details;
    }
}
