using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Onshi.Jpki;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Reliability;

/// <summary>One patient attempt: its Idempotency-Key, the exact body bytes, and the confirmation id once a 2xx came back.</summary>
public sealed class Attempt(Guid key, string body)
{
    public Guid Key { get; } = key;

    public string Body { get; } = body;

    public Guid? ConfirmationId { get; set; }

    /// <summary>The status of the acknowledging answer: 201 first time, 200 when a retry found it already stored.</summary>
    public HttpStatusCode? AcknowledgedWith { get; set; }
}

/// <summary>
/// The app side of a confirmation load against a server that may die at any moment: every attempt is recorded before
/// it is sent, acknowledged only by a 2xx, and retried with the same Idempotency-Key and body after a connection error
/// or a 5xx, as the real app does.
/// </summary>
public sealed class ConfirmationLoad(AppClient app, Patient patient, string institutionCode)
{
    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    public int Acknowledged => Attempts.Count(a => a.ConfirmationId is not null);

    /// <summary>A fresh challenge, signed by the card; null when the server could not be reached.</summary>
    public async Task<Attempt?> NewAttemptAsync()
    {
        AppResponse challenge;
        try
        {
            challenge = await app.PostAsync("/challenges", new { purpose = "outpatient" });
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            return null;
        }

        if (challenge.Status != HttpStatusCode.Created)
        {
            Assert.True((int)challenge.Status >= 500, "challenge refused: " + challenge.Body?.ToJsonString());
            return null;
        }

        var id = Guid.Parse(challenge.Str("challengeId"));
        var (certificate, signature) = await Patients.SignAsync(patient.Card, CanonicalBase64Url.TryDecode(challenge.Str("challenge"))!, institutionCode, app.Thumbprint, AuthenticationPurpose.Outpatient);
        var attempt = new Attempt(Guid.NewGuid(), JsonSerializer.Serialize(Patients.PinBody(id, certificate, signature), JsonSerializerOptions.Web));
        Attempts.Enqueue(attempt);
        return attempt;
    }

    /// <summary>One POST; true when acknowledged. A refusal (4xx) is a defect of the server, never retried.</summary>
    public async Task<bool> SendAsync(Attempt attempt)
    {
        AppResponse response;
        try
        {
            response = await app.SendAsync(HttpMethod.Post, "/confirmations", attempt.Body, headers: new Dictionary<string, string> { ["Idempotency-Key"] = attempt.Key.ToString() });
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            return false;
        }

        if ((int)response.Status >= 500)
        {
            return false;
        }

        Assert.True(response.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"attempt {attempt.Key}: {(int)response.Status} {response.Body?.ToJsonString()}");
        var id = Guid.Parse(response.Str("confirmationId"));
        Assert.True(attempt.ConfirmationId is null || attempt.ConfirmationId == id, $"attempt {attempt.Key} answered two ids");
        attempt.ConfirmationId = id;
        attempt.AcknowledgedWith = response.Status;
        return true;
    }

    /// <summary>Retries an attempt until acknowledged, a bounded number of times.</summary>
    public async Task<bool> SendWithRetriesAsync(Attempt attempt, int tries = 40)
    {
        for (var i = 0; i < tries; i++)
        {
            if (await SendAsync(attempt))
            {
                return true;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        return false;
    }

    /// <summary>Workers that send new attempts until <paramref name="stop"/> (bounded by <paramref name="maxPerWorker"/>).</summary>
    public Task RunAsync(int workers, int maxPerWorker, bool retry, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < maxPerWorker && !stop.IsCancellationRequested; i++)
            {
                var attempt = await NewAttemptAsync();
                if (attempt is null)
                {
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                    continue;
                }

                if (retry)
                {
                    Assert.True(await SendWithRetriesAsync(attempt), $"attempt {attempt.Key} was never acknowledged");
                }
                else
                {
                    await SendAsync(attempt);
                }
            }
        })));

    public static bool IsConnectionError(Exception e) =>
        e is HttpRequestException or IOException || (e is TaskCanceledException && !TestContext.Current.CancellationToken.IsCancellationRequested);
}
