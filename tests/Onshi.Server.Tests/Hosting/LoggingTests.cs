using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Onshi.Server.Hosting;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Hosting;

/// <summary>Every log message, structured value, exception and scope the server writes, at Debug and above.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private static void AddValues(ConcurrentQueue<string> lines, string prefix, object? state)
    {
        lines.Enqueue(prefix + state);
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                lines.Enqueue($"{prefix}{key}={Convert.ToString(value, CultureInfo.InvariantCulture)}");
            }
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            AddValues(provider.Lines, $"[scope {category}] ", state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            provider.Lines.Enqueue($"[{logLevel} {category}] {formatter(state, exception)} {exception}");
            AddValues(provider.Lines, $"[{logLevel} {category} state] ", state);
        }
    }
}

/// <summary>A server that logs at Debug into <see cref="Capture"/>.</summary>
public interface ILoggingPortal
{
    CapturingLoggerProvider Capture { get; }
}

public sealed class LoggingSqlitePortal : SqlitePortal, ILoggingPortal
{
    public CapturingLoggerProvider Capture { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Logging:LogLevel:Default", "Debug")];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Capture);
}

public sealed class LoggingPostgresPortal : PostgresPortal, ILoggingPortal
{
    public CapturingLoggerProvider Capture { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Logging:LogLevel:Default", "Debug")];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Capture);
}

public abstract class LoggingTests(PortalFixture portal)
{
    [Fact]
    public async Task AFullPinConfirmationWritesNoPersonalDataToAnyLogMessageOrScope()
    {
        var capture = ((ILoggingPortal)portal).Capture;
        var clinic = await portal.ClinicAsync();
        await portal.LoadCrlAsync();
        using var app = await portal.ReadyAppAsync(clinic);
        var patient = await portal.PatientAsync();
        var before = capture.Lines.Count;

        var confirmed = await app.ConfirmWithPinAsync(clinic, patient.Card);
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body?.ToJsonString());

        var lines = capture.Lines.Skip(before).ToList();
        // The capture works: the request was logged, with its request id in scope.
        Assert.Contains(lines, l => l.Contains("/api/app/v1/confirmations", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[scope ", StringComparison.Ordinal) && l.Contains("RequestId=", StringComparison.Ordinal));

        var linkageKey = TestJpki.LinkageKey(patient.Card);
        var serial = linkageKey[(linkageKey.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var forbidden = new Dictionary<string, string>
        {
            ["name on the card"] = patient.Card.Name,
            ["name in the insurer's record"] = "黒桐 幹也",
            ["family name"] = "黒桐",
            ["kana"] = "ｺｸﾄｳ",
            ["card kana"] = "コクトウ",
            ["address"] = "清瀬市",
            ["被保険者番号"] = patient.Number,
            ["記号"] = "記号1",
            ["insurer number + symbol"] = Onshi.Server.Tests.Insurance.InsuranceSeed.Kyokai.Value + "記号1",
            ["certificate serial"] = serial,
            ["certificate serial (lower case)"] = serial.ToLowerInvariant(),
            ["linkage key"] = linkageKey,
            ["My Number"] = patient.Card.MyNumber,
            ["birth date"] = "1980-02-17",
            ["birth date (yyyyMMdd)"] = "19800217",
        };
        var leaks = (from f in forbidden
                     from l in lines
                     where l.Contains(f.Value, StringComparison.Ordinal)
                     select $"{f.Key}: {l}").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines captured");
    }
}

public sealed class LoggingTestsOnSqlite(LoggingSqlitePortal portal) : LoggingTests(portal), IClassFixture<LoggingSqlitePortal>;

public sealed class LoggingTestsOnPostgres(LoggingPostgresPortal portal) : LoggingTests(portal), IClassFixture<LoggingPostgresPortal>;

public sealed class LogFormatTests
{
    [Fact]
    public void JsonFormatWritesOneJsonObjectPerLineWithTheRequestScope()
    {
        var builder = OnshiServer.CreateBuilder(["--Logging:Format", "json"]);
        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);

        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object?> { ["RequestId"] = "0HN-test:00000001" });
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        formatter.Write(new LogEntry<string>(LogLevel.Information, "Onshi.Test", new EventId(1), "answered", null, (s, _) => s), scopes, writer);

        using var json = JsonDocument.Parse(writer.ToString());
        Assert.Equal("answered", json.RootElement.GetProperty("Message").GetString());
        Assert.EndsWith("Z", json.RootElement.GetProperty("Timestamp").GetString()!.Trim(), StringComparison.Ordinal);
        Assert.Equal("0HN-test:00000001", json.RootElement.GetProperty("Scopes")[0].GetProperty("RequestId").GetString());
    }

    [Fact]
    public void AnUnknownLogFormatStopsTheServerFromStartingWithAClearMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OnshiServer.CreateBuilder(["--Logging:Format", "xml"]));
        Assert.Contains("Logging:Format", error.Message, StringComparison.Ordinal);
        Assert.Contains("json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultFormatIsTheSimpleOneWithScopes()
    {
        var builder = OnshiServer.CreateBuilder([]);
        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal(ConsoleFormatterNames.Simple, services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }
}
