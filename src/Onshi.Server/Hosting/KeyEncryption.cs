using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using Onshi.Server.Data;

namespace Onshi.Server.Hosting;

/// <summary>A certificate file (PKCS#12) and its password.</summary>
public sealed class CertificateFile
{
    public string? Path { get; set; }

    public string? Password { get; set; }
}

/// <summary>
/// Configuration section "DataProtection": the key-encryption certificate that wraps every Data Protection key before
/// it is stored in the database. The password is meant to come from the environment
/// (DataProtection__KeyEncryptionCertificatePassword), never from a file next to the database.
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "DataProtection";

    /// <summary>Path of the PKCS#12 (.pfx) file holding the certificate and its private key.</summary>
    public string? KeyEncryptionCertificate { get; set; }

    public string? KeyEncryptionCertificatePassword { get; set; }

    /// <summary>Certificates used before a rotation: still able to decrypt keys they wrapped, never used to wrap new ones.</summary>
    public List<CertificateFile> PreviousKeyEncryptionCertificates { get; set; } = [];
}

/// <summary>
/// Data Protection keys (portal cookies, antiforgery tokens, TOTP secrets) live in the database so that every server
/// process shares them (docs/scaling.md). Stored as they are, a copy of the database would hold the keys next to
/// what they protect: whoever has a backup could read every TOTP secret and forge an onshi_session cookie. So each
/// key is encrypted (ASP.NET Core's certificate XML encryptor) with a certificate that lives outside the database,
/// and the server refuses to start in Production without one. Rotation: docs/security.md.
/// </summary>
public static class KeyEncryption
{
    public const string MissingMessage =
        "DataProtection:KeyEncryptionCertificate が設定されていません。鍵暗号化用の証明書 (PFX) のパスを設定し、パスワードは環境変数 "
        + "DataProtection__KeyEncryptionCertificatePassword で渡してください (docs/security.md)。"
        + " / No key-encryption certificate: set DataProtection:KeyEncryptionCertificate (path of a .pfx) and its password; the server does not start in Production without one.";

    public static IServiceCollection AddOnshiDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection().SetApplicationName("Onshi").PersistKeysToDbContext<AppDbContext>();
        services.AddOptions<KeyEncryptionOptions>().Bind(configuration.GetSection(KeyEncryptionOptions.Section))
            .Validate<IHostEnvironment>((o, environment) => !environment.IsProduction() || !string.IsNullOrWhiteSpace(o.KeyEncryptionCertificate), MissingMessage)
            .Validate(o => TryLoad(o, out _), "DataProtection:KeyEncryptionCertificate (または PreviousKeyEncryptionCertificates) を読み込めません: ファイル、パスワード、秘密鍵を確認してください。 / A key-encryption certificate cannot be loaded (file, password, private key).")
            .ValidateOnStart();
        services.AddSingleton<KeyEncryptionCertificates>();

        // Configured lazily: the certificate settings may be added after the services (the operator tool and the tests do).
        // ASP.NET Core's ProtectKeysWithCertificate/UnprotectKeysWithAnyCertificate need the certificates at registration,
        // so the same encryption (its CertificateXmlEncryptor) is wired here with a decryptor that reads them when needed.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            if (sp.GetRequiredService<KeyEncryptionCertificates>().Current is { } certificate)
            {
                options.XmlEncryptor = new CertificateKeyEncryptor(new CertificateXmlEncryptor(certificate, sp.GetRequiredService<ILoggerFactory>()));
            }
        }));
        return services;
    }

    /// <summary>Creates a self-signed RSA certificate with its private key as a PKCS#12 file (used by `onshi demo` and the tests).</summary>
    public static void CreateCertificateFile(string path, string password, DateTimeOffset now)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Onshi Data Protection key encryption", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var bytes = certificate.Export(X509ContentType.Pkcs12, password);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        file.Write(bytes);
    }

    internal static bool TryLoad(KeyEncryptionOptions options, out List<X509Certificate2> certificates)
    {
        certificates = [];
        var files = new List<CertificateFile>();
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionCertificate))
        {
            files.Add(new CertificateFile { Path = options.KeyEncryptionCertificate, Password = options.KeyEncryptionCertificatePassword });
        }

        files.AddRange(options.PreviousKeyEncryptionCertificates);
        try
        {
            foreach (var file in files)
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(file.Path ?? "", file.Password, X509KeyStorageFlags.EphemeralKeySet);
                if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
                {
                    certificate.Dispose();
                    return false;
                }

                certificates.Add(certificate);
            }

            return true;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The loaded certificates: the current one (wraps new keys) first, then the previous ones.</summary>
public sealed class KeyEncryptionCertificates
{
    public KeyEncryptionCertificates(IOptions<KeyEncryptionOptions> options)
    {
        if (!KeyEncryption.TryLoad(options.Value, out var loaded))
        {
            throw new InvalidOperationException("A key-encryption certificate cannot be loaded (DataProtection section).");
        }

        All = loaded;
        Current = string.IsNullOrWhiteSpace(options.Value.KeyEncryptionCertificate) ? null : loaded[0];
    }

    public X509Certificate2? Current { get; }

    public IReadOnlyList<X509Certificate2> All { get; }
}

/// <summary>
/// Encrypts each new key with ASP.NET Core's certificate encryptor (W3C XML Encryption: AES-256 content key wrapped with
/// the certificate's RSA key) and names <see cref="CertificateKeyDecryptor"/> as the way back.
/// </summary>
public sealed class CertificateKeyEncryptor(CertificateXmlEncryptor inner) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(inner.Encrypt(plaintextElement).EncryptedElement, typeof(CertificateKeyDecryptor));
}

/// <summary>
/// Decrypts a key wrapped by <see cref="CertificateKeyEncryptor"/> with whichever configured certificate (current or
/// previous) wrapped it; without that certificate's private key nothing is decrypted. Created by Data Protection for
/// each key it reads.
/// </summary>
public sealed class CertificateKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var certificates = services.GetService<KeyEncryptionCertificates>()?.All ?? [];

        // XML Encryption decrypts in place and handles a root element badly: wrap, decrypt, unwrap (as the encryptor did).
        var document = new XmlDocument { XmlResolver = null };
        using (var reader = new XElement("root", encryptedElement).CreateReader())
        {
            document.Load(reader);
        }

        new WithCertificates(document, certificates).DecryptDocument();
        using var child = new XmlNodeReader(document.DocumentElement!.FirstChild!);
        return XElement.Load(child);
    }

    private sealed class WithCertificates(XmlDocument document, IReadOnlyList<X509Certificate2> certificates) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            foreach (var clause in encryptedKey.KeyInfo)
            {
                if (clause is not KeyInfoX509Data data || data.Certificates is null)
                {
                    continue;
                }

                foreach (X509Certificate2 named in data.Certificates)
                {
                    var certificate = certificates.FirstOrDefault(c => c.RawDataMemory.Span.SequenceEqual(named.RawDataMemory.Span));
                    using var rsa = certificate?.GetRSAPrivateKey();
                    if (rsa is not null)
                    {
                        return DecryptKey(encryptedKey.CipherData.CipherValue!, rsa, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
                    }
                }
            }

            throw new CryptographicException("This Data Protection key was encrypted with a certificate that is not configured (DataProtection:KeyEncryptionCertificate / PreviousKeyEncryptionCertificates).");
        }
    }
}
