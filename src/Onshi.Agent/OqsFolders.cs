namespace Onshi.Agent;

/// <summary>
/// The folders under the OQS root: req (レセコン → agent), res (agent → レセコン), face (unsolicited results), trash
/// (processed requests), error (requests that could not be read, kept for inspection, never deleted), .onshi-agent
/// (the agent's durable state). Responses are first written under a temporary name starting with
/// <see cref="TempPrefix"/> in the target folder, then renamed, so a reader never sees half a file.
/// </summary>
public sealed class OqsFolders
{
    public const string TempPrefix = ".onshi-tmp-";

    public OqsFolders(string root)
    {
        Root = Path.GetFullPath(root);
        Requests = Path.Combine(Root, "req");
        Responses = Path.Combine(Root, "res");
        Face = Path.Combine(Root, "face");
        Trash = Path.Combine(Root, "trash");
        Error = Path.Combine(Root, "error");
        State = Path.Combine(Root, ".onshi-agent");
    }

    public string Root { get; }

    public string Requests { get; }

    public string Responses { get; }

    public string Face { get; }

    public string Trash { get; }

    public string Error { get; }

    public string State { get; }

    public void EnsureExist()
    {
        foreach (var folder in new[] { Requests, Responses, Face, Trash, Error, State })
        {
            Directory.CreateDirectory(folder);
        }
    }

    public static string TempNameFor(string finalName) => TempPrefix + finalName;

    /// <summary>
    /// Writes bytes to a new file and flushes them to disk before returning. Whatever is at <paramref name="path"/> is
    /// removed first (a stale temporary file, or a symbolic link someone planted: File.Delete removes the link, never its
    /// target), and the file is created with CreateNew (O_CREAT|O_EXCL), which never follows a link: a link planted
    /// between the delete and the create makes the write fail (IOException, retried later) instead of writing through it.
    /// </summary>
    public static void WriteDurably(string path, ReadOnlySpan<byte> content)
    {
        File.Delete(path);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>True when <paramref name="entry"/> is a symbolic link or another reparse point (checked on the link itself, never its target).</summary>
    public static bool IsLink(FileSystemInfo entry) =>
        entry.LinkTarget is not null || (entry.Exists && entry.Attributes.HasFlag(FileAttributes.ReparsePoint));

    /// <summary>Moves a file away into error/ with a sidecar "&lt;name&gt;.reason.txt" saying why, in Japanese and with a stable code.</summary>
    public string Reject(string path, string code, string reason)
    {
        var kept = MoveAside(path, Error);
        WriteDurably(kept + ".reason.txt", System.Text.Encoding.UTF8.GetBytes($"{code}\n{reason}\n"));
        return kept;
    }

    /// <summary>Moves a file into a folder without overwriting: a name already taken gets a numbered suffix.</summary>
    public static string MoveAside(string source, string folder)
    {
        var name = Path.GetFileName(source);
        var target = Path.Combine(folder, name);
        for (var i = 1; File.Exists(target) && i < 10_000; i++)
        {
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}.{i}{Path.GetExtension(name)}");
        }

        File.Move(source, target, overwrite: false);
        return target;
    }
}
