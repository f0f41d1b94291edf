using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Onshi.Server.Data;

/// <summary>
/// SQLite connections that stay open between scopes and keep their prepared statements (docs/performance.md, "time
/// budget"). Microsoft.Data.Sqlite compiles a command's SQL again for every new command object, and EF Core creates a
/// new command for every execution, so each confirmation used to pay <c>sqlite3_prepare_v2</c> for every statement it
/// ran: about 30 % of the server's CPU on the hot path. Here a connection hands out commands that, once disposed, go
/// back to the connection with their compiled statements; the next command with the same SQL text reuses them.
/// Nothing else changes: the same SQL, the same parameters, the same transactions and the same durable commits.
/// <para>
/// Each DI scope leases one connection (<see cref="Lease"/>) and returns it when the scope ends. A connection is only
/// returned if it is still open and outside any transaction; otherwise it is closed for good.
/// </para>
/// </summary>
public sealed class PreparedSqliteConnections(string connectionString) : IDisposable
{
    /// <summary>Idle connections kept at most; more in use at once are created, and closed when returned.</summary>
    public const int MaximumIdle = 64;

    private readonly ConcurrentBag<ReusingSqliteConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public string ConnectionString { get; } = connectionString;

    /// <summary>An open connection for one scope.</summary>
    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, connection);
        }

        connection = new ReusingSqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqliteWriteAheadLog.Pragmas;
            pragmas.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // The database cannot be opened now (file gone, disk full, permissions): the scope gets the connection closed,
            // and the error surfaces where the work first touches the database, as it did before this pool existed —
            // where a readiness check reports it instead of failing to start.
            connection.Close();
        }

        return new Lease(this, connection);
    }

    private void Return(ReusingSqliteConnection connection)
    {
        // A connection left in a transaction (or closed by its user) must not carry that state into another scope.
        var reusable = !_disposed
            && connection.State == ConnectionState.Open
            && connection.Handle is { } handle
            && raw.sqlite3_get_autocommit(handle) != 0;
        if (reusable)
        {
            if (Interlocked.Increment(ref _idleCount) <= MaximumIdle)
            {
                _idle.Add(connection);
                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        connection.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>One scope's use of a connection; disposing it gives the connection back.</summary>
    public sealed class Lease(PreparedSqliteConnections owner, SqliteConnection connection) : IDisposable
    {
        private int _returned;

        public SqliteConnection Connection { get; } = connection;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                owner.Return((ReusingSqliteConnection)Connection);
            }
        }
    }

    /// <summary>Keeps up to <see cref="Capacity"/> compiled commands, most recently used first.</summary>
    private sealed class ReusingSqliteConnection(string connectionString) : SqliteConnection(connectionString)
    {
        private const int Capacity = 48;

        private readonly LinkedList<ReusableSqliteCommand> _recent = new();
        private readonly Dictionary<string, LinkedListNode<ReusableSqliteCommand>> _byText = new(StringComparer.Ordinal);

        // As SqliteConnection.CreateCommand does: a new command joins the connection's current transaction.
        public override SqliteCommand CreateCommand() => new ReusingCommandHandle(this) { Transaction = Transaction };

        protected override DbCommand CreateDbCommand() => CreateCommand();

        /// <summary>A compiled command for <paramref name="text"/> if one is idle, else a new one.</summary>
        public ReusableSqliteCommand Take(string text)
        {
            if (_byText.Remove(text, out var node))
            {
                _recent.Remove(node);
                return node.Value;
            }

            return new ReusableSqliteCommand(this, text);
        }

        public void Give(ReusableSqliteCommand command)
        {
            command.Transaction = null;
            command.Parameters.Clear();
            if (command.HasOpenReader || State != ConnectionState.Open || _byText.ContainsKey(command.CommandText))
            {
                command.Dispose();
                return;
            }

            _byText[command.CommandText] = _recent.AddFirst(command);
            if (_recent.Count > Capacity)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _byText.Remove(oldest.Value.CommandText);
                oldest.Value.Dispose();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var command in _recent)
                {
                    command.Dispose();
                }

                _recent.Clear();
                _byText.Clear();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The real command: its compiled statements live as long as its text and connection stay the same.</summary>
    private sealed class ReusableSqliteCommand : SqliteCommand
    {
        public ReusableSqliteCommand(SqliteConnection connection, string text)
            : base(text, connection)
        {
        }

        public bool HasOpenReader => DataReader is not null;
    }

    /// <summary>
    /// What callers (EF Core included) get from <c>CreateCommand</c>: it borrows a compiled command for its text and gives
    /// it back on dispose instead of destroying its statements.
    /// </summary>
    private sealed class ReusingCommandHandle(ReusingSqliteConnection connection) : SqliteCommand
    {
        private ReusableSqliteCommand? _inner;
        private string _text = string.Empty;
        private SqliteTransaction? _transaction;
        private int? _timeout;

        private ReusableSqliteCommand Inner
        {
            get
            {
                if (_inner is null)
                {
                    _inner = connection.Take(_text);
                    _inner.Transaction = _transaction;
                    if (_timeout is { } timeout)
                    {
                        _inner.CommandTimeout = timeout;
                    }
                }

                return _inner;
            }
        }

#pragma warning disable CA2100 // The text is the caller's, exactly as it would have reached SqliteCommand.
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText
        {
            get => _text;
            set
            {
                value ??= string.Empty;
                if (value == _text)
                {
                    return;
                }

                // Parameters added before the text changed stay with the command, as on SqliteCommand.
                var carried = _inner?.Parameters.Cast<SqliteParameter>().ToList();
                Release();
                _text = value;
                if (carried is { Count: > 0 })
                {
                    Inner.Parameters.AddRange(carried);
                }
            }
        }
#pragma warning restore CA2100

        public override SqliteConnection? Connection
        {
            get => connection;
            set
            {
                if (value is not null && !ReferenceEquals(value, connection))
                {
                    throw new InvalidOperationException("This command belongs to its connection's statement cache and cannot move to another connection.");
                }
            }
        }

        public override SqliteTransaction? Transaction
        {
            get => _transaction;
            set
            {
                _transaction = value;
                if (_inner is not null)
                {
                    _inner.Transaction = value;
                }
            }
        }

        public override int CommandTimeout
        {
            get => _timeout ?? connection.DefaultTimeout;
            set
            {
                _timeout = value;
                if (_inner is not null)
                {
                    _inner.CommandTimeout = value;
                }
            }
        }

        public override SqliteParameterCollection Parameters => Inner.Parameters;

        public override SqliteParameter CreateParameter() => Inner.CreateParameter();

        public override void Prepare() => Inner.Prepare();

        public override SqliteDataReader ExecuteReader(CommandBehavior behavior) => Inner.ExecuteReader(behavior);

        public override Task<SqliteDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            Inner.ExecuteReaderAsync(behavior, cancellationToken);

        public override int ExecuteNonQuery() => Inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => Inner.ExecuteScalar();

        private void Release()
        {
            if (_inner is not null)
            {
                connection.Give(_inner);
                _inner = null;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
            }

            base.Dispose(disposing);
        }
    }
}
