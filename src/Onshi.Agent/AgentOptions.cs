using System.ComponentModel.DataAnnotations;
using Onshi.OqsXml.Encodings;

namespace Onshi.Agent;

/// <summary>Configuration section "Agent" (command line: --server, --client-id, --secret, --root, or a JSON file via --config).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Base address of the Onshi server, e.g. https://onshi.example.jp/.</summary>
    [Required]
    public Uri? Server { get; set; }

    /// <summary>連携アプリ用アカウントのクライアントID.</summary>
    [Required]
    public string? ClientId { get; set; }

    /// <summary>Its secret (shown once in the portal).</summary>
    [Required]
    public string? Secret { get; set; }

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

    /// <summary>Encoding of face files (the レセコン did not send a request to copy it from).</summary>
    public OqsCharacterEncoding FaceEncoding { get; set; } = OqsCharacterEncoding.Utf8;
}
