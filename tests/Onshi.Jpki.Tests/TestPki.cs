using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Onshi.Jpki.Tests;

/// <summary>
/// A JPKI-shaped test PKI generated in memory: roots with the J-LIS DN shape (O=JPKI-TEST), user-authentication
/// certificates with the real profile (C=JP + opaque CN, KeyUsage digitalSignature critical, class-30 policy).
/// Keys are generated once per test run (RSA-2048 generation is slow).
/// </summary>
public sealed class TestPki
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(9));

    private static readonly Lazy<TestPki> SharedInstance = new(() => new TestPki());

    private TestPki()
    {
        RootKey = RSA.Create(2048);
        SecondGenerationKey = RSA.Create(2048);
        ImpostorKey = RSA.Create(2048);
        CardKey = RSA.Create(2048);
        OtherCardKey = RSA.Create(2048);
        Root = CreateRoot(RootKey, new DateTimeOffset(2023, 7, 16, 1, 1, 4, TimeSpan.Zero), new DateTimeOffset(2033, 7, 15, 14, 59, 59, TimeSpan.Zero));
        SecondGenerationRoot = CreateRoot(SecondGenerationKey, new DateTimeOffset(2015, 10, 20, 3, 8, 13, TimeSpan.Zero), new DateTimeOffset(2035, 10, 19, 14, 59, 59, TimeSpan.Zero));
        // Same DN as the trusted root, different key, not configured: a forger's CA.
        ImpostorRoot = CreateRoot(ImpostorKey, Root.NotBefore, Root.NotAfter);
    }

    public static TestPki Shared => SharedInstance.Value;

    public RSA RootKey { get; }

    public RSA SecondGenerationKey { get; }

    public RSA ImpostorKey { get; }

    public RSA CardKey { get; }

    public RSA OtherCardKey { get; }

    public X509Certificate2 Root { get; }

    public X509Certificate2 SecondGenerationRoot { get; }

    public X509Certificate2 ImpostorRoot { get; }

    public static X500DistinguishedName CaName()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("JP");
        builder.AddOrganizationName("JPKI-TEST");
        builder.AddOrganizationalUnitName(JpkiProfile.UserAuthenticationCaUnit);
        builder.AddOrganizationalUnitName("Japan Agency for Local Authority Information Systems");
        return builder.Build();
    }

    public static X509Certificate2 CreateRoot(RSA key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(CaName(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    public static X509Extension Policies(params string[] oids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in oids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }

        return new X509Extension(new Oid("2.5.29.32"), writer.Encode(), false);
    }

    /// <summary>Issues a user-authentication certificate; every profile element can be overridden to break it.</summary>
    public static X509Certificate2 IssueCard(
        X509Certificate2 issuer,
        AsymmetricAlgorithm key,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        byte[]? serial = null,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature,
        string[]? policies = null,
        bool includeKeyUsage = true)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("JP");
        subject.AddCommonName("997794E9AGCIEG13221003A");
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
        };
        if (includeKeyUsage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        }

        request.CertificateExtensions.Add(Policies(policies ?? [JpkiProfile.UserAuthenticationPolicyOid]));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        serial ??= RandomSerial();
        using var generator = issuer.GetRSAPrivateKey()!;
        return request.Create(
            issuer.SubjectName,
            X509SignatureGenerator.CreateForRSA(generator, RSASignaturePadding.Pkcs1),
            notBefore ?? new DateTimeOffset(2025, 10, 27, 0, 0, 0, TimeSpan.FromHours(9)),
            notAfter ?? new DateTimeOffset(2030, 2, 17, 23, 59, 59, TimeSpan.FromHours(9)),
            serial);
    }

    public static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    /// <summary>A CRL signed by <paramref name="issuer"/>'s private key with .NET's builder.</summary>
    public static byte[] Crl(X509Certificate2 issuer, RSA signingKey, IEnumerable<(byte[] Serial, X509RevocationReason Reason)> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, int number)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (serial, reason) in revoked)
        {
            builder.AddEntry(serial, thisUpdate.AddDays(-1), reason);
        }

        return builder.Build(
            issuer.SubjectName,
            X509SignatureGenerator.CreateForRSA(signingKey, RSASignaturePadding.Pkcs1),
            new BigInteger(number),
            nextUpdate,
            HashAlgorithmName.SHA256,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false),
            thisUpdate);
    }
}
