using System.Diagnostics;
using System.Net;

namespace Onshi.Bench;

/// <summary>
/// The figures of one timed phase. Latencies in milliseconds; memory in MiB (the server process's VmHWM so far);
/// ServerCpuMsPerRequest is the server process's CPU time (user + system) during the phase divided by the answers
/// completed: unlike throughput it hardly depends on how much of the machine other processes take.
/// </summary>
public sealed record PhaseResult(string Name, int Concurrency, int Completed, int Errors, double Seconds, double Throughput,
    double P50, double P99, double P999, double Max, double ServerPeakMiB, double ServerCpuMsPerRequest, string? FirstError);

/// <summary>
/// Closed-loop load over HTTP/1.1 on 127.0.0.1: <c>concurrency</c> workers, one connection each
/// (SocketsHttpHandler, MaxConnectionsPerServer = concurrency), each sending the next prepared request as soon as
/// its previous answer is read. Bounded by the number of prepared requests (or <c>maximum</c> when cycling) and by time.
/// </summary>
public static class LoadRunner
{
    public static async Task<PhaseResult> RunAsync(string name, Uri server, IReadOnlyList<PreparedRequest> requests, bool cycle, int maximum,
        int concurrency, TimeSpan duration, HttpStatusCode expected, ServerProcess serverProcess, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        var limit = cycle ? maximum : Math.Min(requests.Count, maximum);
        var latencies = new long[limit];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = serverProcess.CpuSeconds();
        // On stderr so a profiler can be attached to the right phase (docs/performance.md, time budget).
        BenchWorld.Log($"phase {name} c={concurrency} started, server pid {serverProcess.ProcessId}");

        async Task Worker()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= limit || Stopwatch.GetTimestamp() >= deadline)
                {
                    return;
                }

                var prepared = requests[index % requests.Count];
                using var message = new HttpRequestMessage(HttpMethod.Post, prepared.Path) { Content = new ByteArrayContent(prepared.Body), Version = HttpVersion.Version11 };
                message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                message.Headers.TryAddWithoutValidation("DPoP", prepared.Proof);
                message.Headers.TryAddWithoutValidation("Authorization", prepared.Authorization);
                if (prepared.IdempotencyKey is not null)
                {
                    message.Headers.TryAddWithoutValidation("Idempotency-Key", prepared.IdempotencyKey);
                }

                var begin = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    latencies[index] = Stopwatch.GetTimestamp() - begin;
                    if (response.StatusCode != expected)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {body}", null);
                    }
                }
                catch (HttpRequestException ex)
                {
                    latencies[index] = Stopwatch.GetTimestamp() - begin;
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, cancellationToken))).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = serverProcess.CpuSeconds() - cpuBefore;
        var completed = Math.Min(next, limit);
        var sorted = latencies.AsSpan(0, completed).ToArray();
        Array.Sort(sorted);
        double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new PhaseResult(name, concurrency, completed, errors, seconds, completed / seconds, Percentile(0.50), Percentile(0.99), Percentile(0.999),
            Percentile(1.0), serverProcess.PeakMiB(), completed == 0 ? 0 : cpu * 1000 / completed, firstError);
    }
}
