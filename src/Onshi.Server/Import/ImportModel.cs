namespace Onshi.Server.Import;

/// <summary>One rejected row (or the file itself, line 0/1): where, a stable machine code, and a Japanese reason.</summary>
public sealed record ImportError(long Line, string Code, string Message, string? Column = null)
{
    public override string ToString() => Column is null ? $"{Line}行目: {Message} [{Code}]" : $"{Line}行目 {Column}: {Message} [{Code}]";
}

/// <summary>Where an import is: for a progress line (rows/s) on large files.</summary>
public sealed record ImportProgress(string Phase, long Rows, long BytesRead, long TotalBytes, TimeSpan Elapsed, TimeSpan PhaseElapsed);

/// <summary>The outcome: applied (all rows) or not applied (no row), with every error found (up to a cap).</summary>
public sealed record ImportResult(string Kind, bool Applied, long Rows, IReadOnlyList<ImportError> Errors, long ErrorCount, TimeSpan Elapsed)
{
    public const int MaximumReportedErrors = 1000;
}

/// <summary>How an import may treat the live database (docs/import.md).</summary>
public sealed record ImportOptions
{
    /// <summary>
    /// PostgreSQL only: drop the foreign keys of the tables the file writes at the start of the import transaction and
    /// add them again (one set-based validation) before the commit, instead of one trigger check per row. The
    /// ALTER TABLE holds an ACCESS EXCLUSIVE lock on those tables, and a SHARE ROW EXCLUSIVE lock on the tables they
    /// refer to, until the commit: every reader of the tables (qualification confirmations) waits for the whole
    /// import. Meant for the initial load or a maintenance window; ignored on SQLite.
    /// </summary>
    public bool ExclusiveLoad { get; init; }
}

/// <summary>Column types the import writes; each maps to the column type EF Core created on each provider.</summary>
public enum ColumnKind
{
    BigNumber,
    Number,
    Text,
    Day,
    Flag,
    Fraction,
    Instant,
}

/// <summary>Receives one row's values, in the target's column order, for the provider's bulk writer.</summary>
public interface IRowSink
{
    void WriteLong(long value);

    void WriteInt(int? value);

    void WriteText(string? value);

    void WriteDay(DateOnly? value);

    void WriteFlag(bool value);

    void WriteFraction(decimal value);

    void WriteInstant(DateTimeOffset value);
}

/// <summary>One table a file type writes to, and how a parsed row becomes its columns.</summary>
public sealed record ImportTarget<TRow>(string Table, IReadOnlyList<(string Name, ColumnKind Kind)> Columns, Func<TRow, bool> Applies, Action<TRow, IRowSink> Write);

/// <summary>
/// A CSV file type: its header, how a record becomes a validated row (or errors), what the row refers to, and the
/// tables it fills. Instances are per pass: a type may keep state between rows (e.g. the persons file's groups).
/// </summary>
public abstract class ImportFileType<TRow>
    where TRow : class
{
    public abstract string Kind { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    public abstract IReadOnlyList<ImportTarget<TRow>> Targets { get; }

    /// <summary>Parses one record; adds errors and returns null when the row is bad.</summary>
    public abstract TRow? Parse(FieldReader fields);

    /// <summary>A person the row needs to exist in the database (not for rows that create the person).</summary>
    public virtual long? ExistingPersonReference(TRow row) => null;

    /// <summary>A person the row creates, which must not exist yet.</summary>
    public virtual long? NewPersonReference(TRow row) => null;

    /// <summary>A linkage key the row links; it must not be the current link of anybody.</summary>
    public virtual string? NewLinkageKey(TRow row) => null;

    /// <summary>Insurers created by this file (so that the insurers file can check duplicates against the database).</summary>
    public virtual string? NewInsurer(TRow row) => null;
}
