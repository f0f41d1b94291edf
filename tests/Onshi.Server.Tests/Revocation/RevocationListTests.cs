using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Onshi.Card.Issuing;
using Onshi.Jpki;
using Onshi.Server.Revocation;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Revocation;

/// <summary>CRLs loaded by the operator reach every server process through the database.</summary>
public abstract class RevocationListTests(PortalFixture portal)
{
    /// <summary>What one server process holds: its own store, kept in step with the database by its own sync.</summary>
    private sealed class Server : IDisposable
    {
        private readonly JpkiTrustAnchors _anchors;

        public Server(PortalFixture portal, JpkiTrustAnchors anchors)
        {
            _anchors = anchors;
            Store = new JpkiRevocationStore(anchors);
            Sync = new RevocationListSync(Store, portal.Factory.Services.GetRequiredService<IServiceScopeFactory>(), portal.Time, NullLogger<RevocationListSync>.Instance);
        }

        public JpkiRevocationStore Store { get; }

        public RevocationListSync Sync { get; }

        public JpkiVerifier Verifier => new(_anchors, Store);

        public void Dispose() => Sync.Dispose();
    }

    [Fact]
    public async Task ARevokedCertificateStoredThroughTheDatabaseIsRefusedByEveryServer()
    {
        portal.SkipIfUnavailable();
        using var ca = TestCertificateAuthority.Create(portal.Time, withSignCa: false);
        var anchors = JpkiTrustAnchors.FromCertificates([ca.AuthCa]);
        var card = CardIssuer.Issue(new CardIssueRequest { Name = "失効 太郎", Address = "東京都", BirthDate = new DateOnly(1980, 1, 1) }, ca, portal.Time);
        using var first = new Server(portal, anchors);
        using var second = new Server(portal, anchors);
        await first.Sync.RefreshAsync(TestContext.Current.CancellationToken);
        await second.Sync.RefreshAsync(TestContext.Current.CancellationToken);

        // The first "server" loads a CRL without the card, then a newer one listing it.
        await StoreAsync(first, ca.BuildAuthCrl(portal.Time));
        Assert.True(first.Verifier.VerifyForVisualIdentification(card.AuthCertificate, portal.Time.GetUtcNow()).IsSuccess);
        portal.Time.Advance(TimeSpan.FromMinutes(1));
        ca.RevokeAuthCertificate(Load(card.AuthCertificate), portal.Time.GetUtcNow());
        await StoreAsync(first, ca.BuildAuthCrl(portal.Time));

        Assert.Equal(JpkiFailureReason.Revoked, first.Verifier.VerifyForVisualIdentification(card.AuthCertificate, portal.Time.GetUtcNow()).Failure);

        // The second process sees it after one refresh (its poll), and so does a process that starts later.
        Assert.Equal(JpkiFailureReason.RevocationListUnavailable, second.Verifier.VerifyForVisualIdentification(card.AuthCertificate, portal.Time.GetUtcNow()).Failure);
        Assert.Equal(1, await second.Sync.RefreshAsync(TestContext.Current.CancellationToken));
        Assert.Equal(JpkiFailureReason.Revoked, second.Verifier.VerifyForVisualIdentification(card.AuthCertificate, portal.Time.GetUtcNow()).Failure);
        Assert.Equal(0, await second.Sync.RefreshAsync(TestContext.Current.CancellationToken));

        using var restarted = new Server(portal, anchors);
        await restarted.Sync.RefreshAsync(TestContext.Current.CancellationToken);
        Assert.Equal(JpkiFailureReason.Revoked, restarted.Verifier.VerifyForVisualIdentification(card.AuthCertificate, portal.Time.GetUtcNow()).Failure);
    }

    [Fact]
    public async Task ForgedOrOlderListsAreRefusedAndNotStored()
    {
        portal.SkipIfUnavailable();
        using var ca = TestCertificateAuthority.Create(portal.Time, withSignCa: false);
        using var stranger = TestCertificateAuthority.Create(portal.Time, withSignCa: false);
        var anchors = JpkiTrustAnchors.FromCertificates([ca.AuthCa]);
        using var server = new Server(portal, anchors);
        var older = ca.BuildAuthCrl(portal.Time);
        portal.Time.Advance(TimeSpan.FromMinutes(1));
        await StoreAsync(server, ca.BuildAuthCrl(portal.Time));
        var before = await portal.QueryAsync(db => Task.FromResult(db.RevocationLists.Count()));

        var rollback = await StoreAsync(server, older, expectSuccess: false);
        Assert.Equal("crl.older_than_current", rollback);

        // Same DN, other key: the signature does not verify with the configured anchor.
        Assert.Equal("crl.signature_invalid", await StoreAsync(server, stranger.BuildAuthCrl(portal.Time), expectSuccess: false));
        Assert.Equal("crl.malformed", await StoreAsync(server, [0x30, 0x03, 0x02, 0x01, 0x01], expectSuccess: false));
        Assert.Equal(before, await portal.QueryAsync(db => Task.FromResult(db.RevocationLists.Count())));
    }

    private async Task<string?> StoreAsync(Server server, byte[] crl, bool expectSuccess = true)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Onshi.Server.Data.AppDbContext>();
        var result = await new StoreRevocationList(db, server.Sync, portal.Time).ExecuteAsync(crl, TestContext.Current.CancellationToken);
        Assert.Equal(expectSuccess, result.Succeeded);
        return result.Refusal?.Code;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Load(byte[] der) =>
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
}

public sealed class RevocationListTestsOnSqlite(SqlitePortal portal) : RevocationListTests(portal), IClassFixture<SqlitePortal>;

public sealed class RevocationListTestsOnPostgres(PostgresPortal portal) : RevocationListTests(portal), IClassFixture<PostgresPortal>;
