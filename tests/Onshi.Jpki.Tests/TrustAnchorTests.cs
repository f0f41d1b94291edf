using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Onshi.Jpki.Tests;

public sealed class TrustAnchorTests
{
    private readonly TestPki _pki = TestPki.Shared;

    [Fact]
    public void LoadsTheBundledJLisUserAuthenticationRoots()
    {
        var anchors = JpkiTrustAnchors.LoadBundled();

        Assert.Equal(2, anchors.Anchors.Count);
        Assert.All(anchors.Anchors, a => Assert.Equal(
            "OU=Japan Agency for Local Authority Information Systems, OU=JPKI for user authentication, O=JPKI, C=JP", a.SubjectName));
        var generation2015 = Assert.Single(anchors.Anchors, a => a.Source == "auth_ca_2015.pem");
        var generation2023 = Assert.Single(anchors.Anchors, a => a.Source == "auth_ca_2023.pem");
        Assert.Equal(new DateTimeOffset(2015, 10, 20, 3, 8, 13, TimeSpan.Zero), generation2015.NotBefore);
        Assert.Equal(new DateTimeOffset(2025, 10, 19, 14, 59, 59, TimeSpan.Zero), generation2015.NotAfter);
        Assert.Equal(new DateTimeOffset(2023, 7, 16, 1, 1, 4, TimeSpan.Zero), generation2023.NotBefore);
        Assert.Equal(new DateTimeOffset(2033, 7, 15, 14, 59, 59, TimeSpan.Zero), generation2023.NotAfter);
        Assert.Equal("06D18006", generation2023.Certificate.SerialNumber);
        Assert.All(anchors.Anchors, a => Assert.Equal(2048, a.Certificate.GetRSAPublicKey()!.KeySize));
        Assert.Equal(16, anchors.Version.Length);
    }

    [Fact]
    public void LoadsTheDigitalSignatureRootsOnlyWhenAsked()
    {
        var anchors = JpkiTrustAnchors.LoadBundled(includeDigitalSignatureRoots: true);

        Assert.Equal(4, anchors.Anchors.Count);
        Assert.Equal(2, anchors.Anchors.Count(a => a.SubjectName.Contains(JpkiProfile.DigitalSignatureCaUnit, StringComparison.Ordinal)));
        Assert.NotEqual(JpkiTrustAnchors.LoadBundled().Version, anchors.Version);
    }

    [Fact]
    public void LoadsTheSameRootsFromAFolderAsFromTheBundle()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Onshi.Jpki", "TrustAnchors", "jpki");
        Assert.True(Directory.Exists(folder), folder);

        var fromFolder = JpkiTrustAnchors.LoadFromFolder(folder);

        Assert.Equal(JpkiTrustAnchors.LoadBundled(includeDigitalSignatureRoots: true).Version, fromFolder.Version);
    }

    [Fact]
    public void LoadsATestCaFromAFolder()
    {
        var folder = Directory.CreateTempSubdirectory("onshi-anchors-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "test-ca.pem"), _pki.Root.ExportCertificatePem());
            File.WriteAllText(Path.Combine(folder.FullName, "notes.txt"), "not an anchor, ignored");

            var anchors = JpkiTrustAnchors.LoadFromFolder(folder.FullName);

            var anchor = Assert.Single(anchors.Anchors);
            Assert.Equal(Convert.ToHexString(_pki.Root.GetCertHash(HashAlgorithmName.SHA256)), anchor.Id);
            Assert.Same(anchor, anchors.FindById(anchor.Id.ToLowerInvariant()));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void RefusesAFolderWithACertificateThatIsNotARoot()
    {
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var folder = Directory.CreateTempSubdirectory("onshi-anchors-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "card.pem"), card.ExportCertificatePem());

            var error = Assert.Throws<JpkiConfigurationException>(() => JpkiTrustAnchors.LoadFromFolder(folder.FullName));

            Assert.Contains("card.pem", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void RefusesAMissingFolderAndAnEmptyOne()
    {
        Assert.Throws<JpkiConfigurationException>(() => JpkiTrustAnchors.LoadFromFolder("/nonexistent/onshi-anchors"));
        var folder = Directory.CreateTempSubdirectory("onshi-anchors-");
        try
        {
            Assert.Throws<JpkiConfigurationException>(() => JpkiTrustAnchors.LoadFromFolder(folder.FullName));
            File.WriteAllText(Path.Combine(folder.FullName, "garbage.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
            Assert.Throws<JpkiConfigurationException>(() => JpkiTrustAnchors.LoadFromFolder(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void RefusesARootWithASmallKey()
    {
        using var key = RSA.Create(1024);
        var request = new CertificateRequest(TestPki.CaName(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(TestPki.Now.AddYears(-1), TestPki.Now.AddYears(1));

        Assert.Throws<JpkiConfigurationException>(() => JpkiTrustAnchors.FromCertificates([root]));
    }
}
