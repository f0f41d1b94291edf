using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.Agent;

/// <summary>
/// Answers the request files in req/: read strictly, ask the server, write the response under the matching res/ name
/// atomically, move the request aside — each step recorded in the <see cref="AgentJournal"/> so a restart neither loses
/// nor repeats an answer. A file that cannot be read gets a SegmentOfResult 9 response and is moved to error/.
/// </summary>
public sealed partial class RequestProcessor(OqsFolders folders, AgentJournal journal, ReceiptApiClient api, TimeProvider time, ILogger logger, int stableMilliseconds = 200, long maxRequestBytes = RequestProcessor.DefaultMaxRequestBytes, AgentMetrics? metrics = null)
{
    private readonly AgentMetrics _metrics = metrics ?? AgentMetrics.Shared;

    /// <summary>10 MiB: see <see cref="AgentOptions.MaxRequestBytes"/>.</summary>
    public const long DefaultMaxRequestBytes = 10L * 1024 * 1024;

    public const string LinkRefusedCode = "agent.request_is_link";

    public const string TooLargeCode = "agent.request_too_large";

    /// <summary>Finishes what a previous run left between stages (called once at start).</summary>
    public void Recover()
    {
        foreach (var (fileName, hash, stage) in journal.Unfinished())
        {
            var requestPath = Path.Combine(folders.Requests, fileName);
            if (OqsFileName.Parse(fileName).Value is not { } name)
            {
                continue;
            }

            var responseName = name.ToResponse().ToString();
            if (stage == RequestStage.ResponseStaged && !FinishRename(folders.Responses, responseName))
            {
                continue;
            }

            journal.Record(fileName, hash, RequestStage.Answered);
            ArchiveIfStillThere(requestPath, fileName, hash);
        }

        // Temporary files the journal never heard of: the crash came before their bytes were committed; the request
        // is still in req/ and will be answered afresh.
        var staged = journal.Unfinished().Select(u => OqsFolders.TempNameFor(OqsFileName.Parse(u.FileName).Value?.ToResponse().ToString() ?? "")).ToHashSet(StringComparer.Ordinal);
        foreach (var temp in Directory.EnumerateFiles(folders.Responses, OqsFolders.TempPrefix + "*"))
        {
            if (!staged.Contains(Path.GetFileName(temp)))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Processes every complete request file in req/, oldest first. Returns how many were answered.</summary>
    public async Task<int> ProcessFolderAsync(CancellationToken cancellationToken)
    {
        var files = new DirectoryInfo(folders.Requests).EnumerateFiles("OQS*")
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        var answered = 0;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await ProcessFileAsync(file.FullName, cancellationToken).ConfigureAwait(false))
                {
                    answered++;
                }
            }
#pragma warning disable CA1031 // One file must not stop the others: it stays in req/ and is tried again at the next scan.
            catch (Exception ex) when (ex is not (OperationCanceledException or HttpRequestException))
#pragma warning restore CA1031
            {
                LogFailed(logger, file.Name, ex);
                _metrics.Failed();
            }
        }

        return answered;
    }

    /// <summary>Answers one request file; false when it is not (yet) complete or the server could not be reached.</summary>
    public async Task<bool> ProcessFileAsync(string path, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);

        // Checked on the entry itself before anything opens it: a link in req/ would make the agent read (and send to
        // the server) whatever file it points at; an oversized file would be read whole into memory.
        var entry = new FileInfo(path);
        if (OqsFolders.IsLink(entry))
        {
            var kept = folders.Reject(path, LinkRefusedCode, "要求ファイルがシンボリックリンク(又はリパースポイント)のため読み込みません。リンク先のファイルには触れていません。");
            LogRejected(logger, fileName, LinkRefusedCode, kept);
            _metrics.Rejected();
            return false;
        }

        if (entry.Exists && entry.Length > maxRequestBytes)
        {
            var kept = folders.Reject(path, TooLargeCode,
                $"要求ファイルが大きすぎるため読み込みません({entry.Length}バイト、上限{maxRequestBytes}バイト。設定 Agent:MaxRequestBytes)。");
            LogRejected(logger, fileName, TooLargeCode, kept);
            _metrics.Rejected();
            return false;
        }

        var parsedName = OqsFileName.Parse(fileName);
        if (parsedName.Value is not { IsRequest: true } name)
        {
            // No response name can be derived from a name that is not a request name: keep the file for inspection.
            if (fileName.Contains("req", StringComparison.Ordinal) && await ReadWhenCompleteAsync(path, cancellationToken).ConfigureAwait(false) is not null)
            {
                var kept = OqsFolders.MoveAside(path, folders.Error);
                LogUnnamed(logger, fileName, parsedName.Error?.WireCode ?? "-", kept);
            }

            return false;
        }

        var content = await ReadWhenCompleteAsync(path, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return false;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..32];
        var stage = journal.StageOf(fileName, hash);
        if (stage != RequestStage.New)
        {
            Recover();
            return false;
        }

        var read = OqsRequestReader.Read(content, name);
        if (read.SkippedElements.Count > 0)
        {
            // Paths only, never values: the operator learns the レセコン sends something newer than this layout.
            LogSkipped(logger, fileName, string.Join(", ", read.SkippedElements));
        }
        var (response, malformed) = await AnswerAsync(name, read, fileName, hash, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }

        var responseName = name.ToResponse().ToString();
        var written = OqsResponseWriter.Write(response, read.Encoding);
        if (written.IsLossy)
        {
            LogLossy(logger, responseName, written.Substitutions.Count);
        }

        var temp = Path.Combine(folders.Responses, OqsFolders.TempNameFor(responseName));
        OqsFolders.WriteDurably(temp, written.Content.Span);
        journal.Record(fileName, hash, RequestStage.ResponseStaged);
        if (!FinishRename(folders.Responses, responseName))
        {
            return false;
        }

        journal.Record(fileName, hash, RequestStage.Answered);
        _metrics.Answered(malformed);
        if (malformed)
        {
            var kept = OqsFolders.MoveAside(path, folders.Error);
            LogMalformed(logger, fileName, read.FileError?.WireCode ?? "-", kept);
            journal.Record(fileName, hash, RequestStage.Archived);
        }
        else
        {
            ArchiveIfStillThere(path, fileName, hash);
        }

        return true;
    }

    private async Task<(OqsResponse? Response, bool Malformed)> AnswerAsync(OqsFileName name, OqsRequestReadResult read, string fileName, string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var responseKind = name.Interface.ResponseKind(name.Phase);
        if (read.FileError is { } fileError)
        {
            return (OqsResponseFactory.FileError(responseKind, fileError, read.Request?.Header, now), true);
        }

        var request = read.Request!;
        switch (request)
        {
            case QualificationConfirmationRequest single:
            {
                var outcome = await api.ConfirmAsync(single.Header, single.SearchInfo, cancellationToken).ConfigureAwait(false);
                return outcome.Problem is { } problem
                    ? (Refused(responseKind, problem, request.Header, now), false)
                    : (new QualificationConfirmationResponse { Header = OqsResponseFactory.Header(single.Header, now, "1", "2"), Body = outcome.Value! }, false);
            }

            case ReferenceNumberRegistrationRequest registration:
            {
                var outcome = await api.RegisterAsync(registration.Header, registration.RegistrationInfo, cancellationToken).ConfigureAwait(false);
                return outcome.Problem is { } problem
                    ? (Refused(responseKind, problem, request.Header, now), false)
                    : (new ReferenceNumberRegistrationResponse { Header = OqsResponseFactory.Header(registration.Header, now), Body = outcome.Value! }, false);
            }

            case BulkResultRequest download:
            {
                var outcome = await api.GetBulkAsync(download.ReceptionNumber!, KindOf(name.Interface), cancellationToken).ConfigureAwait(false);
                if (outcome.Problem is { } problem)
                {
                    return (Refused(responseKind, problem, request.Header, now), false);
                }

                var result = outcome.Value!;
                if (result.Status != "completed")
                {
                    return (OqsResponseFactory.Processing(responseKind, download.Header, result.ReceptionNumber, now), false);
                }

                return (Completed(responseKind, download.Header, result, now), false);
            }

            default:
            {
                // A 01req upload: the idempotency key makes a retried upload (after a crash) answer the same 受付番号.
                var outcome = await api.AcceptBulkAsync(KindOf(name.Interface), request, $"agent:{fileName}:{hash}", cancellationToken).ConfigureAwait(false);
                return outcome.Problem is { } problem
                    ? (Refused(responseKind, problem, request.Header, now), false)
                    : (OqsResponseFactory.Accepted(request.Header, outcome.Value!.ReceptionNumber, now), false);
            }
        }
    }

    private static OqsResponse Completed(OqsMessageKind responseKind, OqsRequestHeader header, BulkResult result, DateTimeOffset now)
    {
        if (responseKind == OqsMessageKind.BulkRegistrationResultResponse)
        {
            var units = result.RegistrationResults ?? [];
            return new BulkRegistrationResultResponse { Header = BulkHeader(header, result.ReceptionNumber, now, units.Count, units.Count(u => u.ProcessingResultStatus == "1")), Units = units.ToList() };
        }

        var confirmations = result.QualificationResults ?? [];
        return new BulkQualificationResultResponse
        {
            // No ReferenceClassification: the 02res header has no such element (public model), and the writer refuses
            // a value it cannot place rather than dropping it.
            Header = BulkHeader(header, result.ReceptionNumber, now, confirmations.Count, confirmations.Count(u => u.ProcessingResultStatus == "1")),
            Units = confirmations.ToList(),
        };
    }

    private static OqsResponseHeader BulkHeader(OqsRequestHeader header, string receptionNumber, DateTimeOffset now, int count, int normal) =>
        OqsResponseFactory.Header(header, now) with
        {
            ReceptionNumber = receptionNumber,
            NumberOfProcessingResult = count.ToString(CultureInfo.InvariantCulture),
            NumberOfNormalProcessing = normal.ToString(CultureInfo.InvariantCulture),
            NumberOfError = (count - normal).ToString(CultureInfo.InvariantCulture),
        };

    /// <summary>A refusal of the server becomes a file-level error (SegmentOfResult 9) with the server's wire code.</summary>
    private static OqsResponse Refused(OqsMessageKind responseKind, ApiProblem problem, OqsRequestHeader header, DateTimeOffset now)
    {
        var response = OqsResponseFactory.FileError(responseKind, new OqsError(OqsErrorCode.SearchConditionInvalid, problem.Message), header, now);
        return response with { Header = response.Header with { ErrorCode = problem.WireCode, ErrorMessage = Truncate(problem.Message) } };
    }

    private static string Truncate(string message) => message.Length <= 200 ? message : message[..199] + "…";

    public static string KindOf(OqsInterface api) => api switch
    {
        OqsInterface.BulkQualificationConfirmation => "qualificationConfirmation",
        OqsInterface.BulkReferenceNumberRegistration => "referenceNumberRegistration",
        OqsInterface.ConsentedHomeVisit => "consentedHomeVisit",
        OqsInterface.ConsentedOnline => "consentedOnline",
        OqsInterface.MedicalAssistanceBulk => "medicalAssistance",
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Not a bulk interface."),
    };

    /// <summary>Renames the staged temporary file to its real name; false (keep trying later) while that name is taken.</summary>
    private bool FinishRename(string folder, string finalName)
    {
        var temp = Path.Combine(folder, OqsFolders.TempNameFor(finalName));
        if (!File.Exists(temp))
        {
            return true; // renamed before the crash
        }

        try
        {
            File.Move(temp, Path.Combine(folder, finalName), overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, finalName)))
        {
            // An earlier response of the same name has not been collected by the レセコン yet: never overwrite it.
            LogNameTaken(logger, finalName);
            return false;
        }
    }

    private void ArchiveIfStillThere(string requestPath, string fileName, string hash)
    {
        if (File.Exists(requestPath))
        {
            OqsFolders.MoveAside(requestPath, folders.Trash);
        }

        journal.Record(fileName, hash, RequestStage.Archived);
    }

    /// <summary>The file's bytes once it is complete: size unchanged for the stable interval and openable exclusively.</summary>
    private async Task<byte[]?> ReadWhenCompleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var before = new FileInfo(path).Length;
            if (stableMilliseconds > 0)
            {
                await Task.Delay(stableMilliseconds, cancellationToken).ConfigureAwait(false);
            }

            var info = new FileInfo(path);
            if (!info.Exists || info.Length != before)
            {
                return null;
            }

            // .NET cannot open with O_NOFOLLOW, so the entry is checked again once the handle is open: a file swapped for a
            // link between the check in ProcessFileAsync and the open is caught here. Residual race (docs/receipt.md): a
            // swap to a link and back again inside that window; it needs write access to req/, which the レセコン has anyway.
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            if (OqsFolders.IsLink(new FileInfo(path)) || stream.Length > maxRequestBytes || stream.Length != before)
            {
                return null;
            }

            var buffer = new byte[stream.Length];
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // still being written, or gone: the next scan looks again
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {FileName} refused unread ({Code}); kept as {KeptAs}")]
    private static partial void LogRejected(ILogger logger, string fileName, string code, string keptAs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {FileName} could not be read ({WireCode}); answered with SegmentOfResult 9 and kept as {KeptAs}")]
    private static partial void LogMalformed(ILogger logger, string fileName, string wireCode, string keptAs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File {FileName} in req/ is not a request name ({WireCode}); no response name exists, kept as {KeptAs}")]
    private static partial void LogUnnamed(ILogger logger, string fileName, string wireCode, string keptAs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {FileName} holds elements this version does not define; answered without them: {Paths}")]
    private static partial void LogSkipped(ILogger logger, string fileName, string paths);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response {FileName}: {Count} character(s) not representable in Shift_JIS were written as 〓")]
    private static partial void LogLossy(ILogger logger, string fileName, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {FileName} could not be answered; it stays in req/ and is retried")]
    private static partial void LogFailed(ILogger logger, string fileName, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response name {FileName} is still taken in res/; will retry")]
    private static partial void LogNameTaken(ILogger logger, string fileName);
}
