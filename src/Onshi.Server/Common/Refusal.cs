namespace Onshi.Server.Common;

/// <summary>
/// Why an operation said no: a stable machine code for programs and logs, a Japanese message for people,
/// and (when the refusal is about one form field) the name of that field.
/// </summary>
public sealed record Refusal(string Code, string Message, string? Field = null)
{
    /// <summary>
    /// True when the refusal is about who asks (role), not what was asked: pages answer 403 for it, so that a role
    /// refusal inside an operation can never pass for "authorized, then refused on the form's content" (422).
    /// </summary>
    public bool Forbids { get; init; }
}
