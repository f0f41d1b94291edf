using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;

namespace Onshi.Jpki.Tests;

public sealed class RevocationStoreTests
{
    private static readonly DateTimeOffset Now = TestPki.Now;
    private readonly TestPki _pki = TestPki.Shared;

    private JpkiRevocationStore NewStore(CrlFreshnessPolicy? policy = null) =>
        new(JpkiTrustAnchors.FromCertificates([_pki.Root, _pki.SecondGenerationRoot]), policy);

    [Fact]
    public void IndexesTheEntriesOfAVerifiedList()
    {
        var store = NewStore();
        byte[] revoked = [0x00, 0x8F, 0x01];
        var crl = TestPki.Crl(_pki.Root, _pki.RootKey, [(revoked, X509RevocationReason.CessationOfOperation), ([0x42], X509RevocationReason.Unspecified)], Now.AddHours(-1), Now.AddDays(1), 7);

        var loaded = store.Load(crl, Now);
        var anchor = store.Anchors.Anchors[0];

        Assert.True(loaded.IsSuccess, loaded.Detail);
        Assert.Equal(anchor.Id, loaded.Loaded!.AnchorId);
        Assert.Equal("7", loaded.Loaded.CrlNumber);
        Assert.Equal(2, loaded.Loaded.RevokedCount);
        // DER sign padding does not matter: 00 8F 01 and 8F 01 are the same serial.
        var status = store.Check(anchor, [0x8F, 0x01], Now);
        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal(X509RevocationReason.CessationOfOperation, status.Entry!.Reason);
        Assert.Equal(RevocationState.Good, store.Check(anchor, [0x8F, 0x02], Now).State);
        // The other generation (same DN) has no list of its own yet.
        Assert.Equal(RevocationState.Unavailable, store.Check(store.Anchors.Anchors[1], [0x8F, 0x01], Now).State);
    }

    [Fact]
    public void AttributesAListToTheGenerationWhoseKeySignedIt()
    {
        var store = NewStore();
        var crl = TestPki.Crl(_pki.SecondGenerationRoot, _pki.SecondGenerationKey, [([0x42], X509RevocationReason.KeyCompromise)], Now.AddHours(-1), Now.AddDays(1), 1);

        var loaded = store.Load(crl, Now);

        Assert.True(loaded.IsSuccess, loaded.Detail);
        Assert.Equal(store.Anchors.Anchors[1].Id, loaded.Loaded!.AnchorId);
        Assert.Equal(RevocationState.Revoked, store.Check(store.Anchors.Anchors[1], [0x42], Now).State);
        Assert.Equal(RevocationState.Unavailable, store.Check(store.Anchors.Anchors[0], [0x42], Now).State);
    }

    [Fact]
    public void RefusesAListSignedByTheWrongKey()
    {
        var store = NewStore();
        // Root's name, impostor's key: exactly what a forger who wants to un-revoke a card would produce.
        var crl = TestPki.Crl(_pki.Root, _pki.ImpostorKey, [], Now.AddHours(-1), Now.AddDays(1), 99);

        var result = store.Load(crl, Now);

        Assert.Equal(CrlLoadError.SignatureInvalid, result.Error);
        Assert.Equal("crl.signature_invalid", result.MachineCode);
        Assert.Contains("署名", result.Message, StringComparison.Ordinal);
        Assert.Empty(store.Loaded);
    }

    [Fact]
    public void RefusesATamperedList()
    {
        var store = NewStore();
        var crl = TestPki.Crl(_pki.Root, _pki.RootKey, [([0x42, 0x43], X509RevocationReason.KeyCompromise)], Now.AddHours(-1), Now.AddDays(1), 1);
        var position = crl.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x02, 0x02, 0x42, 0x43]);
        Assert.True(position > 0);
        crl[position + 3] = 0x44;

        Assert.Equal(CrlLoadError.SignatureInvalid, store.Load(crl, Now).Error);
    }

    [Fact]
    public void RefusesAListFromAnUnknownIssuer()
    {
        var store = NewStore();
        using var otherKey = RSA.Create(2048);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("Somebody else");
        var request = new CertificateRequest(name.Build(), otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var otherRoot = request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(1));
        var crl = TestPki.Crl(otherRoot, otherKey, [], Now.AddHours(-1), Now.AddDays(1), 1);

        Assert.Equal(CrlLoadError.UnknownIssuer, store.Load(crl, Now).Error);
    }

    [Fact]
    public void RefusesAListThatIsAlreadyStaleOrNotYetIssued()
    {
        var store = NewStore();
        var stale = TestPki.Crl(_pki.Root, _pki.RootKey, [], Now.AddDays(-3), Now.AddDays(-1), 1);
        var future = TestPki.Crl(_pki.Root, _pki.RootKey, [], Now.AddHours(1), Now.AddDays(2), 1);

        Assert.Equal(CrlLoadError.Stale, store.Load(stale, Now).Error);
        Assert.Equal(CrlLoadError.NotYetValid, store.Load(future, Now).Error);
        Assert.Empty(store.Loaded);
        // The same stale list is acceptable to an operator who configured a tolerance.
        Assert.True(NewStore(new CrlFreshnessPolicy { ToleranceAfterNextUpdate = TimeSpan.FromDays(2) }).Load(stale, Now).IsSuccess);
    }

    [Fact]
    public void RefusesToRollBackToAnOlderList()
    {
        var store = NewStore();
        var anchor = store.Anchors.Anchors[0];
        var older = TestPki.Crl(_pki.Root, _pki.RootKey, [], Now.AddHours(-5), Now.AddDays(1), 4);
        var newer = TestPki.Crl(_pki.Root, _pki.RootKey, [([0x42], X509RevocationReason.KeyCompromise)], Now.AddHours(-1), Now.AddDays(1), 5);
        var lowerNumber = TestPki.Crl(_pki.Root, _pki.RootKey, [], Now.AddMinutes(-30), Now.AddDays(1), 3);

        Assert.True(store.Load(older, Now).IsSuccess);
        Assert.True(store.Load(newer, Now).IsSuccess);
        Assert.Equal(CrlLoadError.OlderThanCurrent, store.Load(older, Now).Error);
        Assert.Equal(CrlLoadError.OlderThanCurrent, store.Load(lowerNumber, Now).Error);
        Assert.Equal(RevocationState.Revoked, store.Check(anchor, [0x42], Now).State);
    }

    [Fact]
    public void AcceptsPemEncodedLists()
    {
        var store = NewStore();
        var der = TestPki.Crl(_pki.Root, _pki.RootKey, [([0x42], X509RevocationReason.KeyCompromise)], Now.AddHours(-1), Now.AddDays(1), 1);
        var pem = System.Text.Encoding.ASCII.GetBytes(new string(PemEncoding.Write("X509 CRL", der)) + "\n");

        var result = store.Load(pem, Now);

        Assert.True(result.IsSuccess, result.Detail);
        Assert.Equal(1, result.Loaded!.RevokedCount);
    }

    [Fact]
    public void ReportsStaleOnlyAfterNextUpdateButRevokedAlways()
    {
        var store = NewStore();
        var anchor = store.Anchors.Anchors[0];
        Assert.True(store.Load(TestPki.Crl(_pki.Root, _pki.RootKey, [([0x42], X509RevocationReason.KeyCompromise)], Now.AddHours(-1), Now.AddDays(1), 1), Now).IsSuccess);

        Assert.Equal(RevocationState.Good, store.Check(anchor, [0x43], Now.AddDays(1)).State);
        Assert.Equal(RevocationState.Stale, store.Check(anchor, [0x43], Now.AddDays(1).AddTicks(1)).State);
        Assert.Equal(RevocationState.Revoked, store.Check(anchor, [0x42], Now.AddDays(30)).State);
    }

    [Fact]
    public void RefusesOversizedFilesBeforeParsing()
    {
        var store = NewStore(new CrlFreshnessPolicy { MaximumCrlBytes = 100 });
        Assert.Equal(CrlLoadError.TooLarge, store.Load(new byte[101], Now).Error);
    }

    [Fact]
    public void TurnsRandomBytesIntoAMalformedListWithoutThrowing()
    {
        var store = NewStore();
        Gen.Byte.Array[0, 1024].Sample(bytes =>
        {
            var result = store.Load(bytes, Now);
            Assert.Equal(CrlLoadError.Malformed, result.Error);
            Assert.False(string.IsNullOrEmpty(result.Message));
        }, iter: 500);
        Assert.Empty(store.Loaded);
    }

    [Fact]
    public void NeverThrowsOnACorruptedGenuineList()
    {
        var store = NewStore();
        var crl = TestPki.Crl(_pki.Root, _pki.RootKey, [([0x42], X509RevocationReason.KeyCompromise), ([0x43], X509RevocationReason.Superseded)], Now.AddHours(-1), Now.AddDays(1), 1);

        Gen.Select(Gen.Int[0, crl.Length - 1], Gen.Byte[1, 255]).Sample((position, mask) =>
        {
            var corrupted = (byte[])crl.Clone();
            corrupted[position] ^= mask;
            var result = store.Load(corrupted, Now);
            Assert.False(result.IsSuccess, $"byte {position} ^ {mask:X2} was accepted");
        }, iter: 300);
        Assert.Empty(store.Loaded);
    }
}
