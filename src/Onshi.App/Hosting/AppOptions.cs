using System.Globalization;

namespace Onshi.App.Hosting;

/// <summary>Command-line options of the app (see <see cref="Usage"/>).</summary>
public sealed record AppOptions
{
    public const string Usage = """
        onshi-app [--server URL] [--data DIR] [--urls http://127.0.0.1:PORT] [--reader pcsc[:NAME] | simulated]
                  [--cards DIR] [--panel vpcd:PORT] [--idle-minutes N]
          --server   the Onshi server (default http://127.0.0.1:5000)
          --data     where the device credentials are kept (default ./app-data)
          --urls     where the UI listens; only 127.0.0.1 is accepted (default http://127.0.0.1:5080)
          --reader   pcsc (first reader), pcsc:NAME, or simulated (demo panel with --cards)
          --cards    folder of demo card images (*.json) for the simulated reader panel
          --panel    vpcd:PORT serves the panel's cards through vsmartcard-vpcd (use with --reader pcsc:NAME)
          --idle-minutes  logout after this many minutes without an action (default 5)
        """;

    public Uri Server { get; init; } = new("http://127.0.0.1:5000/");

    public string DataFolder { get; init; } = "app-data";

    public Uri Url { get; init; } = new("http://127.0.0.1:5080/");

    /// <summary>"simulated", "pcsc" or "pcsc:NAME".</summary>
    public string Reader { get; init; } = "simulated";

    public string? CardsFolder { get; init; }

    /// <summary>vpcd port for the demo panel, or null for an in-memory panel (simulated reader) or none.</summary>
    public int? PanelVpcdPort { get; init; }

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Parses the command line; a Japanese/English error message for anything wrong.</summary>
    public static (AppOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new AppOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return (null, Usage);
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{name} に値がありません。\n{Usage}");
            }

            var value = args[++i];
            switch (name)
            {
                case "--server":
                    if (!Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
                    {
                        return (null, "--server は http(s)://… の URL で指定してください。");
                    }

                    options = options with { Server = server };
                    break;
                case "--data":
                    options = options with { DataFolder = value };
                    break;
                case "--urls":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme != "http" || url.Host is not ("127.0.0.1" or "localhost"))
                    {
                        return (null, "--urls は http://127.0.0.1:PORT だけを受け付けます（この画面は端末の中だけで使います）。");
                    }

                    options = options with { Url = new Uri($"http://127.0.0.1:{url.Port}/") };
                    break;
                case "--reader":
                    if (value != "simulated" && value != "pcsc" && !value.StartsWith("pcsc:", StringComparison.Ordinal))
                    {
                        return (null, "--reader は pcsc、pcsc:リーダー名、simulated のいずれかです。");
                    }

                    options = options with { Reader = value };
                    break;
                case "--cards":
                    options = options with { CardsFolder = value };
                    break;
                case "--panel":
                    if (!value.StartsWith("vpcd:", StringComparison.Ordinal)
                        || !int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                    {
                        return (null, "--panel は vpcd:PORT の形で指定してください。");
                    }

                    options = options with { PanelVpcdPort = port };
                    break;
                case "--idle-minutes":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 120)
                    {
                        return (null, "--idle-minutes は 1〜120 の整数です。");
                    }

                    options = options with { IdleTimeout = TimeSpan.FromMinutes(minutes) };
                    break;
                default:
                    return (null, $"不明なオプション {name}\n{Usage}");
            }
        }

        if (options.Reader == "simulated" && options.CardsFolder is null)
        {
            return (null, "--reader simulated には --cards（デモ用カードのフォルダ）が必要です。");
        }

        if (options.PanelVpcdPort is not null && options.CardsFolder is null)
        {
            return (null, "--panel には --cards（デモ用カードのフォルダ）が必要です。");
        }

        return (options, null);
    }
}
