namespace Onshi.Agent;

/// <summary>
/// Where the machine account's secret may come from: a file (--secret-file, or Agent:SecretFile in the --config JSON),
/// the environment (ONSHI_AGENT_Agent__Secret) or the --config JSON itself, never the command line. Arguments are visible
/// to every local user (ps, /proc/PID/cmdline, Windows task manager) and end up in shell histories and service
/// definitions, so a secret there is refused before anything starts.
/// </summary>
public static class AgentSecret
{
    public const string RefusedCode = "agent.secret_on_command_line";

    public const string RefusedMessage =
        "シークレットをコマンドラインで指定することはできません(他の利用者からプロセス一覧で見えます)。" +
        "--secret-file でシークレットだけを書いたファイルを指定するか、環境変数 ONSHI_AGENT_Agent__Secret を設定してください。";

    /// <summary>True when an argument carries a secret (--secret, --secret=…, /secret, -secret, Agent:Secret=…).</summary>
    public static bool IsOnCommandLine(IEnumerable<string> args) => args.Any(arg =>
    {
        var name = arg.Split('=', 2)[0].TrimStart('-', '/');
        return name.Equals("secret", StringComparison.OrdinalIgnoreCase) || name.Equals("Agent:Secret", StringComparison.OrdinalIgnoreCase);
    });

    /// <summary>
    /// The secret: from <paramref name="secretFile"/> when set (first line, surrounding whitespace removed), else the
    /// configured value (environment or --config file). Null when neither gives one.
    /// </summary>
    public static string? Resolve(string? configured, string? secretFile)
    {
        if (string.IsNullOrEmpty(secretFile))
        {
            return string.IsNullOrWhiteSpace(configured) ? null : configured;
        }

        var text = File.ReadAllText(secretFile).Split('\n', 2)[0].Trim();
        return text.Length == 0 ? throw new InvalidOperationException($"シークレットファイル {secretFile} が空です。") : text;
    }
}
