using System.Diagnostics.Metrics;

namespace Onshi.Agent;

/// <summary>
/// What the agent did with the files it was given, as counters on the <c>Onshi.Agent</c> meter (read them with
/// <c>dotnet-counters monitor -p PID --counters Onshi.Agent</c>, or any OpenTelemetry listener). Outcomes only:
/// never a file name, an institution or anything a file holds.
/// </summary>
public sealed class AgentMetrics
{
    public const string MeterName = "Onshi.Agent";

    /// <summary>The process-wide instance the agent uses; tests pass their own meter to count only their files.</summary>
    public static AgentMetrics Shared { get; } = new(new Meter(MeterName));

    private readonly Counter<long> _requests;
    private readonly Counter<long> _faceFiles;

    public AgentMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _requests = meter.CreateCounter<long>("onshi.agent.requests", "{file}",
            "Request files handled: answered, answered_malformed (SegmentOfResult 9 written locally), rejected (link or too large, moved aside unread), failed (left in req/ for the next scan).");
        _faceFiles = meter.CreateCounter<long>("onshi.agent.face_files", "{file}", "Face files written into face/ for app confirmations.");
    }

    public void Answered(bool malformed) => _requests.Add(1, new KeyValuePair<string, object?>("outcome", malformed ? "answered_malformed" : "answered"));

    public void Rejected() => _requests.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));

    public void Failed() => _requests.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));

    public void FaceFileWritten() => _faceFiles.Add(1);
}
