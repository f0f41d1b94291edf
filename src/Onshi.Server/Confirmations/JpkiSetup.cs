using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Jpki;
using Onshi.Server.Data;

namespace Onshi.Server.Confirmations;

/// <summary>Configuration section "Jpki".</summary>
public sealed class JpkiOptions
{
    public const string Section = "Jpki";

    /// <summary>
    /// Folder of PEM trust anchors (the test CA in demo and tests). Unset: the real J-LIS 利用者証明用 roots bundled
    /// with Onshi.Jpki.
    /// </summary>
    public string? TrustAnchorsFolder { get; set; }

    /// <summary>Accept cards of an anchor for which no CRL was loaded (flagged in the result). Off: fail closed.</summary>
    public bool AllowMissingRevocationList { get; set; }

    /// <summary>How often the database is asked for newly loaded CRLs (0: on every confirmation).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600)]
    public int RevocationRefreshSeconds { get; set; } = 60;
}

public static class JpkiSetup
{
    /// <summary>One verifier per process: its chain cache is what makes repeated cards cheap (docs/performance.md).</summary>
    public static IServiceCollection AddJpkiVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JpkiOptions>().Bind(configuration.GetSection(JpkiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var folder = sp.GetRequiredService<IOptions<JpkiOptions>>().Value.TrustAnchorsFolder;
            return string.IsNullOrWhiteSpace(folder) ? JpkiTrustAnchors.LoadBundled() : JpkiTrustAnchors.LoadFromFolder(folder);
        });
        services.AddSingleton(sp => new JpkiRevocationStore(
            sp.GetRequiredService<JpkiTrustAnchors>(),
            new CrlFreshnessPolicy { AllowMissingRevocationList = sp.GetRequiredService<IOptions<JpkiOptions>>().Value.AllowMissingRevocationList }));
        services.AddSingleton(sp => new JpkiVerifier(sp.GetRequiredService<JpkiTrustAnchors>(), sp.GetRequiredService<JpkiRevocationStore>()));
        services.AddSingleton<RevocationListRefresher>();
        return services;
    }
}

/// <summary>
/// Keeps the in-memory <see cref="JpkiRevocationStore"/> in step with the CRLs operators stored in the database (the
/// data half's RevocationLists table), so every server process over one database sees the same revocations. The
/// store itself refuses lists older than the one it has, so reading a list twice is harmless.
/// </summary>
public sealed class RevocationListRefresher(JpkiRevocationStore store, TimeProvider time, IOptions<JpkiOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastId;
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;

    public async Task EnsureFreshAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _lastRefresh < TimeSpan.FromSeconds(options.Value.RevocationRefreshSeconds) && _lastRefresh != DateTimeOffset.MinValue)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (now - _lastRefresh < TimeSpan.FromSeconds(options.Value.RevocationRefreshSeconds) && _lastRefresh != DateTimeOffset.MinValue)
            {
                return;
            }

            var lastId = _lastId;
            var lists = await db.RevocationLists.AsNoTracking().Where(r => r.Id > lastId).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.Der }).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var list in lists)
            {
                // A refused list (older, stale, foreign) leaves the current one in place; the loader reported it when stored.
                store.Load(list.Der, now);
                _lastId = list.Id;
            }

            _lastRefresh = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
