// Measures JPKI verifications per second: full verify (parse + profile + X509Chain + CRL lookup + signature),
// the same with the chain-validation cache, signature only, and CRL lookup only; plus loading a large CRL.
// Every loop is bounded in count and time. Run: dotnet run -c Release --project bench/Onshi.Jpki.Bench
using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.Jpki;

var revokedCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var now = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(9));

using var rootKey = RSA.Create(2048);
var caName = new X500DistinguishedNameBuilder();
caName.AddCountryOrRegion("JP");
caName.AddOrganizationName("JPKI-TEST");
caName.AddOrganizationalUnitName(JpkiProfile.UserAuthenticationCaUnit);
var rootRequest = new CertificateRequest(caName.Build(), rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
using var root = rootRequest.CreateSelfSigned(now.AddYears(-3), now.AddYears(7));

using var cardKey = RSA.Create(2048);
var subject = new X500DistinguishedNameBuilder();
subject.AddCountryOrRegion("JP");
subject.AddCommonName("997794E9AGCIEG13221003A");
var cardRequest = new CertificateRequest(subject.Build(), cardKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
cardRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
var policies = new AsnWriter(AsnEncodingRules.DER);
using (policies.PushSequence())
using (policies.PushSequence())
{
    policies.WriteObjectIdentifier(JpkiProfile.UserAuthenticationPolicyOid);
}

cardRequest.CertificateExtensions.Add(new X509Extension("2.5.29.32", policies.Encode(), false));
cardRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
using var card = cardRequest.Create(root, now.AddYears(-1), now.AddYears(4), [0x7E, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
var cardDer = card.RawData;

// A CRL the size of a national list, none of whose entries is our card.
var stopwatch = Stopwatch.StartNew();
var crlBuilder = new CertificateRevocationListBuilder();
Span<byte> serial = stackalloc byte[8];
for (var i = 0; i < revokedCount; i++)
{
    BitConverter.TryWriteBytes(serial, ((long)i << 8) | 0x11);
    serial[7] = 0x10;
    crlBuilder.AddEntry(serial, now.AddDays(-1), X509RevocationReason.KeyCompromise);
}

var crl = crlBuilder.Build(root, BigInteger.One, now.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddHours(-1));
var buildSeconds = stopwatch.Elapsed.TotalSeconds;

var anchors = JpkiTrustAnchors.FromCertificates([root]);
var store = new JpkiRevocationStore(anchors);
stopwatch.Restart();
var loaded = store.Load(crl, now);
var loadSeconds = stopwatch.Elapsed.TotalSeconds;
if (!loaded.IsSuccess)
{
    Console.Error.WriteLine(loaded.Detail);
    return 1;
}

var uncached = new JpkiVerifier(anchors, store, new JpkiVerifierOptions { ChainCacheLifetime = TimeSpan.Zero });
var cached = new JpkiVerifier(anchors, store);
var message = AuthenticationMessage.Build(RandomNumberGenerator.GetBytes(32), "2714206386", SHA256.HashData("device"u8), AuthenticationPurpose.Outpatient);
var signature = cardKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
if (!uncached.Verify(cardDer, signature, message, now).IsSuccess || !cached.Verify(cardDer, signature, message, now).IsSuccess)
{
    Console.Error.WriteLine("verification failed; refusing to measure a failure path");
    return 1;
}

var anchor = anchors.Anchors[0];
var cardSerial = card.SerialNumberBytes.ToArray();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CRL with {revokedCount:N0} entries: {crl.Length / 1024.0 / 1024.0:F1} MiB, built in {buildSeconds:F1} s, verified + indexed (Load) in {loadSeconds:F2} s"));
Console.WriteLine($"{"case",-48} {"threads",7} {"ops",9} {"ops/s",10} {"µs/op",8}");
foreach (var threads in new[] { 1, 2 })
{
    Measure("full verify, no chain cache (X509Chain each time)", threads, () => uncached.Verify(cardDer, signature, message, now));
    Measure("full verify, chain cache hit", threads, () => cached.Verify(cardDer, signature, message, now));
    Measure("visual mode (no signature), chain cache hit", threads, () => cached.VerifyForVisualIdentification(cardDer, now));
    Measure("signature only (RSA-2048 PKCS#1 v1.5 SHA-256)", threads, () => JpkiVerifier.VerifySignature(card, message, signature));
    Measure("CRL lookup only", threads, () => store.Check(anchor, cardSerial, now));
    Measure("parse certificate only (X509CertificateLoader)", threads, () =>
    {
        using var parsed = X509CertificateLoader.LoadCertificate(cardDer);
        return parsed.SerialNumberBytes;
    });
    Measure("parse + GetRSAPublicKey", threads, () =>
    {
        using var parsed = X509CertificateLoader.LoadCertificate(cardDer);
        using var key = parsed.GetRSAPublicKey();
        return key!.KeySize;
    });
}

return 0;

// Runs op on `threads` threads for about 3 s (and at most 5,000,000 ops per thread) after a 0.5 s warm-up.
void Measure(string name, int threads, Func<object> op)
{
    Run(TimeSpan.FromMilliseconds(500));
    var (ops, elapsed) = Run(TimeSpan.FromSeconds(3));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} {threads,7} {ops,9} {ops / elapsed.TotalSeconds,10:N0} {elapsed.TotalMicroseconds * threads / ops,8:F1}"));

    (long, TimeSpan) Run(TimeSpan duration)
    {
        long total = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
        {
            long count = 0;
            while (count < 5_000_000 && watch.Elapsed < duration)
            {
                for (var i = 0; i < 16; i++)
                {
                    GC.KeepAlive(op());
                }

                count += 16;
            }

            Interlocked.Add(ref total, count);
        })).ToArray();
        Task.WaitAll(workers);
        return (total, watch.Elapsed);
    }
}
