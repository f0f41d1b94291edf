using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Onshi.Card.Issuing;
using Onshi.Card.Virtual;

namespace Onshi.Tests;

/// <summary>
/// One test JPKI CA for the whole test run (RSA key generation is slow), its root written to a folder the server is
/// configured to trust (Jpki:TrustAnchors), and card issuing serialised because the CA's revocation list is shared.
/// Compiled into the server and the app test projects (linked, one source). The CA is made on a fixed day and is valid
/// ten years either side, so cards issued on a test's fake clock and on the real clock (browser tests) both chain to it.
/// </summary>
public static class TestJpki
{
    private static readonly Lock Gate = new();
    private static readonly Lazy<TestCertificateAuthority> LazyCa = new(() => TestCertificateAuthority.Create(new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)), withSignCa: false));
    private static readonly Lazy<string> LazyFolder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "onshi-tests", "jpki-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

    /// <summary>SHA-256 hex of the root, the id Onshi.Jpki gives the anchor (and the prefix of every linkage key).</summary>
    public static string AnchorId => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Ca.AuthCa.RawData));

    public static CardImage Issue(CardIssueRequest request, TimeProvider time)
    {
        lock (Gate)
        {
            return CardIssuer.Issue(request, Ca, time);
        }
    }

    public static byte[] Crl(TimeProvider time)
    {
        lock (Gate)
        {
            return Ca.BuildAuthCrl(time);
        }
    }

    /// <summary>The linkage key of a card's certificate: anchor id + upper-case hex serial without leading zero octets.</summary>
    public static string LinkageKey(CardImage card) => Linkage(card).Key;

    /// <summary>The linkage key of a card's certificate and the certificate's expiry, as a card link stores them.</summary>
    public static (string Key, DateTimeOffset NotAfter) Linkage(CardImage card)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(card.AuthCertificate);
        var serial = certificate.SerialNumberBytes.ToArray().AsSpan();
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        return (AnchorId + ":" + Convert.ToHexString(serial), certificate.NotAfter);
    }
}
