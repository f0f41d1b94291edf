using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>Wakes the worker when a job is queued, so a small job does not wait for the next poll.</summary>
public sealed class BulkJobSignal
{
    // Capacity one, extra signals dropped: one wake-up is enough, the worker drains the queue.
    private readonly System.Threading.Channels.Channel<bool> _signal = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    public void Notify() => _signal.Writer.TryWrite(true);

    /// <summary>Waits for a signal or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _signal.Reader.ReadAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: poll.
        }
    }
}

/// <summary>Upload (phase 1) and fetch (phase 2) of bulk requests; the work itself is done by <see cref="BulkJobWorker"/>.</summary>
public sealed class BulkJobs(AppDbContext db, TimeProvider time, BulkJobSignal signal, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>Stores the accepted job; with a client key already used by the institution, answers the earlier job (a retried upload).</summary>
    public Task<BulkJob> AcceptAsync(MachineCaller caller, BulkJobKind kind, BulkRequestBody body, int rows, string? clientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return AcceptAsync(caller.ToRequester(), kind, body, rows, clientKey, cancellationToken);
    }

    /// <inheritdoc cref="AcceptAsync(MachineCaller, BulkJobKind, BulkRequestBody, int, string?, CancellationToken)"/>
    public async Task<BulkJob> AcceptAsync(ReceiptRequester caller, BulkJobKind kind, BulkRequestBody body, int rows, string? clientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (clientKey is not null)
        {
            var earlier = await db.BulkJobs.IgnoreQueryFilters().AsNoTracking()
                .SingleOrDefaultAsync(j => j.InstitutionId == caller.InstitutionId && j.ClientKey == clientKey, cancellationToken).ConfigureAwait(false);
            if (earlier is not null)
            {
                return earlier;
            }
        }

        var job = new BulkJob
        {
            InstitutionId = caller.InstitutionId,
            MachineAccountId = caller.MachineAccountId,
            AccountId = caller.AccountId,
            ReceptionNumber = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            ClientKey = clientKey,
            Kind = kind,
            Status = BulkJobStatus.Queued,
            RequestJson = JsonSerializer.Serialize(body, json.Value.SerializerOptions),
            RowCount = rows,
            AcceptedAt = time.GetUtcNow(),
        };
        db.BulkJobs.Add(job);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex) && clientKey is not null)
        {
            db.ChangeTracker.Clear();
            return await db.BulkJobs.IgnoreQueryFilters().AsNoTracking()
                .SingleAsync(j => j.InstitutionId == caller.InstitutionId && j.ClientKey == clientKey, cancellationToken).ConfigureAwait(false);
        }

        signal.Notify();
        return job;
    }

    public Task<OperationResult<BulkResult>> GetAsync(MachineCaller caller, string receptionNumber, BulkJobKind? expectedKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return GetAsync(caller.InstitutionId, receptionNumber, expectedKind, cancellationToken);
    }

    /// <summary>Phase 2: the job's result once completed, else its status; only within the asking institution.</summary>
    public async Task<OperationResult<BulkResult>> GetAsync(int institutionId, string receptionNumber, BulkJobKind? expectedKind, CancellationToken cancellationToken)
    {
        var job = await db.BulkJobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.ReceptionNumber == receptionNumber && j.InstitutionId == institutionId)
            .Select(j => new { j.ReceptionNumber, j.Kind, j.Status, j.ResultJson })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return OperationResult<BulkResult>.Fail(ReceiptRefusals.ReceptionNumberUnknown);
        }

        if (expectedKind is { } expected && job.Kind != expected)
        {
            return OperationResult<BulkResult>.Fail(ReceiptRefusals.ReceptionNumberOtherKind);
        }

        return job.Status switch
        {
            BulkJobStatus.Completed => OperationResult<BulkResult>.Ok(Completed(job.ReceptionNumber, job.Kind, JsonSerializer.Deserialize<BulkJobResults>(job.ResultJson!, json.Value.SerializerOptions)!)),
            BulkJobStatus.Failed => OperationResult<BulkResult>.Fail(ReceiptRefusals.BulkJobFailed),
            _ => OperationResult<BulkResult>.Ok(new BulkResult(job.ReceptionNumber, BulkKinds.ToWire(job.Kind), "processing", null, null)),
        };
    }

    private static BulkResult Completed(string receptionNumber, BulkJobKind kind, BulkJobResults results) =>
        new(receptionNumber, BulkKinds.ToWire(kind), "completed", results.QualificationResults, results.RegistrationResults);
}

/// <summary>
/// Processes queued bulk jobs one at a time (bounded: one job, one scope, rows in order), claiming each with a lease so
/// that a job left half-done by a crash or restart is taken over once the lease ends, and never run twice at once.
/// </summary>
public sealed partial class BulkJobWorker(IServiceScopeFactory scopes, BulkJobSignal signal, TimeProvider time, IOptions<ReceiptOptions> options, ILogger<BulkJobWorker> logger) : BackgroundService
{
    private const int MaxAttempts = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.WorkerPollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await RunOneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The worker must outlive any one failure (a database hiccup); the job keeps its lease and is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogIterationFailed(logger, ex);
                worked = false;
            }

            if (!worked)
            {
                try
                {
                    await signal.WaitAsync(poll, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk job worker iteration failed")]
    private static partial void LogIterationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk job {ReceptionNumber} was taken over by another worker before it finished")]
    private static partial void LogTakenOver(ILogger logger, string receptionNumber);

    /// <summary>Claims and processes one job; false when there was none.</summary>
    public async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var candidate = await db.BulkJobs.IgnoreQueryFilters()
            .Where(j => j.Status == BulkJobStatus.Queued || (j.Status == BulkJobStatus.Processing && j.LeaseUntil < now))
            .OrderBy(j => j.AcceptedAt).ThenBy(j => j.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        // The queue as this worker sees it, for the onshi.bulk_jobs.queued gauge (one COUNT per poll).
        scope.ServiceProvider.GetService<Hosting.OnshiMetrics>()?.BulkJobQueueDepth(await db.BulkJobs.IgnoreQueryFilters()
            .CountAsync(j => j.Status == BulkJobStatus.Queued || (j.Status == BulkJobStatus.Processing && j.LeaseUntil < now), cancellationToken).ConfigureAwait(false));
        if (candidate is null)
        {
            return false;
        }

        candidate.Status = BulkJobStatus.Processing;
        candidate.LeaseUntil = now.AddSeconds(options.Value.JobLeaseSeconds);
        candidate.Attempts++;
        candidate.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            return true; // another worker claimed it; look again
        }

        if (candidate.Attempts > MaxAttempts)
        {
            candidate.Status = BulkJobStatus.Failed;
            candidate.FailureDetail = "too many attempts";
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        var processor = scope.ServiceProvider.GetRequiredService<BulkJobProcessor>();
        var results = await processor.ProcessAsync(candidate, cancellationToken).ConfigureAwait(false);
        var json = scope.ServiceProvider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        db.ChangeTracker.Clear();
        var version = candidate.Version;
        var done = await db.BulkJobs.IgnoreQueryFilters()
            .Where(j => j.Id == candidate.Id && j.Version == version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, BulkJobStatus.Completed)
                .SetProperty(j => j.ResultJson, JsonSerializer.Serialize(results, json))
                .SetProperty(j => j.CompletedAt, time.GetUtcNow())
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.Version, Guid.NewGuid()), cancellationToken).ConfigureAwait(false);
        if (done == 0)
        {
            LogTakenOver(logger, candidate.ReceptionNumber);
        }

        return true;
    }
}

/// <summary>Does the rows of one job (no state of its own: safe to repeat after a takeover).</summary>
public sealed class BulkJobProcessor(ReceiptOperations operations, OqsResultMapping mapping, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    internal async Task<BulkJobResults> ProcessAsync(BulkJob job, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Deserialize<BulkRequestBody>(job.RequestJson, json.Value.SerializerOptions)!;
        // The uploader acts again in the worker: the audit lines name the machine or the staff account that sent the job.
        var caller = job.MachineAccountId is { } machine
            ? ReceiptRequester.Machine(job.InstitutionId, machine)
            : new ReceiptRequester(job.InstitutionId, null, job.AccountId, new Common.Actor(job.AccountId, job.InstitutionId, null, $"account:{job.AccountId}"));
        switch (job.Kind)
        {
            case BulkJobKind.QualificationConfirmation:
            {
                var request = new BulkQualificationConfirmationRequest
                {
                    Header = new OqsRequestHeader { MedicalInstitutionCode = body.MedicalInstitutionCode, QualificationConfirmationDate = body.QualificationConfirmationDate },
                    SearchInfos = body.SearchInfos!.ToList(),
                };
                var validated = OqsValidation.Validate(request);
                var asOf = operations.AsOf(body.QualificationConfirmationDate);
                var references = await mapping.AllReferenceNumbersAsync(job.InstitutionId, cancellationToken).ConfigureAwait(false);
                var accessed = new List<long>(request.SearchInfos.Count);
                var results = await operations.ConfirmManyAsync(request.SearchInfos, validated.RowErrors, asOf, references, cancellationToken, accessed).ConfigureAwait(false);

                // Recorded before the results are stored: a job repeated after a takeover is logged twice, never zero times.
                await operations.RecordAccessAsync(caller, "receipt.bulk_qualification_confirmed", $"bulk:{job.ReceptionNumber}", accessed, $"rows={results.Count}", cancellationToken).ConfigureAwait(false);
                return new BulkJobResults(results, null);
            }

            case BulkJobKind.ReferenceNumberRegistration:
            {
                var request = new BulkReferenceNumberRegistrationRequest
                {
                    Header = new OqsRequestHeader { MedicalInstitutionCode = body.MedicalInstitutionCode },
                    RegistrationInfos = body.RegistrationInfos!.ToList(),
                };
                var validated = OqsValidation.Validate(request);
                var results = new List<ReferenceNumberRegistrationResult>(request.RegistrationInfos.Count);
                for (var i = 0; i < request.RegistrationInfos.Count; i++)
                {
                    results.Add(await operations.RegisterAsync(caller, request.RegistrationInfos[i], validated.RowErrors[i], cancellationToken).ConfigureAwait(false));
                }

                return new BulkJobResults(null, results);
            }

            case BulkJobKind.MedicalAssistance:
            {
                var accessed = new List<long>();
                var month = body.MedicalAssistanceSearch!.MedicalTreatmentMonth!;
                var assisted = await operations.MedicalAssistanceAsync(job.InstitutionId, month, cancellationToken, accessed).ConfigureAwait(false);
                await operations.RecordAccessAsync(caller, "receipt.bulk_medical_assistance_read", $"bulk:{job.ReceptionNumber}", accessed, $"month={month}", cancellationToken).ConfigureAwait(false);
                return new BulkJobResults(assisted, null);
            }

            default:
            {
                var purpose = job.Kind == BulkJobKind.ConsentedHomeVisit ? Jpki.AuthenticationPurpose.HomeVisit : Jpki.AuthenticationPurpose.Online;
                var accessed = new List<long>();
                var consented = await operations.ConsentedAsync(job.InstitutionId, purpose, body.Search!, cancellationToken, accessed).ConfigureAwait(false);
                await operations.RecordAccessAsync(caller, "receipt.bulk_consented_read", $"bulk:{job.ReceptionNumber}", accessed, $"purpose={purpose}", cancellationToken).ConfigureAwait(false);
                return new BulkJobResults(consented, null);
            }
        }
    }
}
