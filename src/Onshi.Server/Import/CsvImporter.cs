using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Onshi.Server.Data;

namespace Onshi.Server.Import;

/// <summary>
/// Operator import of one CSV file (docs/import.md). Two streamed passes over the file:
/// 1. validate every row (format, check digits, codes, dates, lengths, references to insurers and persons, checked
///    against the database in batches) and collect every error with its line;
/// 2. only if there was none: write all rows in ONE transaction — PostgreSQL binary COPY per table, SQLite one
///    prepared INSERT per table reused for every row — and commit. Any failure rolls everything back.
/// Memory stays flat: one record buffer, one batch of references, never the file.
/// </summary>
public sealed class CsvImporter(AppDbContext db, TimeProvider time)
{
    // One array/JSON parameter per batch (EF.Parameter): EF 10 would otherwise expand thousands of scalar
    // parameters, which SQLite binds by name one at a time.
    private const int ReferenceBatchSize = 5_000;
    private const int ProgressEvery = 100_000;

    public async Task<ImportResult> ImportAsync(string kind, Func<Stream> openFile, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openFile);
        var now = time.GetUtcNow();
        return kind switch
        {
            "insurers" => await RunAsync(() => new InsurerFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "persons" => await RunAsync(() => new PersonFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "elderly-certificates" => await RunAsync(() => new ElderlyCertificateFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "limit-certificates" => await RunAsync(() => new LimitCertificateFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "specific-disease-certificates" => await RunAsync(() => new SpecificDiseaseCertificateFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "medications" => await RunAsync(() => new MedicationFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "checkups" => await RunAsync(() => new CheckupFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "treatments" => await RunAsync(() => new TreatmentFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "surgeries" => await RunAsync(() => new SurgeryFile(), openFile, progress, cancellationToken).ConfigureAwait(false),
            "card-links" => await RunAsync(() => new CardLinkFile(now), openFile, progress, cancellationToken).ConfigureAwait(false),
            _ => new ImportResult(kind, false, 0, [new ImportError(0, "import.unknown_kind", $"ファイル種別「{kind}」はありません（{string.Join("、", ImportFileTypes.Kinds)}）。")], 1, TimeSpan.Zero),
        };
    }

    private async Task<ImportResult> RunAsync<TRow>(Func<ImportFileType<TRow>> create, Func<Stream> openFile, Action<ImportProgress>? progress, CancellationToken cancellationToken)
        where TRow : class
    {
        var clock = Stopwatch.StartNew();
        var kind = create().Kind;
        var errors = new List<ImportError>();
        long errorCount = 0;
        void Add(ImportError error)
        {
            errorCount++;
            if (errors.Count < ImportResult.MaximumReportedErrors)
            {
                errors.Add(error);
            }
        }

        ImportResult Refused(long rows) => new(kind, false, rows, errors, errorCount, clock.Elapsed);

        // Pass 1: validate everything.
        var insurers = (await db.Insurers.AsNoTracking().Select(i => i.Number).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var references = new ReferenceChecker(db, Add);
        long rows;
        try
        {
            rows = await ScanAsync(create(), openFile, insurers, progress, "検証", clock, (type, row, line) => references.Add(type, row, line, cancellationToken), Add, cancellationToken).ConfigureAwait(false);
            await references.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException exception)
        {
            Add(new ImportError(exception.Line, exception.Code, exception.Message));
            return Refused(0);
        }

        if (errorCount > 0)
        {
            return Refused(rows);
        }

        // Pass 2: write all rows in one transaction.
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            long currentLine = 0;
            try
            {
                if (connection is NpgsqlConnection npgsql)
                {
                    foreach (var target in create().Targets)
                    {
                        var columns = string.Join(", ", target.Columns.Select(c => "\"" + c.Name + "\""));
                        await using var importer = await npgsql.BeginBinaryImportAsync($"COPY \"{target.Table}\" ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
                        var sink = new NpgsqlSink(importer, target.Columns);
                        var index = create().Targets.Select(t => t.Table).ToList().IndexOf(target.Table);
                        await ScanAsync(create(), openFile, insurers, progress, "書込 " + target.Table, clock, (type, row, line) =>
                        {
                            currentLine = line;
                            var t = type.Targets[index];
                            if (t.Applies(row))
                            {
                                importer.StartRow();
                                t.Write(row, sink);
                            }

                            return Task.CompletedTask;
                        }, e => throw new InvalidOperationException("A row that passed validation failed on the second pass: " + e), cancellationToken).ConfigureAwait(false);
                        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (connection is SqliteConnection sqlite)
                {
                    var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();
                    await using (var pragma = sqlite.CreateCommand())
                    {
                        // A bigger page cache for this connection only: index pages stay in memory during the load.
                        // Journal and synchronous settings are untouched: a committed import is as durable as anything.
                        pragma.Transaction = sqliteTransaction;
                        pragma.CommandText = "PRAGMA cache_size = -131072";
                        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    var sinks = create().Targets.Select(t => new SqliteSink(sqlite, sqliteTransaction, t.Table, t.Columns)).ToList();
                    try
                    {
                        await ScanAsync(create(), openFile, insurers, progress, "書込", clock, (type, row, line) =>
                        {
                            currentLine = line;
                            for (var i = 0; i < sinks.Count; i++)
                            {
                                var t = type.Targets[i];
                                if (t.Applies(row))
                                {
                                    t.Write(row, sinks[i]);
                                    sinks[i].Execute();
                                }
                            }

                            return Task.CompletedTask;
                        }, e => throw new InvalidOperationException("A row that passed validation failed on the second pass: " + e), cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        sinks.ForEach(s => s.Dispose());
                    }
                }
                else
                {
                    throw new NotSupportedException("Unknown database connection " + connection.GetType().Name);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException exception)
            {
                // E.g. a duplicate linkage key inside the file, or another import that committed meanwhile.
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                Add(new ImportError(connection is SqliteConnection ? currentLine : 0, "file.database_conflict",
                    "データベースの制約に違反したため、ファイル全体を取り込みませんでした: " + exception.Message));
                return Refused(rows);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        progress?.Invoke(new ImportProgress("完了", rows, 0, 0, clock.Elapsed, clock.Elapsed));
        return new ImportResult(kind, true, rows, [], 0, clock.Elapsed);
    }

    /// <summary>Reads the file once: header check, then each row parsed and handed to <paramref name="onRow"/>.</summary>
    private static async Task<long> ScanAsync<TRow>(ImportFileType<TRow> type, Func<Stream> openFile, ISet<string> insurers, Action<ImportProgress>? progress, string phase, Stopwatch clock,
        Func<ImportFileType<TRow>, TRow, long, Task> onRow, Action<ImportError> onError, CancellationToken cancellationToken)
        where TRow : class
    {
        var phaseStart = clock.Elapsed;
        await using var stream = openFile();
        var total = stream.CanSeek ? stream.Length : 0;
        using var csv = new CsvReader(stream);
        var fields = new FieldReader(type.Columns, insurers);
        if (!csv.Read() || csv.Record.IsBlank)
        {
            onError(new ImportError(1, "file.empty", "ファイルが空です。1行目に見出し行が必要です。"));
            return 0;
        }

        var header = csv.Record;
        var expected = type.Columns;
        var headerMatches = header.Count == expected.Count;
        for (var i = 0; headerMatches && i < expected.Count; i++)
        {
            var name = header[i];
            if (i == 0 && name.Length > 0 && name[0] == '\uFEFF')
            {
                name = name[1..];
            }

            headerMatches = name.SequenceEqual(expected[i]);
        }

        if (!headerMatches)
        {
            onError(new ImportError(1, "file.header_mismatch", $"見出し行が「{type.Kind}」ファイルの形式と一致しません。必要な見出し: {string.Join(",", expected)}"));
            return 0;
        }

        long rows = 0;
        while (csv.Read())
        {
            var record = csv.Record;
            if (record.IsBlank)
            {
                continue;
            }

            rows++;
            if (rows % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(new ImportProgress(phase, rows, csv.BytesRead, total, clock.Elapsed, clock.Elapsed - phaseStart));
            }

            if (record.Count != expected.Count)
            {
                onError(new ImportError(record.Line, "row.column_count", string.Create(CultureInfo.InvariantCulture, $"項目数が{record.Count}です（{expected.Count}項目必要）。")));
                continue;
            }

            fields.Begin(record);
            var row = type.Parse(fields);
            foreach (var error in fields.RowErrors)
            {
                onError(error);
            }

            if (row is not null)
            {
                await onRow(type, row, record.Line).ConfigureAwait(false);
            }
        }

        progress?.Invoke(new ImportProgress(phase, rows, csv.BytesRead, total, clock.Elapsed, clock.Elapsed - phaseStart));
        return rows;
    }

    /// <summary>Checks, a batch of rows at a time, that referenced persons exist and new ones do not.</summary>
    private sealed class ReferenceChecker(AppDbContext db, Action<ImportError> add)
    {
        private readonly List<(long Line, long Id)> _existing = [];
        private readonly List<(long Line, long Id)> _new = [];
        private readonly List<(long Line, string Key)> _keys = [];
        private readonly List<(long Line, string Number)> _insurers = [];

        public Task Add<TRow>(ImportFileType<TRow> type, TRow row, long line, CancellationToken cancellationToken)
            where TRow : class
        {
            if (type.ExistingPersonReference(row) is { } existing)
            {
                _existing.Add((line, existing));
            }

            if (type.NewPersonReference(row) is { } created)
            {
                _new.Add((line, created));
            }

            if (type.NewLinkageKey(row) is { } key)
            {
                _keys.Add((line, key));
            }

            if (type.NewInsurer(row) is { } insurer)
            {
                _insurers.Add((line, insurer));
            }

            return _existing.Count + _new.Count + _keys.Count + _insurers.Count >= ReferenceBatchSize ? FlushAsync(cancellationToken) : Task.CompletedTask;
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_existing.Count > 0)
            {
                var ids = _existing.Select(e => e.Id).Distinct().ToList();
                var found = (await db.InsuredPersons.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
                foreach (var (line, id) in _existing.Where(e => !found.Contains(e.Id)))
                {
                    add(new ImportError(line, "row.person_unknown", $"person_id {id} の被保険者は登録されていません。先に被保険者ファイルを取り込んでください。", "person_id"));
                }

                if (_keys.Count > 0)
                {
                    var linked = (await db.CardLinks.AsNoTracking().Where(l => EF.Parameter(ids).Contains(l.PersonId) && l.ReplacedAt == null).Select(l => l.PersonId).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
                    foreach (var (line, id) in _existing.Where(e => linked.Contains(e.Id)))
                    {
                        add(new ImportError(line, "row.person_already_linked", $"person_id {id} には既に利用登録済みのカードがあります（カードの置き換えは利用登録の操作で行います）。", "person_id"));
                    }
                }
            }

            if (_new.Count > 0)
            {
                var ids = _new.Select(e => e.Id).ToList();
                var found = (await db.InsuredPersons.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
                foreach (var (line, id) in _new.Where(e => found.Contains(e.Id)))
                {
                    add(new ImportError(line, "row.person_exists", $"person_id {id} は既に登録されています。", "person_id"));
                }
            }

            if (_keys.Count > 0)
            {
                var keys = _keys.Select(k => k.Key).ToList();
                var found = (await db.CardLinks.AsNoTracking().Where(l => EF.Parameter(keys).Contains(l.LinkageKey)).Select(l => l.LinkageKey).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                foreach (var (line, key) in _keys.Where(k => found.Contains(k.Key)))
                {
                    add(new ImportError(line, "row.linkage_key_exists", "この電子証明書は既に利用登録に使われています。", "linkage_key"));
                }
            }

            if (_insurers.Count > 0)
            {
                var numbers = _insurers.Select(i => i.Number).ToList();
                var found = (await db.Insurers.AsNoTracking().Where(i => EF.Parameter(numbers).Contains(i.Number)).Select(i => i.Number).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                foreach (var (line, number) in _insurers.Where(i => found.Contains(i.Number)))
                {
                    add(new ImportError(line, "row.insurer_exists", $"保険者番号 {number} は既に登録されています。", "insurer_number"));
                }
            }

            _existing.Clear();
            _new.Clear();
            _keys.Clear();
            _insurers.Clear();
        }
    }

    private sealed class NpgsqlSink(NpgsqlBinaryImporter importer, IReadOnlyList<(string Name, ColumnKind Kind)> columns) : IRowSink
    {
        public void WriteLong(long value) => importer.Write(value, NpgsqlDbType.Bigint);

        public void WriteInt(int? value)
        {
            if (value is { } v)
            {
                importer.Write(v, NpgsqlDbType.Integer);
            }
            else
            {
                importer.WriteNull();
            }
        }

        public void WriteText(string? value)
        {
            if (value is null)
            {
                importer.WriteNull();
            }
            else
            {
                importer.Write(value, NpgsqlDbType.Varchar);
            }
        }

        public void WriteDay(DateOnly? value)
        {
            if (value is { } v)
            {
                importer.Write(v, NpgsqlDbType.Date);
            }
            else
            {
                importer.WriteNull();
            }
        }

        public void WriteFlag(bool value) => importer.Write(value, NpgsqlDbType.Boolean);

        public void WriteFraction(decimal value) => importer.Write(value, NpgsqlDbType.Numeric);

        public void WriteInstant(DateTimeOffset value) => importer.Write(value.ToUniversalTime(), NpgsqlDbType.TimestampTz);

        public override string ToString() => string.Join(",", columns.Select(c => c.Name));
    }

    private sealed class SqliteSink : IRowSink, IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter[] _parameters;
        private int _next;

        public SqliteSink(SqliteConnection connection, SqliteTransaction transaction, string table, IReadOnlyList<(string Name, ColumnKind Kind)> columns)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
            _parameters = [.. columns.Select((_, i) => _command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null)))];
            _command.Prepare();
        }

        public void Execute()
        {
            _command.ExecuteNonQuery();
            _next = 0;
        }

        private void Set(object? value) => _parameters[_next++].Value = value ?? DBNull.Value;

        public void WriteLong(long value) => Set(value);

        public void WriteInt(int? value) => Set(value);

        public void WriteText(string? value) => Set(value);

        // The same text EF Core's SQLite provider writes and compares for DateOnly.
        public void WriteDay(DateOnly? value) => Set(value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        public void WriteFlag(bool value) => Set(value ? 1L : 0L);

        public void WriteFraction(decimal value) => Set(value.ToString("0.0###########################", CultureInfo.InvariantCulture));

        // UtcTicksConverter: DateTimeOffset is stored as UTC ticks on SQLite.
        public void WriteInstant(DateTimeOffset value) => Set(value.UtcTicks);

        public void Dispose() => _command.Dispose();
    }
}
