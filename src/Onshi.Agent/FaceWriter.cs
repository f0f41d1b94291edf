using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Onshi.Core.Identifiers;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.FileNames;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.Agent;

/// <summary>
/// Writes each new app confirmation of the institution into face/ as <c>OQSsiquc01res_face_…xml</c>, as the real
/// system pushes face-reader results. Exactly once across restarts: the cursor and the file being written are saved in
/// face.state before the rename (temp file → state with pending name → rename → state without), and recovery finishes a
/// pending rename instead of writing the file again. The file name is derived from the confirmation (token = hash of
/// its id), so the same confirmation always gets the same name.
/// </summary>
public sealed partial class FaceWriter(OqsFolders folders, ReceiptApiClient api, OqsCharacterEncoding encoding, ILogger logger)
{
    private const int PageSize = 100;

    private string StatePath => Path.Combine(folders.State, "face.state");

    public long Cursor => Load().Cursor;

    /// <summary>Finishes a rename interrupted by a crash (called once at start).</summary>
    public void Recover()
    {
        var state = Load();
        if (state.Pending is { } pending)
        {
            var temp = Path.Combine(folders.Face, OqsFolders.TempNameFor(pending));
            if (File.Exists(temp) && !File.Exists(Path.Combine(folders.Face, pending)))
            {
                File.Move(temp, Path.Combine(folders.Face, pending), overwrite: false);
            }

            Save(state with { Pending = null });
        }

        foreach (var stray in Directory.EnumerateFiles(folders.Face, OqsFolders.TempPrefix + "*"))
        {
            File.Delete(stray); // written before its state line: the entry is fetched and written again
        }
    }

    /// <summary>Fetches and writes everything after the cursor; returns how many face files were written.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        for (var page = 0; page < 100; page++)
        {
            var state = Load();
            var outcome = await api.FeedAsync(state.Cursor, PageSize, cancellationToken).ConfigureAwait(false);
            if (outcome.Problem is { } problem)
            {
                LogFeedRefused(logger, problem.Code, problem.Message);
                return written;
            }

            var feed = outcome.Value!;
            foreach (var entry in feed.Entries)
            {
                Write(feed.InstitutionCode, entry);
                written++;
            }

            if (feed.Entries.Count < PageSize)
            {
                return written;
            }
        }

        return written;
    }

    private void Write(string institutionCode, FeedEntry entry)
    {
        var code = MedicalInstitutionCode.Parse(institutionCode).Value!.Value;
        var token = Convert.ToHexStringLower(SHA256.HashData(entry.ConfirmationId.ToByteArray()))[..22];
        var name = OqsFaceFileName.Create(code, entry.ConfirmedAt, token).ToString();
        // The face file reports one confirmation, so its header describes that confirmation: 資格確認日 and 処理実行日時
        // are when the patient was confirmed (JST), not when the agent got round to writing the file — a restarted
        // agent writing a backlog must not re-date the visits.
        var confirmedOn = entry.ConfirmedAt.ToOffset(TimeSpan.FromHours(9)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var request = new OqsRequestHeader { QualificationConfirmationDate = confirmedOn, MedicalInstitutionCode = institutionCode };
        var response = new QualificationConfirmationResponse
        {
            Header = OqsResponseFactory.Header(request, entry.ConfirmedAt, "1", "1"),
            Body = entry.Result,
        };
        var bytes = OqsResponseWriter.Write(response, encoding);
        var final = Path.Combine(folders.Face, name);
        if (!File.Exists(final))
        {
            OqsFolders.WriteDurably(Path.Combine(folders.Face, OqsFolders.TempNameFor(name)), bytes.Content.Span);
            Save(new FaceState(entry.Cursor, name));
            File.Move(Path.Combine(folders.Face, OqsFolders.TempNameFor(name)), final, overwrite: false);
            AgentMetrics.Shared.FaceFileWritten();
        }

        Save(new FaceState(entry.Cursor, null));
    }

    private FaceState Load()
    {
        if (!File.Exists(StatePath))
        {
            return new FaceState(0, null);
        }

        return JsonSerializer.Deserialize<FaceState>(File.ReadAllBytes(StatePath)) ?? new FaceState(0, null);
    }

    private void Save(FaceState state)
    {
        var temp = StatePath + ".tmp";
        OqsFolders.WriteDurably(temp, JsonSerializer.SerializeToUtf8Bytes(state));
        File.Move(temp, StatePath, overwrite: true);
    }

    private sealed record FaceState(long Cursor, string? Pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "The confirmation feed was refused: {Code} {Message}")]
    private static partial void LogFeedRefused(ILogger logger, string code, string message);
}
