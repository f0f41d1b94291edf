using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Onshi.Bench;

/// <summary>Sums the execution time of every SQL statement the server runs, from EF Core's DiagnosticSource events.</summary>
public sealed class SqlProfile : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentDictionary<string, long[]> _statements = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _all;

    public SqlProfile() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    public string Report()
    {
        var text = new StringBuilder();
        foreach (var (sql, figures) in _statements.OrderByDescending(s => s.Value[1]).Take(12))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{figures[0],8:N0} × {figures[1] / 10_000.0 / Math.Max(figures[0], 1),8:0.000} ms = {figures[1] / 10_000_000.0,8:0.0} s  {sql.ReplaceLineEndings(" ")[..Math.Min(sql.Length, 160)]}"));
        }

        var dump = Environment.GetEnvironmentVariable("ONSHI_BENCH_SQL_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            File.WriteAllLines(dump, _statements.Keys.Select(k => k.ReplaceLineEndings(" ") + ";"));
        }

        _statements.Clear();
        return text.ToString();
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is CommandExecutedEventData executed)
        {
            var figures = _statements.GetOrAdd(executed.Command.CommandText, _ => new long[2]);
            Interlocked.Increment(ref figures[0]);
            Interlocked.Add(ref figures[1], executed.Duration.Ticks);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
