namespace Onshi.Server.Common;

/// <summary>The outcome of a security operation: either a value or one or more refusals, never both.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "OperationResult<T>.Ok(...) reads better at call sites than a separate factory class.")]
public sealed class OperationResult<T>
{
    private OperationResult(T? value, IReadOnlyList<Refusal> refusals)
    {
        Value = value;
        Refusals = refusals;
    }

    public T? Value { get; }

    public IReadOnlyList<Refusal> Refusals { get; }

    public bool Succeeded => Refusals.Count == 0;

    /// <summary>The first refusal, for callers that show only one message.</summary>
    public Refusal? Refusal => Refusals.Count == 0 ? null : Refusals[0];

    /// <summary>Lets a caller write <c>var (refusal, value) = await operation.ExecuteAsync(…)</c> and branch on the refusal.</summary>
    public void Deconstruct(out Refusal? refusal, out T? value)
    {
        refusal = Refusal;
        value = Value;
    }

    public static OperationResult<T> Ok(T value) => new(value, []);

    public static OperationResult<T> Fail(Refusal refusal) => new(default, [refusal]);

    public static OperationResult<T> Fail(IReadOnlyList<Refusal> refusals) =>
        refusals.Count == 0 ? throw new ArgumentException("A failure needs at least one refusal.", nameof(refusals)) : new(default, refusals);
}
