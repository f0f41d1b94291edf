using System.ComponentModel.DataAnnotations;
using Onshi.OqsXml.Encodings;

namespace Onshi.Agent;

/// <summary>Configuration section "Agent" (command line: --server, --client-id, --secret-file, --root, or a JSON file via --config; the secret never on the command line).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Base address of the Onshi server, e.g. https://onshi.example.jp/.</summary>
    [Required]
    public Uri? Server { get; set; }

    /// <summary>連携アプリ用アカウントのクライアントID.</summary>
    [Required]
    public string? ClientId { get; set; }

    /// <summary>Its secret (shown once in the portal): environment ONSHI_AGENT_Agent__Secret, the --config file, or <see cref="SecretFile"/>.</summary>
    [Required]
    public string? Secret { get; set; }

    /// <summary>A file holding only the secret (first line); takes precedence over <see cref="Secret"/>.</summary>
    public string? SecretFile { get; set; }

    /// <summary>The OQS folder holding req/, res/, face/ (and the agent's trash/, error/, .onshi-agent/).</summary>
    [Required]
    public string? Root { get; set; }

    /// <summary>How often the confirmation feed is polled (face files appear within about this long).</summary>
    [Range(50, 60_000)]
    public int FeedPollMilliseconds { get; set; } = 500;

    /// <summary>Full rescan of req/ even without watcher events (FileSystemWatcher misses events on some shares).</summary>
    [Range(100, 600_000)]
    public int RescanMilliseconds { get; set; } = 2000;

    /// <summary>A request file counts as complete when its size did not change for this long and it opens exclusively.</summary>
    [Range(0, 60_000)]
    public int StableMilliseconds { get; set; } = 200;

    /// <summary>
    /// Largest request file the agent reads (docs/receipt.md). A bigger file is moved to error/ with a reason, unread:
    /// the largest legitimate request (a bulk upload at the server's row limit) is far below the 10 MiB default.
    /// </summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBytes { get; set; } = RequestProcessor.DefaultMaxRequestBytes;

    /// <summary>Encoding of face files (the レセコン did not send a request to copy it from).</summary>
    public OqsCharacterEncoding FaceEncoding { get; set; } = OqsCharacterEncoding.Utf8;
}
