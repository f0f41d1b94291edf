namespace Onshi.Core.Identifiers;

/// <summary>Which rule an identifier broke. The names are stable machine codes; do not renumber.</summary>
public enum IdentifierErrorCode
{
    Empty = 1,
    WrongLength = 2,
    NotDigits = 3,
    CheckDigitMismatch = 4,
    UnknownPrefecture = 5,
    UnknownScoreTable = 6,
}

/// <summary>
/// Why an identifier was refused: a machine code, the 1-based character position that broke the rule
/// (when one does), and a Japanese sentence for the person who typed it.
/// </summary>
public sealed record IdentifierError(IdentifierErrorCode Code, string Message, int? Position = null)
{
    /// <summary>The stable machine code, e.g. <c>identifier.check_digit_mismatch</c>.</summary>
    public string MachineCode => Code switch
    {
        IdentifierErrorCode.Empty => "identifier.empty",
        IdentifierErrorCode.WrongLength => "identifier.wrong_length",
        IdentifierErrorCode.NotDigits => "identifier.not_digits",
        IdentifierErrorCode.CheckDigitMismatch => "identifier.check_digit_mismatch",
        IdentifierErrorCode.UnknownPrefecture => "identifier.unknown_prefecture",
        IdentifierErrorCode.UnknownScoreTable => "identifier.unknown_score_table",
        _ => "identifier.invalid",
    };
}

/// <summary>The outcome of parsing an identifier: either a value or the first rule it broke.</summary>
public readonly record struct ParseResult<T>(T? Value, IdentifierError? Error)
    where T : struct
{
    public bool IsValid => Error is null;
}

/// <summary>Factory methods for <see cref="ParseResult{T}"/>.</summary>
public static class ParseResult
{
    public static ParseResult<T> Ok<T>(T value) where T : struct => new(value, null);

    public static ParseResult<T> Fail<T>(IdentifierError error) where T : struct => new(null, error);
}
