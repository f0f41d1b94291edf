using System.Collections.Frozen;

namespace Onshi.Core.Codes;

/// <summary>Why a wire code was refused. The names are stable machine codes; do not renumber.</summary>
public enum CodeErrorKind
{
    /// <summary>No value was given.</summary>
    Empty = 1,

    /// <summary>The value is not in the table.</summary>
    Unknown = 2,
}

/// <summary>A refused wire code: a machine code and a Japanese sentence naming the table and the value.</summary>
public sealed record CodeError(CodeErrorKind Kind, string TableId, string Message)
{
    /// <summary>The stable machine code: <c>code.empty</c> or <c>code.unknown</c>.</summary>
    public string MachineCode => Kind switch
    {
        CodeErrorKind.Empty => "code.empty",
        CodeErrorKind.Unknown => "code.unknown",
        _ => "code.invalid",
    };
}

/// <summary>The outcome of parsing a wire code: a value, or why not.</summary>
public readonly record struct CodeParseResult<TEnum>(TEnum? Value, CodeError? Error)
    where TEnum : struct, Enum
{
    /// <summary>True when the code was in the table.</summary>
    public bool IsValid => Error is null;
}

/// <summary>One row of a code table.</summary>
/// <param name="Value">The enum value programs use.</param>
/// <param name="Code">The wire code exactly as the XML carries it (e.g. <c>"010"</c>, <c>"A01"</c>, <c>"1"</c>).</param>
/// <param name="Label">The Japanese label of the specification.</param>
public sealed record CodeEntry<TEnum>(TEnum Value, string Code, string Label)
    where TEnum : struct, Enum;

/// <summary>
/// A code table of the qualification interfaces (業務コード OQSCDxxx of 別紙5-1, or a documented value set):
/// enum ↔ wire code ↔ Japanese label. Wire codes are strings, compared exactly (ordinal, no trimming): "1" and
/// "01" are different codes, as they are in the XML.
/// </summary>
public sealed class CodeTable<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<string, CodeEntry<TEnum>> _byCode;
    private readonly FrozenDictionary<TEnum, CodeEntry<TEnum>> _byValue;

    /// <summary>Creates a table; every enum value must appear exactly once, every code exactly once.</summary>
    public CodeTable(string id, string name, params (TEnum Value, string Code, string Label)[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Id = id;
        Name = name;
        Entries = [.. entries.Select(e => new CodeEntry<TEnum>(e.Value, e.Code, e.Label))];
        _byCode = Entries.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);
        _byValue = Entries.ToFrozenDictionary(e => e.Value);
        var missing = Enum.GetValues<TEnum>().Except(_byValue.Keys).ToList();
        if (missing.Count > 0 || _byValue.Count != Entries.Count)
        {
            throw new InvalidOperationException($"Code table {id} does not map every {typeof(TEnum).Name} value exactly once.");
        }

        CodeTableRegistry<TEnum>.Table = this;
    }

    /// <summary>The table's identifier, e.g. <c>OQSCD006</c>.</summary>
    public string Id { get; }

    /// <summary>The Japanese item name, e.g. <c>資格有効性</c>.</summary>
    public string Name { get; }

    /// <summary>The rows, in specification order.</summary>
    public IReadOnlyList<CodeEntry<TEnum>> Entries { get; }

    /// <summary>Parses a wire code; unknown or empty codes give a <see cref="CodeError"/> with a Japanese message.</summary>
    public CodeParseResult<TEnum> Parse(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return new(null, new CodeError(CodeErrorKind.Empty, Id, $"{Name}（{Id}）が指定されていません。"));
        }

        if (_byCode.TryGetValue(code, out var entry))
        {
            return new(entry.Value, null);
        }

        var known = string.Join("、", Entries.Select(e => e.Code));
        return new(null, new CodeError(CodeErrorKind.Unknown, Id, $"{Name}（{Id}）のコード「{code}」は定義されていません（有効なコード: {known}）。"));
    }

    /// <summary>Parses a wire code without an error description.</summary>
    public bool TryParse(string? code, out TEnum value)
    {
        if (code is not null && _byCode.TryGetValue(code, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The wire code of a value. Throws for a value outside the enum (a programming error).</summary>
    public string ToCode(TEnum value) => Find(value).Code;

    /// <summary>The Japanese label of a value.</summary>
    public string ToLabel(TEnum value) => Find(value).Label;

    /// <summary>
    /// How people read a wire code (030 → 3割, A03 → ウ): the one display mapping of the app and the portal. An unknown
    /// code is shown as it came, never dropped; a missing one is empty.
    /// </summary>
    public string Display(string? code) =>
        string.IsNullOrEmpty(code) ? "" : TryParse(code, out var value) ? ToLabel(value) : code;

    private CodeEntry<TEnum> Find(TEnum value) =>
        _byValue.TryGetValue(value, out var entry)
            ? entry
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no code in {Id}.");
}

internal static class CodeTableRegistry<TEnum>
    where TEnum : struct, Enum
{
    public static CodeTable<TEnum>? Table;
}

/// <summary><c>value.ToWireCode()</c> / <c>value.ToLabel()</c> for every enum that has a table in <see cref="OqsCodes"/>.</summary>
public static class CodeExtensions
{
    /// <summary>The wire code of <paramref name="value"/>.</summary>
    public static string ToWireCode<TEnum>(this TEnum value) where TEnum : struct, Enum => OqsCodes.For<TEnum>().ToCode(value);

    /// <summary>The Japanese label of <paramref name="value"/>.</summary>
    public static string ToLabel<TEnum>(this TEnum value) where TEnum : struct, Enum => OqsCodes.For<TEnum>().ToLabel(value);
}
