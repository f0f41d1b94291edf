using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Onshi.Card.Issuing;

/// <summary>
/// A test JPKI certification authority: an auth CA (利用者証明用) and optionally a sign CA (署名用), both RSA-2048
/// self-signed with the real roots' DN shape but <c>O=JPKI-TEST</c> and an OU that says it is not J-LIS. It also keeps
/// the revocation list of the auth CA, published as an X.509 CRL for the server to load.
/// </summary>
/// <remarks>
/// Files in the CA folder: <c>auth-ca.pem</c>, <c>auth-ca.key.pem</c>, <c>sign-ca.pem</c>, <c>sign-ca.key.pem</c>
/// (when present), <c>auth-ca.crl</c> (DER CRL, rebuilt on every save) and <c>auth-revoked.txt</c> (one
/// "serial-hex revocation-time" per line: the source the CRL is rebuilt from).
/// </remarks>
public sealed class TestCertificateAuthority : IDisposable
{
    public const string AuthCaFile = "auth-ca.pem";
    public const string AuthCaKeyFile = "auth-ca.key.pem";
    public const string SignCaFile = "sign-ca.pem";
    public const string SignCaKeyFile = "sign-ca.key.pem";
    public const string AuthCrlFile = "auth-ca.crl";
    public const string AuthRevokedFile = "auth-revoked.txt";
    public const string VisualCaFile = "visual-ca.pem";
    public const string VisualCaKeyFile = "visual-ca.key.pem";

    /// <summary>The certificate policy of 利用者証明用 certificates (class30).</summary>
    public const string AuthPolicyOid = "1.2.392.200149.8.5.1.3.30";

    /// <summary>The certificate policy of 署名用 certificates (class20).</summary>
    public const string SignPolicyOid = "1.2.392.200149.8.5.1.1.20";

    private const string TestOu = "TEST ONLY - Onshi test CA, not J-LIS";
    private readonly List<(BigInteger Serial, DateTimeOffset RevokedAt)> _revoked = [];

    private TestCertificateAuthority(X509Certificate2 authCa, X509Certificate2? signCa, X509Certificate2? visualCa)
    {
        AuthCa = authCa;
        SignCa = signCa;
        VisualCa = visualCa;
    }

    /// <summary>The auth CA certificate, with its private key.</summary>
    public X509Certificate2 AuthCa { get; }

    /// <summary>The sign CA certificate with its private key, if this CA has one.</summary>
    public X509Certificate2? SignCa { get; }

    /// <summary>
    /// The test 券面AP CA with its private key: it certifies each card's 券面AP internal-authentication key. Separate
    /// from the JPKI roots on purpose (a server trusts it under its own setting). Null in a CA folder made before it existed.
    /// </summary>
    public X509Certificate2? VisualCa { get; private set; }

    /// <summary>Serial numbers of revoked user-authentication certificates.</summary>
    public IReadOnlyList<BigInteger> RevokedAuthSerials => _revoked.Select(r => r.Serial).ToList();

    /// <summary>Creates new CA keys and self-signed certificates valid from ten years ago (so already-expired cards can be issued) to twenty years ahead.</summary>
    public static TestCertificateAuthority Create(TimeProvider time, bool withSignCa = true)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var auth = CreateRoot("JPKI for user authentication", now);
        var sign = withSignCa ? CreateRoot("JPKI for digital signature", now) : null;
        return new TestCertificateAuthority(auth, sign, CreateRoot(VisualCaPurpose, now));
    }

    /// <summary>Loads a CA folder written by <see cref="Save"/>.</summary>
    public static TestCertificateAuthority Load(string directory)
    {
        try
        {
            var auth = X509Certificate2.CreateFromPemFile(Path.Combine(directory, AuthCaFile), Path.Combine(directory, AuthCaKeyFile));
            X509Certificate2? sign = null;
            if (File.Exists(Path.Combine(directory, SignCaFile)))
            {
                sign = X509Certificate2.CreateFromPemFile(Path.Combine(directory, SignCaFile), Path.Combine(directory, SignCaKeyFile));
            }

            X509Certificate2? visual = null;
            if (File.Exists(Path.Combine(directory, VisualCaFile)))
            {
                visual = X509Certificate2.CreateFromPemFile(Path.Combine(directory, VisualCaFile), Path.Combine(directory, VisualCaKeyFile));
            }

            var ca = new TestCertificateAuthority(auth, sign, visual);
            var revokedPath = Path.Combine(directory, AuthRevokedFile);
            if (File.Exists(revokedPath))
            {
                foreach (var line in File.ReadAllLines(revokedPath))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 2)
                    {
                        ca._revoked.Add((BigInteger.Parse("0" + parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                            DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture)));
                    }
                }
            }

            return ca;
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or FormatException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"テストCAのフォルダ {directory} を読めません: {ex.Message}", ex);
        }
    }

    /// <summary>Writes certificates, keys (PEM), the revoked list and a freshly signed CRL.</summary>
    public void Save(string directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, AuthCaFile), AuthCa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, AuthCaKeyFile), AuthCa.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        if (SignCa is not null)
        {
            File.WriteAllText(Path.Combine(directory, SignCaFile), SignCa.ExportCertificatePem());
            File.WriteAllText(Path.Combine(directory, SignCaKeyFile), SignCa.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        if (VisualCa is not null)
        {
            File.WriteAllText(Path.Combine(directory, VisualCaFile), VisualCa.ExportCertificatePem());
            File.WriteAllText(Path.Combine(directory, VisualCaKeyFile), VisualCa.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllLines(Path.Combine(directory, AuthRevokedFile),
            _revoked.Select(r => $"{Hex(r.Serial)} {r.RevokedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}"));
        File.WriteAllBytes(Path.Combine(directory, AuthCrlFile), BuildAuthCrl(time));
    }

    /// <summary>Adds a user-authentication certificate to the revocation list.</summary>
    public void RevokeAuthCertificate(X509Certificate2 certificate, DateTimeOffset revokedAt)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var serial = new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
        if (_revoked.All(r => r.Serial != serial))
        {
            _revoked.Add((serial, revokedAt));
        }
    }

    /// <summary>A CRL of the auth CA listing every revoked serial; CRL number = number of entries + 1, next update in 2 days.</summary>
    public byte[] BuildAuthCrl(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var builder = new CertificateRevocationListBuilder();
        foreach (var (serial, revokedAt) in _revoked)
        {
            builder.AddEntry(serial.ToByteArray(isUnsigned: true, isBigEndian: true), revokedAt, X509RevocationReason.KeyCompromise);
        }

        var now = time.GetUtcNow();
        return builder.Build(AuthCa, _revoked.Count + 1, now.AddDays(2), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now);
    }

    /// <summary>Signs data with the auth CA key (used for the test CV certificates of the 券面 APs).</summary>
    public byte[] SignWithAuthCaKey(byte[] data)
    {
        using var key = AuthCa.GetRSAPrivateKey()!;
        return key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Adds a 券面AP CA to a CA folder made before it existed; true when one was created (save the folder afterwards).</summary>
    public bool AddVisualCaIfMissing(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (VisualCa is not null)
        {
            return false;
        }

        VisualCa = CreateRoot(VisualCaPurpose, time.GetUtcNow());
        return true;
    }

    public void Dispose()
    {
        AuthCa.Dispose();
        SignCa?.Dispose();
        VisualCa?.Dispose();
    }

    private const string VisualCaPurpose = "Card face AP (券面AP) internal authentication";

    internal static string Hex(BigInteger serial) => Convert.ToHexString(serial.ToByteArray(isUnsigned: true, isBigEndian: true));

    /// <summary>The test DN: the real root's shape with O=JPKI-TEST and a "TEST ONLY" OU in place of J-LIS.</summary>
    public static X500DistinguishedName RootName(string purposeOu)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("JP");
        builder.AddOrganizationName("JPKI-TEST");
        builder.AddOrganizationalUnitName(purposeOu);
        builder.AddOrganizationalUnitName(TestOu);
        return builder.Build();
    }

    private static X509Certificate2 CreateRoot(string purposeOu, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var name = RootName(purposeOu);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(DirectoryNameAltName());
        var serial = BigInteger.One.ToByteArray(isUnsigned: true, isBigEndian: true);
        using var unsigned = request.Create(name, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1),
            now.AddYears(-10), now.AddYears(20), serial);
        return unsigned.CopyWithPrivateKey(key);
    }

    // Real roots carry SAN DirName C=JP, O=公的個人認証サービス; ours says テスト.
    private static X509Extension DirectoryNameAltName()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("JP");
        builder.AddOrganizationName("公的個人認証サービス（テスト）");
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
            {
                writer.WriteEncodedValue(builder.Build().RawData);
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), false);
    }
}
