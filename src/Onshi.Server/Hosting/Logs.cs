namespace Onshi.Server.Hosting;

/// <summary>
/// Console log format from "Logging:Format": "simple" (default, for people) or "json" (one JSON object per line,
/// for a log collector). Both include scopes, so every line written while a request runs carries the request's
/// RequestId, TraceId and path as ASP.NET Core puts them in scope. What may never be logged is in docs/deployment.md.
/// </summary>
public static class Logs
{
    public const string FormatKey = "Logging:Format";

    public static ILoggingBuilder AddOnshiLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        // SQL text of every command is noise for operators; warnings and errors still show.
        logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        var format = configuration[FormatKey];
        if (string.IsNullOrWhiteSpace(format) || string.Equals(format, "simple", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddSimpleConsole(o => o.IncludeScopes = true);
        }
        else if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }
        else
        {
            throw new InvalidOperationException(
                $"Logging:Format の値 '{format}' は使えません（simple または json）。 / Logging:Format must be 'simple' or 'json', not '{format}'.");
        }

        return logging;
    }
}
