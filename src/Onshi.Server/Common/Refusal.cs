namespace Onshi.Server.Common;

/// <summary>
/// Why an operation said no: a stable machine code for programs and logs, a Japanese message for people,
/// and (when the refusal is about one form field) the name of that field.
/// </summary>
public sealed record Refusal(string Code, string Message, string? Field = null);
