using System.Globalization;
using System.Text;

namespace Onshi.Agent;

/// <summary>How far the answer to one request file (name + content hash) has got.</summary>
public enum RequestStage
{
    /// <summary>Never seen, or seen and fully archived before (a new file with the same name and bytes is a new request).</summary>
    New = 0,

    /// <summary>The response bytes are durable under their temporary name; renaming them is all that is left.</summary>
    ResponseStaged = 1,

    /// <summary>The response is in res/ under its real name; the request still has to be moved out of req/.</summary>
    Answered = 2,

    /// <summary>The request was moved to trash/ or error/.</summary>
    Archived = 3,
}

/// <summary>
/// The agent's durable memory: an append-only journal of request stages, flushed to disk at every line, so that after a
/// crash or restart a request whose response was written is never answered again and a request in flight is finished.
/// The protocol per request: response bytes to a temporary file (flushed) → <see cref="RequestStage.ResponseStaged"/> →
/// rename → <see cref="RequestStage.Answered"/> → move the request aside → <see cref="RequestStage.Archived"/>.
/// Recovery completes whatever stage a request reached; a temporary file without a journal line is discarded (the
/// レセコン never saw it) and the request is answered afresh.
/// </summary>
public sealed class AgentJournal : IDisposable
{
    private const int CompactAbove = 20_000;
    private readonly string _path;
    private readonly Dictionary<string, RequestStage> _stages = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly FileStream _stream;

    public AgentJournal(string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        _path = Path.Combine(stateFolder, "requests.journal");
        if (File.Exists(_path))
        {
            foreach (var line in File.ReadLines(_path, Encoding.UTF8))
            {
                // A torn last line (crash mid-write) has fewer fields and is ignored: its stage was never reached.
                var parts = line.Split('\t');
                if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var stage) && Enum.IsDefined((RequestStage)stage))
                {
                    _stages[Key(parts[1], parts[2])] = (RequestStage)stage;
                }
            }
        }

        Compact();
        _stream = Open();
    }

    public static string Key(string fileName, string contentHash) => fileName + "\t" + contentHash;

    public RequestStage StageOf(string fileName, string contentHash)
    {
        lock (_gate)
        {
            var stage = _stages.GetValueOrDefault(Key(fileName, contentHash));
            return stage == RequestStage.Archived ? RequestStage.New : stage;
        }
    }

    /// <summary>Requests that reached a stage but not <see cref="RequestStage.Archived"/> (to finish after a restart).</summary>
    public IReadOnlyList<(string FileName, string ContentHash, RequestStage Stage)> Unfinished()
    {
        lock (_gate)
        {
            return [.. _stages.Where(s => s.Value is RequestStage.ResponseStaged or RequestStage.Answered)
                .Select(s => (s.Key.Split('\t')[0], s.Key.Split('\t')[1], s.Value))];
        }
    }

    public void Record(string fileName, string contentHash, RequestStage stage)
    {
        lock (_gate)
        {
            var line = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(int)stage}\t{fileName}\t{contentHash}\n"));
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
            _stages[Key(fileName, contentHash)] = stage;
        }
    }

    public void Dispose() => _stream.Dispose();

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.Read);

    /// <summary>Rewrites the journal without archived entries when it grew large (atomically: temp file, then replace).</summary>
    private void Compact()
    {
        if (_stages.Count < CompactAbove)
        {
            return;
        }

        foreach (var archived in _stages.Where(s => s.Value == RequestStage.Archived).Select(s => s.Key).ToList())
        {
            _stages.Remove(archived);
        }

        var temp = _path + ".compact";
        var text = new StringBuilder();
        foreach (var (key, stage) in _stages)
        {
            text.Append(((int)stage).ToString(CultureInfo.InvariantCulture)).Append('\t').Append(key).Append('\n');
        }

        OqsFolders.WriteDurably(temp, Encoding.UTF8.GetBytes(text.ToString()));
        File.Move(temp, _path, overwrite: true);
    }
}
