using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Card.Issuing;
using Onshi.Core.Identifiers;
using Onshi.Server.ActivationCodes;
using Onshi.Server.AppSessions;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Devices;
using Onshi.Server.Hosting;
using Onshi.Server.Import;
using Onshi.Server.Institutions;
using Onshi.Demo;
using Onshi.Server.Revocation;

namespace Onshi.Bench;

/// <summary>An activated device of the bench institution with a logged-in staff session (set up directly in the store).</summary>
public sealed record BenchDevice(Guid DeviceId, Guid SessionId, ECDsa Key, string SessionToken, byte[] Thumbprint, string ProofHeaderPart, string Ath);

/// <summary>A card whose 利用者証明用 certificate was really issued by the bench CA and linked to <see cref="PersonId"/>.</summary>
public sealed record BenchCard(long PersonId, string CertificateBase64Url, int KeyIndex);

/// <summary>
/// Everything a timed phase needs, prepared before it: the store (migrated, N insured persons imported through the CSV
/// importer, every person linked to a card), a test JPKI CA trusted by the server, a CRL, one institution with D
/// devices and sessions, and K real certificates for the persons the timed phases confirm.
/// </summary>
/// <remarks>
/// Linkage (docs/performance.md): RSA key generation for millions of cards is impossible here, and only the linkage key
/// (anchor + serial) matters to the store. So K real certificates are issued (cheap: one CA signature each) over a
/// pool of at most 16 RSA-2048 subject keys, spread evenly over the population; every other person is linked to a
/// synthetic serial of the same anchor (prefix 02, never issued). Real serials start with 01, CRL serials with 03.
/// </remarks>
public sealed class BenchWorld : IDisposable
{
    public const string InstitutionName = "ベンチマーク診療所";

    private readonly List<RSA> _keys = [];

    private BenchWorld(WebApplication host, string folder, TestCertificateAuthority ca)
    {
        Host = host;
        Folder = folder;
        Ca = ca;
    }

    public WebApplication Host { get; }

    public string Folder { get; }

    public TestCertificateAuthority Ca { get; }

    public string AnchorFolder => Path.Combine(Folder, "anchors");

    public string InstitutionCode { get; private set; } = MedicalInstitutionCode.FromBody("131234567").Value;

    public int InstitutionId { get; private set; }

    public List<BenchDevice> Devices { get; } = [];

    public List<BenchCard> Cards { get; } = [];

    public IReadOnlyList<RSA> Keys => _keys;

    public static async Task<BenchWorld> PrepareAsync(DatabaseProvider provider, string connectionString, string folder, int persons, int cards, int devices, int revoked, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var ca = TestCertificateAuthority.Create(TimeProvider.System, withSignCa: false);
        Directory.CreateDirectory(Path.Combine(folder, "anchors"));
        await File.WriteAllTextAsync(Path.Combine(folder, "anchors", "bench-auth-ca.pem"), ca.AuthCa.ExportCertificatePem(), cancellationToken).ConfigureAwait(false);

        var builder = OnshiServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connectionString,
            ["Jpki:TrustAnchors"] = Path.Combine(folder, "anchors"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var world = new BenchWorld(builder.Build(), folder, ca);
        await world.InScopeAsync(s => s.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken)).ConfigureAwait(false);
        await world.ImportPopulationAsync(persons, cards, cancellationToken).ConfigureAwait(false);
        await world.StoreCrlAsync(revoked, cancellationToken).ConfigureAwait(false);
        await world.CreateInstitutionAndDevicesAsync(devices, cancellationToken).ConfigureAwait(false);
        return world;
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider).ConfigureAwait(false);
    }

    private async Task ImportPopulationAsync(int persons, int cards, CancellationToken cancellationToken)
    {
        var data = Path.Combine(Folder, "population");
        var watch = Stopwatch.StartNew();
        var today = JapanTime.Today(TimeProvider.System);
        SyntheticDataWriter.Write(data, new SyntheticOptions { Persons = persons, Seed = 7, Today = today, MedicalRecords = false });
        Log($"generated {persons:N0} persons in {watch.Elapsed.TotalSeconds:0.0} s");

        foreach (var kind in new[] { "insurers", "persons", "elderly-certificates", "limit-certificates", "specific-disease-certificates" })
        {
            await ImportAsync(kind, Path.Combine(data, kind + ".csv"), cancellationToken).ConfigureAwait(false);
        }

        IssueCards(persons, cards);
        var links = Path.Combine(data, "card-links.csv");
        WriteLinks(links, persons);
        await ImportAsync("card-links", links, cancellationToken).ConfigureAwait(false);
        Directory.Delete(data, recursive: true);
    }

    private async Task ImportAsync(string kind, string path, CancellationToken cancellationToken)
    {
        var result = await InScopeAsync(s => s.GetRequiredService<CsvImporter>().ImportAsync(kind,
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), null, cancellationToken)).ConfigureAwait(false);
        if (!result.Applied)
        {
            throw new InvalidOperationException($"import {kind} refused: {string.Join("; ", result.Errors.Take(5))}");
        }

        Log($"imported {kind}: {result.Rows:N0} rows in {result.Elapsed.TotalSeconds:0.0} s ({result.Rows / Math.Max(result.Elapsed.TotalSeconds, 0.001):N0}/s)");
    }

    private readonly Dictionary<long, string> _realLinks = [];
    private DateTimeOffset _notAfter;

    private void IssueCards(int persons, int cards)
    {
        var watch = Stopwatch.StartNew();
        var now = TimeProvider.System.GetUtcNow();
        _notAfter = now.AddYears(3);
        for (var i = 0; i < Math.Min(16, cards); i++)
        {
            _keys.Add(RSA.Create(2048));
        }

        cards = Math.Min(cards, persons);
        for (var i = 0; i < cards; i++)
        {
            var personId = 1 + (long)i * persons / cards;
            var keyIndex = i % _keys.Count;
            byte[] serial = [0x01, .. BitConverter.GetBytes(BinaryPrimitivesReverse(personId))];
            using var certificate = IssueAuthCertificate(_keys[keyIndex], serial, now.AddDays(-1), _notAfter, personId);
            Cards.Add(new BenchCard(personId, Base64Url.EncodeToString(certificate.RawData), keyIndex));
            _realLinks[personId] = AnchorId + ":" + Convert.ToHexString(serial);
        }

        Log($"issued {cards:N0} certificates over {_keys.Count} RSA-2048 subject keys in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static long BinaryPrimitivesReverse(long value) => BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value;

    public string AnchorId => Convert.ToHexString(SHA256.HashData(Ca.AuthCa.RawData));

    private void WriteLinks(string path, int persons)
    {
        var notAfter = _notAfter.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("person_id,linkage_key,certificate_not_after\n");
        for (long id = 1; id <= persons; id++)
        {
            var key = _realLinks.TryGetValue(id, out var real) ? real : AnchorId + ":02" + id.ToString("X16", CultureInfo.InvariantCulture);
            writer.Write(id.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(key);
            writer.Write(',');
            writer.Write(notAfter);
            writer.Write('\n');
        }
    }

    /// <summary>A 利用者証明用 certificate of the JPKI profile (digitalSignature, policy …3.30, SKI/AKI) for one of the pooled keys.</summary>
    private X509Certificate2 IssueAuthCertificate(RSA key, byte[] serial, DateTimeOffset notBefore, DateTimeOffset notAfter, long personId)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("JP");
        subject.AddCommonName("BENCH" + personId.ToString("D18", CultureInfo.InvariantCulture));
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var policy = new AsnWriter(AsnEncodingRules.DER);
        using (policy.PushSequence())
        {
            using (policy.PushSequence())
            {
                policy.WriteObjectIdentifier(TestCertificateAuthority.AuthPolicyOid);
            }
        }

        request.CertificateExtensions.Add(new X509Extension("2.5.29.32", policy.Encode(), true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca.AuthCa, true, false));
        return request.Create(Ca.AuthCa, notBefore, notAfter, serial);
    }

    /// <summary>A CRL with <paramref name="revoked"/> entries (serials never issued), stored through the normal operation.</summary>
    private async Task StoreCrlAsync(int revoked, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = TimeProvider.System.GetUtcNow();
        var builder = new CertificateRevocationListBuilder();
        for (var i = 0; i < revoked; i++)
        {
            builder.AddEntry([0x03, .. BigInteger.Parse(i.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: true)], now.AddDays(-1), X509RevocationReason.KeyCompromise);
        }

        var crl = builder.Build(Ca.AuthCa, BigInteger.One, now.AddDays(2), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddMinutes(-1));
        var stored = await InScopeAsync(s => s.GetRequiredService<StoreRevocationList>().ExecuteAsync(crl, cancellationToken)).ConfigureAwait(false);
        if (!stored.Succeeded)
        {
            throw new InvalidOperationException("CRL refused: " + string.Join("; ", stored.Refusals.Select(r => r.Message)));
        }

        Log($"stored a CRL of {revoked:N0} entries ({crl.Length / 1024.0:N0} KiB) in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task CreateInstitutionAndDevicesAsync(int devices, CancellationToken cancellationToken)
    {
        var created = await InScopeAsync(s => s.GetRequiredService<CreateInstitution>().ExecuteAsync(InstitutionCode, InstitutionName, CreateInstitution.DefaultAdministratorUserId, null, cancellationToken)).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("institution refused: " + string.Join("; ", created.Refusals.Select(r => r.Message)));
        }

        InstitutionId = created.Value!.Institution.Id;
        var accountId = created.Value.Administrator.Id;
        var now = TimeProvider.System.GetUtcNow();
        await InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<AppDbContext>();
            var settings = await db.InstitutionSettings.IgnoreQueryFilters().SingleAsync(x => x.InstitutionId == InstitutionId, cancellationToken).ConfigureAwait(false);
            settings.OutpatientFunction = true;
            settings.OfferMedicationInformation = true;
            settings.OfferClinicalInformation = true;
            settings.OfferCheckupInformation = true;
            settings.OfferSurgeryInformation = true;
            settings.Version = Guid.NewGuid();
            var account = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false);
            account.StartDate = JapanTime.Today(TimeProvider.System).AddDays(-1);

            // Activation and staff login have their own tests; the benchmark starts from activated devices with sessions.
            var codes = new List<ActivationCode>();
            for (var i = 0; i < devices; i++)
            {
                codes.Add(new ActivationCode
                {
                    InstitutionId = InstitutionId,
                    Label = "ベンチ端末" + (i + 1).ToString(CultureInfo.InvariantCulture),
                    CodeHash = RandomNumberGenerator.GetBytes(32),
                    Status = ActivationCodeStatus.InUse,
                    IssuedAt = now,
                    IssuedByAccountId = accountId,
                    ExpiresAt = now.AddDays(7),
                    ActivatedAt = now,
                });
            }

            db.ActivationCodes.AddRange(codes);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var code in codes)
            {
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var q = key.ExportParameters(false).Q;
                var (x, y) = (Base64Url.EncodeToString(q.X), Base64Url.EncodeToString(q.Y));
                var device = new Device
                {
                    Id = Guid.NewGuid(),
                    InstitutionId = InstitutionId,
                    ActivationCodeId = code.Id,
                    Label = code.Label,
                    KeyThumbprint = JwkThumbprint.Compute(x, y),
                    PublicKeyX = x,
                    PublicKeyY = y,
                    Status = DeviceStatus.Active,
                    ActivatedByAccountId = accountId,
                    ActivatedAt = now,
                };
                code.DeviceId = device.Id;
                db.Devices.Add(device);
                var token = AppSessionTokens.Generate();
                var session = new AppSession
                {
                    Id = Guid.NewGuid(),
                    TokenHash = AppSessionTokens.Hash(token),
                    DeviceId = device.Id,
                    AccountId = accountId,
                    InstitutionId = InstitutionId,
                    AccountSecurityStamp = account.SecurityStamp,
                    CreatedAt = now,
                    LastSeenAt = now,
                    ExpiresAt = now.AddHours(12),
                };
                db.AppSessions.Add(session);
                var header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}}";
                Devices.Add(new BenchDevice(device.Id, session.Id, key, token, device.KeyThumbprint, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)),
                    Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token)))));
            }

            return await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        Log($"institution {InstitutionCode} with {devices} activated devices and staff sessions");
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        foreach (var device in Devices)
        {
            device.Key.Dispose();
        }

        Ca.Dispose();
        (Host as IDisposable)?.Dispose();
    }
}
