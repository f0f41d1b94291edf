using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml;

/// <summary>Either a value or the typed error that refused the input. Parsing never throws for bad input.</summary>
public sealed record OqsResult<T>(T? Value, OqsError? Error)
    where T : class
{
    public bool IsSuccess => Error is null && Value is not null;
}

/// <summary>Factory methods for <see cref="OqsResult{T}"/>.</summary>
public static class OqsResult
{
    public static OqsResult<T> Ok<T>(T value) where T : class => new(value, null);

    public static OqsResult<T> Fail<T>(OqsError error) where T : class => new(null, error);
}
