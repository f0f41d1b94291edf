namespace Onshi.Server.Hosting;

/// <summary>
/// Settings that are acceptable on a developer's machine but unsafe for a real installation. In the Production
/// environment the server refuses to start while any is present, naming each (Japanese and English). The list is
/// short on purpose, each item a way to lose safety silently (docs/deployment.md, "Refused in Production"):
/// <list type="number">
/// <item>Jpki:AllowMissingRevocationList=true: cards of an anchor without a CRL would pass unchecked for revocation.</item>
/// <item>SQLite without Production:AllowSqlite=true: one file on one machine, no standby; acceptable for a small single
/// installation only as a deliberate choice.</item>
/// <item>Only http:// listeners and no trusted reverse proxy (ForwardedHeaders:KnownProxies/KnownNetworks): passwords and
/// session cookies would cross the network in clear, or a TLS proxy's client addresses would be ignored.</item>
/// </list>
/// Keep every Production refusal in this class, so the list stays in one place.
/// </summary>
public static class ProductionSafety
{
    public const string Section = "Production";
    public const string AllowSqliteKey = "Production:AllowSqlite";

    /// <summary>The problems of <paramref name="configuration"/> in <paramref name="environment"/>; empty when safe.</summary>
    public static IReadOnlyList<string> Problems(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!environment.IsProduction())
        {
            return [];
        }

        var problems = new List<string>();
        if (configuration.GetValue<bool>("Jpki:AllowMissingRevocationList"))
        {
            problems.Add("Jpki:AllowMissingRevocationList=true は本番環境では使えません（失効確認をしないカードが通ります）。"
                + " / Jpki:AllowMissingRevocationList=true is not allowed in Production: cards would pass without a revocation check.");
        }

        var provider = configuration["Database:Provider"];
        var sqlite = string.IsNullOrWhiteSpace(provider) || string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase);
        if (sqlite && !configuration.GetValue<bool>(AllowSqliteKey))
        {
            problems.Add("本番環境で SQLite を使うには Production:AllowSqlite=true を明示してください（PostgreSQL を推奨）。"
                + " / SQLite in Production needs an explicit Production:AllowSqlite=true (PostgreSQL is recommended).");
        }

        if (!ListensOnHttps(configuration) && !HasTrustedProxy(configuration))
        {
            problems.Add("HTTPS の待ち受けも信頼するリバースプロキシ（ForwardedHeaders:KnownProxies / KnownNetworks）もありません。"
                + " / No https:// listener and no trusted reverse proxy (ForwardedHeaders:KnownProxies / KnownNetworks): passwords and cookies would travel in clear.");
        }

        return problems;
    }

    /// <summary>Throws <see cref="UnsafeProductionSettingsException"/> listing every problem, if there is any.</summary>
    public static void EnsureSafe(IHostEnvironment environment, IConfiguration configuration)
    {
        var problems = Problems(environment, configuration);
        if (problems.Count > 0)
        {
            throw new UnsafeProductionSettingsException(problems);
        }
    }

    private static bool ListensOnHttps(IConfiguration configuration)
    {
        // Kestrel's default without any setting is http://localhost:5000.
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));
        return !string.IsNullOrWhiteSpace(configuration["https_ports"])
            || urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
    }

    private static bool HasTrustedProxy(IConfiguration configuration) =>
        configuration.GetSection("ForwardedHeaders:KnownProxies").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value))
        || configuration.GetSection("ForwardedHeaders:KnownNetworks").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value));
}

/// <summary>The server was asked to start in Production with unsafe settings; <see cref="Problems"/> says which.</summary>
public sealed class UnsafeProductionSettingsException : Exception
{
    public const string MachineCode = "server.unsafe_production_settings";

    public UnsafeProductionSettingsException(IReadOnlyList<string> problems)
        : base("本番環境では安全でない設定のため起動しません。 / Refusing to start in Production with unsafe settings:\n- " + string.Join("\n- ", problems))
    {
        Problems = problems;
    }

    public UnsafeProductionSettingsException()
        : this([])
    {
    }

    public UnsafeProductionSettingsException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public UnsafeProductionSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
