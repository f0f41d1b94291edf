using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Onshi.Card.Issuing;
using Onshi.Card.Virtual;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>One test JPKI CA per test run, its root in a folder the server trusts; cards issued now (real time: the browser tests run on the clock).</summary>
public static class TestJpki
{
    private static readonly Lock Gate = new();
    private static readonly Lazy<TestCertificateAuthority> LazyCa = new(() => TestCertificateAuthority.Create(TimeProvider.System, withSignCa: false));
    private static readonly Lazy<string> LazyFolder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "onshi-app-tests", "jpki-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "test-auth-ca.pem"), Ca.AuthCa.ExportCertificatePem());
        return folder;
    });

    public static TestCertificateAuthority Ca => LazyCa.Value;

    public static string AnchorFolder => LazyFolder.Value;

    /// <summary>The test 券面AP root (Jpki:CardFaceTrustAnchors), outside <see cref="AnchorFolder"/> so it is never taken for a JPKI root.</summary>
    public static string CardFaceAnchorFile => LazyCardFaceFile.Value;

    private static readonly Lazy<string> LazyCardFaceFile = new(() =>
    {
        var file = AnchorFolder + "-visual-ca.pem";
        File.WriteAllText(file, Ca.VisualCa!.ExportCertificatePem());
        return file;
    });

    public static CardImage Issue(CardIssueRequest request)
    {
        lock (Gate)
        {
            return CardIssuer.Issue(request, Ca, TimeProvider.System);
        }
    }

    public static byte[] Crl()
    {
        lock (Gate)
        {
            return Ca.BuildAuthCrl(TimeProvider.System);
        }
    }

    /// <summary>Onshi.Jpki's linkage key: SHA-256 of the anchor, then the certificate serial in hex without leading zero octets.</summary>
    public static (string Key, DateTimeOffset NotAfter) Linkage(CardImage card)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(card.AuthCertificate);
        var serial = certificate.SerialNumberBytes.ToArray().AsSpan();
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        return (Convert.ToHexString(SHA256.HashData(Ca.AuthCa.RawData)) + ":" + Convert.ToHexString(serial), certificate.NotAfter);
    }
}
