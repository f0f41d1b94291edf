using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Onshi.Jpki;

/// <summary>Why a 目視確認 card-presence proof was refused. Each maps to one stable wire code on the server.</summary>
public enum CardPresenceFailure
{
    /// <summary>No 券面AP trust anchor is configured: 目視確認 cannot be proved, so it is refused.</summary>
    NotConfigured = 1,

    /// <summary>The 券面AP certificate is not a parseable X.509 RSA certificate for signing.</summary>
    MalformedCertificate = 2,

    /// <summary>The certificate does not chain to a configured 券面AP anchor.</summary>
    UntrustedCertificate = 3,

    /// <summary>The certificate is outside its validity period.</summary>
    CertificateExpired = 4,

    /// <summary>The card's signature over this confirmation's challenge does not verify.</summary>
    BadSignature = 5,

    /// <summary>The card-face record is malformed, or its signature (DF28) does not verify with the certified key.</summary>
    CardFaceInvalid = 6,

    /// <summary>The proof is sound, but from another card than the one whose 利用者証明用 certificate was presented.</summary>
    OtherCard = 7,
}

/// <summary>The outcome of <see cref="CardPresenceVerifier.Verify"/>.</summary>
public sealed record CardPresenceResult(CardPresenceFailure? Failure, DateOnly? CardFaceBirthDate)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Decides whether the card was in the reader during 目視確認 (no PIN). The card proves it by signing, with its 券面AP
/// internal-authentication key, the SHA-256 of <see cref="AuthenticationMessage.BuildCardPresence"/> (which names the
/// server's single-use challenge); the key's certificate chains to a configured 券面AP root, separate from the JPKI
/// roots; the card-face record read in the same session is signed by that same key; and the certificate names the
/// 利用者証明用 certificate of the same card. Pure: no clock (the time is passed in), no network. readme.md: rules.
/// </summary>
public sealed class CardPresenceVerifier
{
    /// <summary>Largest certificate accepted, in bytes.</summary>
    public const int MaximumCertificateBytes = 16 * 1024;

    /// <summary>Largest signature accepted, in bytes (RSA-4096 at most).</summary>
    public const int MaximumSignatureBytes = 512;

    /// <summary>The subject attribute (serialNumber, 2.5.4.5) that names the card's 利用者証明用 certificate.</summary>
    public const string CardBindingAttributeOid = "2.5.4.5";

    private readonly X509Certificate2Collection _anchors;

    public CardPresenceVerifier(IEnumerable<X509Certificate2> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        _anchors = [.. anchors.Select(a => X509CertificateLoader.LoadCertificate(a.RawData))];
    }

    /// <summary>False when no 券面AP root is configured (every proof is then refused with <see cref="CardPresenceFailure.NotConfigured"/>).</summary>
    public bool IsConfigured => _anchors.Count > 0;

    /// <summary>
    /// Verifies a presence proof. <paramref name="message"/> is rebuilt by the caller from its own records;
    /// <paramref name="jpkiCertificate"/> is the already-verified 利用者証明用 certificate read from the card.
    /// </summary>
    public CardPresenceResult Verify(byte[] certificate, byte[] signature, byte[] cardFaceRecord, ReadOnlySpan<byte> message,
        X509Certificate2 jpkiCertificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(cardFaceRecord);
        ArgumentNullException.ThrowIfNull(jpkiCertificate);
        if (!IsConfigured)
        {
            return Fail(CardPresenceFailure.NotConfigured);
        }

        if (certificate.Length is 0 or > MaximumCertificateBytes)
        {
            return Fail(CardPresenceFailure.MalformedCertificate);
        }

        X509Certificate2 parsed;
        try
        {
            parsed = X509CertificateLoader.LoadCertificate(certificate);
        }
        catch (CryptographicException)
        {
            return Fail(CardPresenceFailure.MalformedCertificate);
        }

        using (parsed)
        {
            using var key = parsed.GetRSAPublicKey();
            if (key is null || key.KeySize < 2048 || !UsableForSignatures(parsed))
            {
                return Fail(CardPresenceFailure.MalformedCertificate);
            }

            if (at < parsed.NotBefore.ToUniversalTime() || at > parsed.NotAfter.ToUniversalTime())
            {
                return Fail(CardPresenceFailure.CertificateExpired);
            }

            if (!ChainsToAnchor(parsed, at))
            {
                return Fail(CardPresenceFailure.UntrustedCertificate);
            }

            // The card signed sha256WithRSA over the 32-byte hash the app sent in INTERNAL AUTHENTICATE.
            if (signature.Length is 0 or > MaximumSignatureBytes
                || !key.VerifyData(SHA256.HashData(message), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return Fail(CardPresenceFailure.BadSignature);
            }

            var face = CardFaceRecord.TryRead(cardFaceRecord);
            if (face is null || !face.IsSignedBy(key))
            {
                return Fail(CardPresenceFailure.CardFaceInvalid);
            }

            if (!string.Equals(BindingOf(parsed), ExpectedBinding(jpkiCertificate), StringComparison.Ordinal))
            {
                return Fail(CardPresenceFailure.OtherCard);
            }

            return new CardPresenceResult(null, face.BirthDate);
        }
    }

    /// <summary>"AKI:SERIAL" (upper-case hex, serial without leading zero octets) of a 利用者証明用 certificate.</summary>
    public static string? ExpectedBinding(X509Certificate2 jpkiCertificate)
    {
        ArgumentNullException.ThrowIfNull(jpkiCertificate);
        var aki = jpkiCertificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        if (aki is null)
        {
            return null;
        }

        var serial = jpkiCertificate.SerialNumberBytes.Span;
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        return Convert.ToHexString(aki.Value.Span) + ":" + Convert.ToHexString(serial);
    }

    private static string? BindingOf(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CardBindingAttributeOid)
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }

    private static bool UsableForSignatures(X509Certificate2 certificate)
    {
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return basic is not { CertificateAuthority: true }
            && usage is not null && usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature)
            && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign);
    }

    private bool ChainsToAnchor(X509Certificate2 certificate, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        // The real 券面AP profile has no intermediate CA either: exactly end entity → root.
        return chain.Build(certificate) && chain.ChainElements.Count == 2
            && _anchors.Any(a => a.RawData.AsSpan().SequenceEqual(chain.ChainElements[1].Certificate.RawData));
    }

    private static CardPresenceResult Fail(CardPresenceFailure failure) => new(failure, null);
}
