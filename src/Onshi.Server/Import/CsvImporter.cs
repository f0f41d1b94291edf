using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Onshi.Server.Data;

namespace Onshi.Server.Import;

/// <summary>
/// Operator import of one CSV file (docs/import.md), in ONE streamed pass that validates while it writes:
/// a reader task parses and validates rows into batches (format, check digits, codes, dates, lengths, insurers);
/// the writer checks each batch's references against the database (one query per kind of reference) and, while no
/// error has been found anywhere, writes the batch inside the one import transaction (PostgreSQL binary COPY per
/// table, SQLite prepared statements). At the first error it rolls the transaction back and only validates the rest,
/// so every error is still reported with its line; nothing is committed unless the whole file was good.
/// The reader runs one batch ahead of the writer (bounded), so parsing overlaps the database's work on two cores;
/// memory holds a few batches, never the file.
/// </summary>
public sealed class CsvImporter(AppDbContext db, TimeProvider time)
{
    // Rows per batch: one reference query per kind and (PostgreSQL) one COPY per table per batch. The EF query sends
    // the ids as one array/JSON parameter (EF.Parameter): EF 10 would otherwise expand thousands of scalar parameters.
    private const int BatchSize = 5_000;
    private const int BatchesAhead = 2;
    private const int ProgressEvery = 100_000;

    public Task<ImportResult> ImportAsync(string kind, Func<Stream> openFile, Action<ImportProgress>? progress, CancellationToken cancellationToken) =>
        ImportAsync(kind, openFile, new ImportOptions(), progress, cancellationToken);

    public async Task<ImportResult> ImportAsync(string kind, Func<Stream> openFile, ImportOptions options, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openFile);
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        return kind switch
        {
            "insurers" => await RunAsync(new InsurerFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "persons" => await RunAsync(new PersonFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "elderly-certificates" => await RunAsync(new ElderlyCertificateFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "limit-certificates" => await RunAsync(new LimitCertificateFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "specific-disease-certificates" => await RunAsync(new SpecificDiseaseCertificateFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "medications" => await RunAsync(new MedicationFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "checkups" => await RunAsync(new CheckupFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "treatments" => await RunAsync(new TreatmentFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "surgeries" => await RunAsync(new SurgeryFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "medical-assistance" => await RunAsync(new MedicalAssistanceFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "medical-tickets" => await RunAsync(new MedicalTicketFile(), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            "card-links" => await RunAsync(new CardLinkFile(now), openFile, options, progress, cancellationToken).ConfigureAwait(false),
            _ => new ImportResult(kind, false, 0, [new ImportError(0, "import.unknown_kind", $"ファイル種別「{kind}」はありません（{string.Join("、", ImportFileTypes.Kinds)}）。")], 1, TimeSpan.Zero),
        };
    }

    private async Task<ImportResult> RunAsync<TRow>(ImportFileType<TRow> type, Func<Stream> openFile, ImportOptions options, Action<ImportProgress>? progress, CancellationToken cancellationToken)
        where TRow : class
    {
        var clock = Stopwatch.StartNew();
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

        // In line order: within a batch the row errors are found before the reference errors.
        ImportResult Refused(long rows) => new(type.Kind, false, rows, [.. errors.OrderBy(e => e.Line)], errorCount, clock.Elapsed);

        var insurers = (await db.Insurers.AsNoTracking().Select(i => i.Number).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var references = new ReferenceChecker(db, Add);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<RowBatch<TRow>>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadBatchesAsync(type, openFile, insurers, channel.Writer, progress, clock, stop.Token), CancellationToken.None);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        IBatchWriter<TRow>? writer = null;
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        async Task StopWritingAsync()
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
                writer = null;
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        try
        {
            writer = connection switch
            {
                NpgsqlConnection npgsql => await PostgresBatchWriter<TRow>.StartAsync(npgsql, type.Targets, options.ExclusiveLoad, cancellationToken).ConfigureAwait(false),
                SqliteConnection sqlite => await SqliteBatchWriter<TRow>.StartAsync(sqlite, (SqliteTransaction)transaction.GetDbTransaction(), type.Targets, cancellationToken).ConfigureAwait(false),
                _ => throw new NotSupportedException("Unknown database connection " + connection.GetType().Name),
            };

            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Errors in the order of the old two-pass import: a batch's row errors, then its reference errors.
                foreach (var error in batch.Errors)
                {
                    Add(error);
                }

                errorCount += batch.UnreportedErrors;
                if (batch.Fatal is { } fatal)
                {
                    Add(new ImportError(fatal.Line, fatal.Code, fatal.Message));
                    rows = 0;
                    break;
                }

                // While writing, "must not exist yet" (new persons, insurers, linkage keys) is left to the unique
                // keys the rows are written into: a lookup per row would cost as much as the insert (and on a table
                // growing inside the transaction PostgreSQL's planner falls back to scanning it). If a key refuses a
                // row, the batch is checked again with those lookups, so the report still names every line.
                foreach (var (row, line) in batch.Rows)
                {
                    references.Collect(type, row, line);
                }

                await references.FlushAsync(checkNewKeys: writer is null, cancellationToken).ConfigureAwait(false);
                if (errorCount > 0 && writer is not null)
                {
                    // From here on the file can only be refused: stop writing, free the locks, keep validating.
                    await StopWritingAsync().ConfigureAwait(false);
                }

                if (writer is not null)
                {
                    try
                    {
                        await writer.WriteAsync(batch.Rows, cancellationToken).ConfigureAwait(false);
                    }
                    catch (DbException exception)
                    {
                        var line = writer.FailedLine(exception);
                        await StopWritingAsync().ConfigureAwait(false);
                        foreach (var (row, rowLine) in batch.Rows)
                        {
                            references.Collect(type, row, rowLine);
                        }

                        var before = errorCount;
                        await references.FlushAsync(checkNewKeys: true, cancellationToken).ConfigureAwait(false);
                        if (errorCount == before)
                        {
                            // Not a rule the lookups know (e.g. one linkage key twice in this batch).
                            Add(DatabaseConflict(line, exception));
                        }
                    }
                }

                rows = batch.TotalRows ?? rows + batch.Rows.Count;
            }

            if (errorCount > 0)
            {
                return Refused(rows);
            }

            await writer!.FinishAsync(cancellationToken).ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false);
            writer = null;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            // While finishing (a re-added foreign key, the commit): e.g. another import that committed meanwhile.
            var line = writer?.FailedLine(exception);
            await StopWritingAsync().ConfigureAwait(false);
            Add(DatabaseConflict(line, exception));
            return Refused(rows);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The writer stopped early (refused or failed); the reader's remaining work is moot.
            }

            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            await transaction.DisposeAsync().ConfigureAwait(false);
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        progress?.Invoke(new ImportProgress("完了", rows, 0, 0, clock.Elapsed, clock.Elapsed));
        return new ImportResult(type.Kind, true, rows, [], 0, clock.Elapsed);
    }

    private static ImportError DatabaseConflict(long? line, DbException exception) =>
        new(line ?? 0, "file.database_conflict", "データベースの制約に違反したため、ファイル全体を取り込みませんでした: " + exception.Message);

    /// <summary>The reader task: parses and validates the file into batches for the writer.</summary>
    private static async Task ReadBatchesAsync<TRow>(ImportFileType<TRow> type, Func<Stream> openFile, ISet<string> insurers, ChannelWriter<RowBatch<TRow>> output,
        Action<ImportProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
        where TRow : class
    {
        var batch = new RowBatch<TRow>();
        long rows = 0;
        try
        {
            rows = await ScanAsync(type, openFile, insurers, progress, "取込", clock, async (_, row, line) =>
            {
                batch.Rows.Add((row, line));
                if (batch.Rows.Count >= BatchSize)
                {
                    await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch = new RowBatch<TRow>();
                }
            }, error => batch.AddError(error), cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException exception)
        {
            batch.Fatal = exception;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            output.Complete(exception);
            throw;
        }

        batch.TotalRows = batch.Fatal is null ? rows : 0;
        await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        output.Complete();
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

    /// <summary>Rows parsed by the reader for the writer, with the row errors found among them (bounded).</summary>
    private sealed class RowBatch<TRow>
    {
        public List<(TRow Row, long Line)> Rows { get; } = new(BatchSize);

        public List<ImportError> Errors { get; } = [];

        /// <summary>Errors beyond the reporting cap: counted, not kept.</summary>
        public long UnreportedErrors { get; private set; }

        /// <summary>Set on the last batch: every data row of the file (good or bad).</summary>
        public long? TotalRows { get; set; }

        /// <summary>Set on the last batch when the file is not well-formed CSV from some line on.</summary>
        public CsvFormatException? Fatal { get; set; }

        public void AddError(ImportError error)
        {
            if (Errors.Count < ImportResult.MaximumReportedErrors)
            {
                Errors.Add(error);
            }
            else
            {
                UnreportedErrors++;
            }
        }
    }

    /// <summary>Checks, a batch of rows at a time, that referenced persons exist and new ones do not.</summary>
    private sealed class ReferenceChecker(AppDbContext db, Action<ImportError> add)
    {
        private readonly List<(long Line, long Id)> _existing = [];
        private readonly List<(long Line, long Id)> _new = [];
        private readonly List<(long Line, string Key)> _keys = [];
        private readonly List<(long Line, string Number)> _insurers = [];

        public void Collect<TRow>(ImportFileType<TRow> type, TRow row, long line)
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
        }

        /// <summary>Runs the collected look-ups; with checkNewKeys also those for what the rows create (else the unique keys are trusted to refuse).</summary>
        public async Task FlushAsync(bool checkNewKeys, CancellationToken cancellationToken)
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

            if (_new.Count > 0 && checkNewKeys)
            {
                var ids = _new.Select(e => e.Id).ToList();
                var found = (await db.InsuredPersons.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
                foreach (var (line, id) in _new.Where(e => found.Contains(e.Id)))
                {
                    add(new ImportError(line, "row.person_exists", $"person_id {id} は既に登録されています。", "person_id"));
                }
            }

            if (_keys.Count > 0 && checkNewKeys)
            {
                var keys = _keys.Select(k => k.Key).ToList();
                var found = (await db.CardLinks.AsNoTracking().Where(l => EF.Parameter(keys).Contains(l.LinkageKey)).Select(l => l.LinkageKey).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                foreach (var (line, key) in _keys.Where(k => found.Contains(k.Key)))
                {
                    add(new ImportError(line, "row.linkage_key_exists", "この電子証明書は既に利用登録に使われています。", "linkage_key"));
                }
            }

            if (_insurers.Count > 0 && checkNewKeys)
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
}
