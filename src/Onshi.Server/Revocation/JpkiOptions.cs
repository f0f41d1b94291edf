using System.Security.Cryptography.X509Certificates;
using Onshi.Jpki;

namespace Onshi.Server.Revocation;

/// <summary>Configuration section "Jpki": which roots identify cards, and how revocation lists are handled.</summary>
public sealed class JpkiOptions
{
    public const string Section = "Jpki";

    /// <summary>
    /// A folder of PEM files or one PEM file with the trusted user-authentication roots. Empty: the real J-LIS
    /// 利用者証明用 roots bundled with Onshi.Jpki. Demo and tests point it at a test CA's <c>auth-ca.pem</c>.
    /// </summary>
    public string? TrustAnchors { get; set; }

    /// <summary>
    /// A folder of PEM files or one PEM file with the trusted 券面AP roots: the CAs that certify each card's 券面AP
    /// internal-authentication key, which proves in 目視確認 that the card is in the reader. Separate from
    /// <see cref="TrustAnchors"/> on purpose. Empty: 目視確認 is refused (visual.not_configured), since J-LIS's 券面AP
    /// root is not public; demo and tests point it at a test CA's <c>visual-ca.pem</c>.
    /// </summary>
    public string? CardFaceTrustAnchors { get; set; }

    /// <summary>Accept certificates of an anchor that has no CRL loaded (with a notice). Off: fail closed.</summary>
    public bool AllowMissingRevocationList { get; set; }

    /// <summary>How often each server process looks for a newer stored CRL (seconds; one indexed query).</summary>
    public int RevocationPollSeconds { get; set; } = 5;

    /// <summary>The 券面AP roots of <see cref="CardFaceTrustAnchors"/> (none when unset).</summary>
    public static CardPresenceVerifier LoadCardPresenceVerifier(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return new CardPresenceVerifier([]);
        }

        var files = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.pem").Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path]
            : throw new JpkiConfigurationException($"券面APの信頼アンカー {path} が見つかりません（Jpki:CardFaceTrustAnchors）。");
        var certificates = new X509Certificate2Collection();
        foreach (var file in files)
        {
            try
            {
                certificates.ImportFromPemFile(file);
            }
            catch (System.Security.Cryptography.CryptographicException exception)
            {
                throw new JpkiConfigurationException($"券面APの信頼アンカー {file} を PEM として読み取れません。", exception);
            }
        }

        if (certificates.Count == 0)
        {
            throw new JpkiConfigurationException($"券面APの信頼アンカー {path} に CERTIFICATE ブロックがありません。");
        }

        return new CardPresenceVerifier(certificates);
    }

    public static JpkiTrustAnchors LoadAnchors(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return JpkiTrustAnchors.LoadBundled();
        }

        if (Directory.Exists(path))
        {
            return JpkiTrustAnchors.LoadFromFolder(path);
        }

        if (!File.Exists(path))
        {
            throw new JpkiConfigurationException($"信頼アンカー {path} が見つかりません（Jpki:TrustAnchors）。");
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new JpkiConfigurationException($"信頼アンカー {path} を PEM として読み取れません。", exception);
        }

        if (certificates.Count == 0)
        {
            throw new JpkiConfigurationException($"信頼アンカー {path} に CERTIFICATE ブロックがありません。");
        }

        return JpkiTrustAnchors.FromCertificates(certificates);
    }
}
