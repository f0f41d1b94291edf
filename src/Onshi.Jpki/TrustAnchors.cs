using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Onshi.Jpki;

/// <summary>
/// One trusted root: a self-signed CA certificate that may issue user-authentication certificates and sign
/// revocation lists. Anchors are identified by the SHA-256 of their DER, never by name: every J-LIS CA
/// generation shares one DN (card-protocol.md §7 "CA generations").
/// </summary>
public sealed class TrustAnchor
{
    internal TrustAnchor(X509Certificate2 certificate, int index, string source)
    {
        Certificate = certificate;
        Index = index;
        Source = source;
        Id = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The root certificate (public key only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Upper-case hex SHA-256 of the certificate DER; the stable identity of this anchor.</summary>
    public string Id { get; }

    /// <summary>Where the anchor was loaded from (file name or embedded resource name), for logs.</summary>
    public string Source { get; }

    /// <summary>The subject DN, e.g. <c>C=JP, O=JPKI, OU=JPKI for user authentication, …</c>.</summary>
    public string SubjectName => Certificate.Subject;

    /// <summary>Start of the anchor's validity.</summary>
    public DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>End of the anchor's validity.</summary>
    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Position in the owning <see cref="JpkiTrustAnchors"/>; used to index per-anchor state without hashing.</summary>
    internal int Index { get; }
}

/// <summary>
/// An immutable set of trust anchors. Load it once at start-up: from the J-LIS roots bundled with this library
/// (<see cref="LoadBundled"/>), or from a folder of PEM files (<see cref="LoadFromFolder"/>; a test CA in demo
/// and tests). Only the anchors in this set are trusted: no system root store, no downloads.
/// </summary>
public sealed class JpkiTrustAnchors
{
    private const string ResourcePrefix = "Onshi.Jpki.TrustAnchors.jpki.";

    private JpkiTrustAnchors(IReadOnlyList<TrustAnchor> anchors)
    {
        Anchors = anchors;
        Version = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', anchors.Select(a => a.Id).Order(StringComparer.Ordinal)))))[..16];
        Collection = [.. anchors.Select(a => a.Certificate)];
    }

    /// <summary>The anchors, in load order.</summary>
    public IReadOnlyList<TrustAnchor> Anchors { get; }

    /// <summary>A short hash of the anchor identities; changes whenever the set changes (used to key caches and logs).</summary>
    public string Version { get; }

    /// <summary>The certificates as a collection for <see cref="X509ChainPolicy.CustomTrustStore"/>; never mutate it.</summary>
    internal X509Certificate2Collection Collection { get; }

    /// <summary>
    /// The real J-LIS user-authentication roots bundled with this library (auth_ca_2015, auth_ca_2023).
    /// The digital-signature roots are bundled too but are not trusted for identification: a 署名用 certificate
    /// never proves who is at the counter (issue 4, card-protocol.md §7).
    /// </summary>
    public static JpkiTrustAnchors LoadBundled(bool includeDigitalSignatureRoots = false)
    {
        var assembly = typeof(JpkiTrustAnchors).Assembly;
        var anchors = new List<(X509Certificate2, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var fileName = name[ResourcePrefix.Length..];
            if (!includeDigitalSignatureRoots && fileName.StartsWith("sign_", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new JpkiConfigurationException($"埋め込みの信頼アンカー {fileName} を読み込めません。");
            using var reader = new StreamReader(stream, Encoding.ASCII);
            anchors.AddRange(ParsePem(reader.ReadToEnd(), fileName).Select(c => (c, fileName)));
        }

        return Create(anchors);
    }

    /// <summary>
    /// Loads every <c>*.pem</c> file of <paramref name="folder"/> (each may hold several CERTIFICATE blocks).
    /// Throws <see cref="JpkiConfigurationException"/> with a Japanese message naming the file when a file is not
    /// a usable root; an operator must fix the configuration before the server starts.
    /// </summary>
    public static JpkiTrustAnchors LoadFromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new JpkiConfigurationException($"信頼アンカーのフォルダ {folder} が見つかりません。");
        }

        var anchors = new List<(X509Certificate2, string)>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.pem").Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(path);
            anchors.AddRange(ParsePem(File.ReadAllText(path, Encoding.ASCII), fileName).Select(c => (c, fileName)));
        }

        return Create(anchors);
    }

    /// <summary>Builds a set from certificates already in memory (tests, or a host that stores anchors elsewhere).</summary>
    public static JpkiTrustAnchors FromCertificates(IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return Create(certificates.Select(c => (X509CertificateLoader.LoadCertificate(c.RawData), "memory")));
    }

    /// <summary>The anchor with this identity (SHA-256 hex), or null.</summary>
    public TrustAnchor? FindById(string id) =>
        Anchors.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));

    internal TrustAnchor? FindByCertificate(X509Certificate2 certificate)
    {
        // Compare the full DER, not the name: generations share one DN.
        foreach (var anchor in Anchors)
        {
            if (anchor.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                return anchor;
            }
        }

        return null;
    }

    private static List<X509Certificate2> ParsePem(string text, string source)
    {
        var certificates = new List<X509Certificate2>();
        var remaining = text.AsMemory();
        while (PemEncoding.TryFind(remaining.Span, out var fields))
        {
            var label = remaining.Span[fields.Label];
            if (label.SequenceEqual("CERTIFICATE"))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(remaining.Span[fields.Base64Data], der, out _))
                {
                    throw new JpkiConfigurationException($"信頼アンカー {source} の PEM が壊れています。");
                }

                try
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(der));
                }
                catch (CryptographicException)
                {
                    throw new JpkiConfigurationException($"信頼アンカー {source} は X.509 証明書として読み取れません。");
                }
            }

            remaining = remaining[fields.Location.End..];
        }

        if (certificates.Count == 0)
        {
            throw new JpkiConfigurationException($"信頼アンカー {source} に CERTIFICATE ブロックがありません。");
        }

        return certificates;
    }

    private static JpkiTrustAnchors Create(IEnumerable<(X509Certificate2 Certificate, string Source)> loaded)
    {
        var anchors = new List<TrustAnchor>();
        foreach (var (certificate, source) in loaded)
        {
            Validate(certificate, source);
            if (anchors.Any(a => a.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
            {
                continue;
            }

            anchors.Add(new TrustAnchor(certificate, anchors.Count, source));
        }

        if (anchors.Count == 0)
        {
            throw new JpkiConfigurationException("信頼アンカーが1件も設定されていません。");
        }

        return new JpkiTrustAnchors(anchors);
    }

    // An anchor must look like the J-LIS roots (card-protocol.md §7): a self-signed CA (BasicConstraints CA,
    // KeyUsage keyCertSign) with an RSA key of at least 2048 bits that verifies its own signature. Anything else
    // in the folder is an operator mistake we refuse loudly instead of trusting.
    private static void Validate(X509Certificate2 certificate, string source)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            throw new JpkiConfigurationException($"信頼アンカー {source} は自己署名のルート証明書ではありません（{certificate.Subject}）。");
        }

        if (certificate.Extensions[Oids.BasicConstraints] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            throw new JpkiConfigurationException($"信頼アンカー {source} は CA 証明書ではありません。");
        }

        if (certificate.Extensions[Oids.KeyUsage] is X509KeyUsageExtension usage
            && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw new JpkiConfigurationException($"信頼アンカー {source} には証明書署名（keyCertSign）の鍵用途がありません。");
        }

        using var key = certificate.GetRSAPublicKey()
            ?? throw new JpkiConfigurationException($"信頼アンカー {source} の鍵は RSA ではありません。");
        if (key.KeySize < JpkiProfile.MinimumRsaKeySizeBits)
        {
            throw new JpkiConfigurationException($"信頼アンカー {source} の RSA 鍵長が {JpkiProfile.MinimumRsaKeySizeBits} ビット未満です。");
        }

        if (!SignedDer.TrySplit(certificate.RawDataMemory, out var tbs, out var algorithm, out var parameters, out var signature)
            || !SignedDer.VerifyRsa(tbs, algorithm, parameters, signature, key))
        {
            throw new JpkiConfigurationException($"信頼アンカー {source} の自己署名を検証できません。");
        }
    }
}

/// <summary>A trust-anchor or verifier configuration that cannot be used; the message is Japanese and names the file.</summary>
public sealed class JpkiConfigurationException : Exception
{
    /// <summary>Creates the exception with a Japanese message for the operator.</summary>
    public JpkiConfigurationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a Japanese message and its cause.</summary>
    public JpkiConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public JpkiConfigurationException() : base("JPKI の設定が不正です。")
    {
    }
}

internal static class Oids
{
    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string CertificatePolicies = "2.5.29.32";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string CrlNumber = "2.5.29.20";
    public const string DeltaCrlIndicator = "2.5.29.27";
    public const string IssuingDistributionPoint = "2.5.29.28";
    public const string CrlReason = "2.5.29.21";
    public const string InvalidityDate = "2.5.29.24";
    public const string CertificateIssuer = "2.5.29.29";
    public const string ExpiredCertsOnCrl = "2.5.29.60";
}
