using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Onshi.Jpki;

/// <summary>Settings of a <see cref="JpkiVerifier"/>. Defaults follow the real JPKI profile.</summary>
public sealed record JpkiVerifierOptions
{
    /// <summary>
    /// Certificate policies that mark a user-authentication certificate; at least one must be present
    /// (default: <see cref="JpkiProfile.UserAuthenticationPolicyOid"/>).
    /// </summary>
    public IReadOnlyCollection<string> AcceptedPolicyOids { get; init; } = [JpkiProfile.UserAuthenticationPolicyOid];

    /// <summary>
    /// How long a successful chain validation (with the parsed certificate and its imported key) is reused for the
    /// same certificate bytes (default 10 minutes; zero disables the cache).
    /// </summary>
    public TimeSpan ChainCacheLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Upper bound on cached certificates (default 10,000). Each holds the parsed facts and an imported RSA-2048 public
    /// key, about 5 KB (measured: ≈ 4 KB of native key state), so the default costs at most about 50 MB.
    /// </summary>
    public int ChainCacheCapacity { get; init; } = 10_000;

    /// <summary>Largest certificate accepted, in bytes (a JPKI certificate is about 1.5 KB).</summary>
    public int MaximumCertificateBytes { get; init; } = 16 * 1024;
}

/// <summary>
/// Decides whether a card proved who it is. One instance per anchor set; thread-safe; reads no clock (the time is
/// passed in). See readme.md in this folder for the rules and why each exists.
/// </summary>
public sealed class JpkiVerifier
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    private readonly JpkiTrustAnchors _anchors;
    private readonly JpkiRevocationStore _revocation;
    private readonly JpkiVerifierOptions _options;
    private readonly ChainValidationCache? _chainCache;

    /// <summary>Creates a verifier. <paramref name="revocation"/> must have been created for the same <paramref name="anchors"/>.</summary>
    public JpkiVerifier(JpkiTrustAnchors anchors, JpkiRevocationStore revocation, JpkiVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(revocation);
        if (!ReferenceEquals(revocation.Anchors, anchors))
        {
            throw new ArgumentException("The revocation store was created for another anchor set.", nameof(revocation));
        }

        _anchors = anchors;
        _revocation = revocation;
        _options = options ?? new JpkiVerifierOptions();
        if (_options.AcceptedPolicyOids.Count == 0)
        {
            throw new JpkiConfigurationException("利用者証明用の証明書ポリシーが1件も設定されていません。");
        }

        _chainCache = _options.ChainCacheLifetime > TimeSpan.Zero && _options.ChainCacheCapacity > 0
            ? new ChainValidationCache(_options.ChainCacheCapacity, _options.ChainCacheLifetime)
            : null;
    }

    /// <summary>The anchors this verifier trusts.</summary>
    public JpkiTrustAnchors Anchors => _anchors;

    /// <summary>
    /// 暗証番号 mode: verifies the certificate (profile, validity with the three-month grace, chain, revocation) and
    /// the card's RSA PKCS#1 v1.5 SHA-256 signature over <paramref name="signedMessage"/>. Never throws for bad input.
    /// </summary>
    /// <param name="certificateDer">The 利用者証明用電子証明書 as read from the card (EF 000A).</param>
    /// <param name="signature">The card's signature (256 bytes for RSA-2048).</param>
    /// <param name="signedMessage">
    /// The message built by <see cref="AuthenticationMessage.Build"/> from the server's own record of the challenge,
    /// institution, device and purpose. Never pass a message supplied by the app.
    /// </param>
    /// <param name="at">The verification time.</param>
    public JpkiVerificationResult Verify(ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signedMessage, DateTimeOffset at) =>
        VerifyCore(JpkiIdentificationMode.Pin, certificateDer, signature, signedMessage, at);

    /// <summary>
    /// 目視確認 mode: every certificate rule of <see cref="Verify"/> except the signature (the certificate is read
    /// without PIN; the staff member's attestation replaces the proof of possession). Never throws for bad input.
    /// </summary>
    public JpkiVerificationResult VerifyForVisualIdentification(ReadOnlySpan<byte> certificateDer, DateTimeOffset at) =>
        VerifyCore(JpkiIdentificationMode.Visual, certificateDer, default, default, at);

    /// <summary>
    /// Signature only: true when <paramref name="signature"/> is a valid RSASSA-PKCS1-v1_5 SHA-256 signature by the
    /// certificate's RSA key over <paramref name="signedMessage"/>. Does not check the certificate at all.
    /// </summary>
    public static bool VerifySignature(X509Certificate2 certificate, ReadOnlySpan<byte> signedMessage, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetRSAPublicKey();
        return key is not null && VerifySignature(key, signedMessage, signature);
    }

    private static bool VerifySignature(RSA key, ReadOnlySpan<byte> signedMessage, ReadOnlySpan<byte> signature)
    {
        // The card's P1=00 signature is PKCS#1 v1.5 type 1 over the DigestInfo we asked it to sign
        // (card-protocol.md §6, §6.1), i.e. exactly RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2).
        if (signedMessage.IsEmpty || signature.Length != (key.KeySize + 7) / 8)
        {
            return false;
        }

        try
        {
            return key.VerifyData(signedMessage, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private JpkiVerificationResult VerifyCore(JpkiIdentificationMode mode, ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signedMessage, DateTimeOffset at)
    {
        if (certificateDer.IsEmpty || certificateDer.Length > _options.MaximumCertificateBytes)
        {
            return Fail(mode, JpkiFailureReason.MalformedCertificate, null, string.Create(CultureInfo.InvariantCulture, $"{certificateDer.Length} bytes"));
        }

        // The cache key is the hash of the bytes as received: any difference at all is another certificate.
        Span<byte> receivedHash = stackalloc byte[32];
        SHA256.HashData(certificateDer, receivedHash);
        var cacheKey = CertificateHash.From(receivedHash);
        if (_chainCache?.Find(cacheKey) is { } cached && VerifyCached(mode, cached, signature, signedMessage, at) is { } fromCache)
        {
            return fromCache;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (CryptographicException exception)
        {
            return Fail(mode, JpkiFailureReason.MalformedCertificate, null, exception.Message);
        }

        using (certificate)
        {
            try
            {
                return VerifyParsed(mode, certificate, cacheKey, signature, signedMessage, at);
            }
            catch (Exception exception) when (exception is CryptographicException or AsnContentException)
            {
                // Extensions are decoded lazily; a certificate whose outer DER parses but whose KeyUsage or policies
                // do not is malformed, not a crash.
                return Fail(mode, JpkiFailureReason.MalformedCertificate, null, exception.Message);
            }
        }
    }

    /// <summary>
    /// A certificate that chained before: its profile checks are facts of its bytes and need no repeating; validity,
    /// revocation and the signature are checked now, exactly as for a new certificate. Null when the cached chain
    /// verdict is too old for this time (or its anchor is not valid then): the caller takes the full path.
    /// </summary>
    private JpkiVerificationResult? VerifyCached(JpkiIdentificationMode mode, CachedCertificate cached, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signedMessage, DateTimeOffset at)
    {
        var info = cached.Info;
        if (CheckValidity(mode, info, at, out var notices, out var chainTime) is { } invalid)
        {
            return invalid;
        }

        var anchor = _anchors.Anchors[cached.AnchorIndex];
        // The verdict is reused only near the time it was reached, and the anchor's own validity is time-dependent.
        if (!_chainCache!.IsFresh(cached, chainTime) || chainTime < anchor.NotBefore || chainTime > anchor.NotAfter)
        {
            return null;
        }

        lock (cached.KeyLock)
        {
            return CheckRevocationAndSignature(mode, info, anchor, cached.Serial, cached.Key, notices, signature, signedMessage, at);
        }
    }

    private JpkiVerificationResult VerifyParsed(JpkiIdentificationMode mode, X509Certificate2 certificate, CertificateHash cacheKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signedMessage, DateTimeOffset at)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(certificate.RawDataMemory.Span, hash);
        var serial = SerialNumberComparer.Trim(certificate.SerialNumberBytes.Span);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var info = new JpkiCertificateInfo(
            certificate.Subject,
            certificate.Issuer,
            Convert.ToHexString(serial),
            notBefore,
            notAfter,
            Convert.ToHexString(hash),
            null);

        // Key: RSA-2048 (card-protocol.md §7 "Keys"). Refuse smaller keys (factorable) and other algorithms
        // (the card only signs with RSA; anything else is not a JPKI card certificate).
        if (certificate.GetKeyAlgorithm() != RsaEncryptionOid)
        {
            return Fail(mode, JpkiFailureReason.UnsupportedKeyAlgorithm, info, certificate.GetKeyAlgorithm());
        }

        var key = certificate.GetRSAPublicKey();
        if (key is null)
        {
            return Fail(mode, JpkiFailureReason.UnsupportedKeyAlgorithm, info, "no RSA public key");
        }

        // The key is kept (cached) only when the chain is trusted; every other way out disposes it.
        var keyCached = false;
        try
        {
            if (key.KeySize < JpkiProfile.MinimumRsaKeySizeBits)
            {
                return Fail(mode, JpkiFailureReason.KeyTooSmall, info, string.Create(CultureInfo.InvariantCulture, $"{key.KeySize} bits"));
            }

            // Key usage: an end-entity signing key. RFC 5280 §4.2.1.9 — a CA certificate is never a card; §4.2.1.3 —
            // digitalSignature is what authenticating by signing a challenge requires. JPKI EE certificates carry
            // KeyUsage, so its absence is refused too.
            if (certificate.Extensions[Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true })
            {
                return Fail(mode, JpkiFailureReason.WrongKeyUsage, info, "CA certificate");
            }

            if (certificate.Extensions[Oids.KeyUsage] is not X509KeyUsageExtension usage)
            {
                return Fail(mode, JpkiFailureReason.WrongKeyUsage, info, "no KeyUsage extension");
            }

            if (!usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature)
                || (usage.KeyUsages & (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)) != 0)
            {
                return Fail(mode, JpkiFailureReason.WrongKeyUsage, info, usage.KeyUsages.ToString());
            }

            // Policy: the user-authentication policy (card-protocol.md §7 "Policy OIDs"). This is what tells a
            // 利用者証明用 certificate from a 署名用 one, whatever anchors an operator configured.
            var policies = ReadPolicies(certificate);
            if (!policies.Any(_options.AcceptedPolicyOids.Contains))
            {
                return Fail(mode, JpkiFailureReason.WrongCertificatePolicy, info, "policies: " + string.Join(' ', policies));
            }

            if (CheckValidity(mode, info, at, out var notices, out var chainTime) is { } invalid)
            {
                return invalid;
            }

            var anchor = ValidateChain(certificate, chainTime, out var chainDetail);
            if (anchor is null)
            {
                return Fail(mode, JpkiFailureReason.UntrustedChain, info, chainDetail);
            }

            info = info with { TrustAnchorId = anchor.Id };
            if (_chainCache is not null)
            {
                var entry = new CachedCertificate(info, serial.ToArray(), key, anchor.Index, chainTime);
                _chainCache.Add(cacheKey, entry);
                keyCached = true;
                lock (entry.KeyLock)
                {
                    return CheckRevocationAndSignature(mode, info, anchor, serial, key, notices, signature, signedMessage, at);
                }
            }

            return CheckRevocationAndSignature(mode, info, anchor, serial, key, notices, signature, signedMessage, at);
        }
        finally
        {
            if (!keyCached)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>
    /// Validity (RFC 5280 §4.1.2.5) with the real system's rule (oqs-system.md §7 rule 7): after notAfter the
    /// certificate still identifies for qualification only, for three calendar months (JST). Also gives the time at
    /// which the chain is judged: for an expired certificate inside the grace, the last second of its validity
    /// (OpenSSL treats notAfter itself as already expired, RFC 5280 as still valid; one second earlier satisfies both).
    /// </summary>
    private static JpkiVerificationResult? CheckValidity(JpkiIdentificationMode mode, JpkiCertificateInfo info, DateTimeOffset at, out JpkiNotices notices, out DateTimeOffset chainTime)
    {
        notices = JpkiNotices.None;
        chainTime = at >= info.NotAfter ? info.NotAfter.AddSeconds(-1) : at;
        if (at < info.NotBefore)
        {
            return Fail(mode, JpkiFailureReason.NotYetValid, info, "notBefore " + info.NotBefore.ToString("O", CultureInfo.InvariantCulture));
        }

        if (at > info.NotAfter)
        {
            if (at > JpkiProfile.GraceEnd(info.NotAfter))
            {
                return Fail(mode, JpkiFailureReason.ExpiredBeyondGrace, info, "notAfter " + info.NotAfter.ToString("O", CultureInfo.InvariantCulture));
            }

            notices |= JpkiNotices.ExpiredWithinGrace;
        }
        else if (at >= JpkiProfile.WarningStart(info.NotAfter))
        {
            notices |= JpkiNotices.ExpiresWithinThreeMonths;
        }

        return null;
    }

    private JpkiVerificationResult CheckRevocationAndSignature(JpkiIdentificationMode mode, JpkiCertificateInfo info, TrustAnchor anchor, ReadOnlySpan<byte> serial, RSA key,
        JpkiNotices notices, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signedMessage, DateTimeOffset at)
    {
        // Revocation (card-protocol.md §7 (3)): the operator-loaded CRL of exactly that anchor, as loaded now.
        var revocation = _revocation.Check(anchor, serial, at);
        switch (revocation.State)
        {
            case RevocationState.Revoked:
                return Fail(mode, JpkiFailureReason.Revoked, info, "reason " + revocation.Entry?.Reason) with { Revocation = revocation.Entry };
            case RevocationState.Stale:
                return Fail(mode, JpkiFailureReason.RevocationListStale, info, "CRL nextUpdate " + revocation.List?.NextUpdate?.ToString("O", CultureInfo.InvariantCulture));
            case RevocationState.Unavailable when !_revocation.Policy.AllowMissingRevocationList:
                return Fail(mode, JpkiFailureReason.RevocationListUnavailable, info, "no CRL for anchor " + anchor.Id);
            case RevocationState.Unavailable:
                notices |= JpkiNotices.RevocationNotChecked;
                break;
            case RevocationState.Good:
                break;
        }

        // Proof of possession (card-protocol.md §7 (1)), 暗証番号 mode only: the card's key signed our message.
        if (mode == JpkiIdentificationMode.Pin && !VerifySignature(key, signedMessage, signature))
        {
            return Fail(mode, JpkiFailureReason.BadSignature, info, string.Create(CultureInfo.InvariantCulture, $"signature {signature.Length} bytes, message {signedMessage.Length} bytes"));
        }

        return new JpkiVerificationResult { Mode = mode, Certificate = info, Notices = notices };
    }

    /// <summary>
    /// Chain (card-protocol.md §7 "How RPs verify" (2)): directly issued by a configured anchor, chosen by signature
    /// — the chain engine matches issuers by key, and generations share one DN.
    /// </summary>
    private TrustAnchor? ValidateChain(X509Certificate2 certificate, DateTimeOffset chainTime, out string detail)
    {
        detail = "";
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_anchors.Collection);
        // Revocation is ours (operator-loaded CRLs); the chain engine must not fetch anything: no AIA, no CRL/OCSP.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = X509VerificationFlags.NoFlag;
        policy.VerificationTime = chainTime.UtcDateTime;

        TrustAnchor? anchor = null;
        try
        {
            if (!chain.Build(certificate))
            {
                detail = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
                return null;
            }

            // The real profile has no intermediate CA: EE → root (card-protocol.md §7). A longer chain would also
            // need revocation data for the intermediate, which we do not have.
            if (chain.ChainElements.Count != 2)
            {
                detail = string.Create(CultureInfo.InvariantCulture, $"chain length {chain.ChainElements.Count}");
                return null;
            }

            anchor = _anchors.FindByCertificate(chain.ChainElements[1].Certificate);
            if (anchor is null)
            {
                detail = "chain ended at a certificate that is not a configured anchor";
                return null;
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, certificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }

        return anchor;
    }

    // certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier OID, policyQualifiers OPTIONAL }
    // (RFC 5280 §4.2.1.4). .NET has no typed accessor.
    private static List<string> ReadPolicies(X509Certificate2 certificate)
    {
        var result = new List<string>();
        if (certificate.Extensions[Oids.CertificatePolicies] is not { } extension)
        {
            return result;
        }

        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (sequence.HasData)
        {
            var information = sequence.ReadSequence();
            result.Add(information.ReadObjectIdentifier());
        }

        return result;
    }

    private static JpkiVerificationResult Fail(JpkiIdentificationMode mode, JpkiFailureReason reason, JpkiCertificateInfo? info, string? detail) =>
        new() { Mode = mode, Failure = reason, Certificate = info, Detail = detail };
}
