using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.Data;

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>SQLite file under ./data unless configured otherwise.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/onshi.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required]
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
