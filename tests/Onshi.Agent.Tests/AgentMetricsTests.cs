using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Onshi.Agent.Tests;

/// <summary>
/// The agent's counters, read with a real <see cref="MeterListener"/> on a meter of this test's own (so other tests'
/// files cannot be counted): a malformed request answered locally, and a request rejected unread for its size.
/// </summary>
public sealed class AgentMetricsTests : IDisposable
{
    private readonly OqsFolders _folders = new(Path.Combine(Path.GetTempPath(), "onshi-agent-tests", Guid.NewGuid().ToString("N")));
    private readonly Meter _meter = new("Onshi.Agent.Tests." + Guid.NewGuid().ToString("N"));
    private readonly List<(string Instrument, long Value, string? Outcome)> _measured = [];
    private readonly MeterListener _listener = new();

    public AgentMetricsTests()
    {
        _folders.EnsureExist();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            lock (_measured)
            {
                _measured.Add((instrument.Name, value, outcome));
            }
        });
        _listener.Start();
    }

    [Fact]
    public async Task CountsAMalformedRequestAnsweredLocallyAndAnOversizedOneRejectedUnread()
    {
        using var journal = new AgentJournal(_folders.State);
        var processor = new RequestProcessor(_folders, journal, new ReceiptApiClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") }, "rc-test", "secret"),
            TimeProvider.System, NullLogger.Instance, stableMilliseconds: 0, maxRequestBytes: 4096, metrics: new AgentMetrics(_meter));
        var malformed = Path.Combine(_folders.Requests, "OQSsiquc01req_bad.xml");
        await File.WriteAllBytesAsync(malformed, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><XmlMsg><MessageHeader>"), TestContext.Current.CancellationToken);
        var large = Path.Combine(_folders.Requests, "OQSsiquc01req_large.xml");
        await File.WriteAllBytesAsync(large, new byte[5000], TestContext.Current.CancellationToken);

        Assert.True(await processor.ProcessFileAsync(malformed, TestContext.Current.CancellationToken));
        Assert.False(await processor.ProcessFileAsync(large, TestContext.Current.CancellationToken));

        Assert.Equal([("onshi.agent.requests", 1L, "answered_malformed"), ("onshi.agent.requests", 1L, "rejected")], _measured);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
        Directory.Delete(_folders.Root, recursive: true);
    }
}
