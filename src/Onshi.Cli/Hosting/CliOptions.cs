using System.CommandLine;

namespace Onshi.Cli.Hosting;

/// <summary>Options shared by the commands that open the database.</summary>
internal static class CliOptions
{
    public static Option<string?> Provider() => new("--provider")
    {
        Description = "データベースの種類: Sqlite (既定) または Postgres",
    };

    public static Option<string?> Connection() => new("--connection")
    {
        Description = "接続文字列 (既定: Data Source=data/onshi.db)",
    };

    /// <summary>Prints a failure the way every command does: Japanese for the reader, the machine code in brackets, no stack trace.</summary>
    public static void PrintError(string message, string? code = null) =>
        Console.Error.WriteLine(code is null ? $"エラー: {message}" : $"エラー: {message} [{code}]");

    /// <summary>Validates the provider name before anything is opened.</summary>
    public static bool TryCheckProvider(string? provider)
    {
        if (provider is null || Enum.TryParse<Server.Data.DatabaseProvider>(provider, ignoreCase: true, out _))
        {
            return true;
        }

        PrintError($"--provider には Sqlite または Postgres を指定してください (指定値: {provider})。", "cli.provider_unknown");
        return false;
    }
}
