using Microsoft.AspNetCore.Mvc;

namespace Onshi.Server.Common;

/// <summary>
/// A refusal as an RFC 9457 problem document with the extra <c>code</c> member programs branch on. The status is the
/// caller's: each edge (app API, レセコン API, rate limiter) assigns it from its own table.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "https://onshi.invalid/errors/";

    public static ProblemDetails Details(Refusal refusal, int status)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var details = new ProblemDetails
        {
            Type = TypePrefix + refusal.Code,
            Title = refusal.Code,
            Status = status,
            Detail = refusal.Message,
        };
        details.Extensions["code"] = refusal.Code;
        return details;
    }
}
