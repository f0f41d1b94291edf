using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;

namespace Onshi.Jpki.Tests;

public sealed class JpkiVerifierTests
{
    private static readonly DateTimeOffset Now = TestPki.Now;
    private static readonly byte[] DeviceThumbprint = SHA256.HashData("device-key"u8);
    private readonly TestPki _pki = TestPki.Shared;

    private static (JpkiVerifier Verifier, JpkiRevocationStore Store) Create(
        X509Certificate2[] anchors,
        CrlFreshnessPolicy? policy = null,
        bool loadEmptyCrls = true,
        JpkiVerifierOptions? options = null,
        DateTimeOffset? crlNextUpdate = null)
    {
        var set = JpkiTrustAnchors.FromCertificates(anchors);
        var store = new JpkiRevocationStore(set, policy);
        if (loadEmptyCrls)
        {
            foreach (var anchor in anchors)
            {
                var key = anchor.GetRSAPrivateKey()!;
                var loaded = store.Load(TestPki.Crl(anchor, key, [], Now.AddHours(-1), crlNextUpdate ?? Now.AddDays(1), 1), Now);
                Assert.True(loaded.IsSuccess, loaded.Detail);
            }
        }

        return (new JpkiVerifier(set, store, options), store);
    }

    private (JpkiVerifier Verifier, JpkiRevocationStore Store) CreateDefault() => Create([_pki.Root]);

    private static byte[] Message(AuthenticationPurpose purpose = AuthenticationPurpose.Outpatient) =>
        AuthenticationMessage.Build(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), "2714206386", DeviceThumbprint, purpose);

    private static byte[] Sign(RSA key, byte[] message) =>
        key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Fact]
    public void AcceptsAValidCardSignatureOverTheChallengeMessage()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();

        var result = verifier.Verify(card.RawData, Sign(_pki.CardKey, message), message, Now);

        Assert.True(result.IsSuccess, result.Detail);
        Assert.Equal(JpkiIdentificationMode.Pin, result.Mode);
        Assert.Equal(JpkiNotices.None, result.Notices);
        Assert.Null(result.MachineCode);
        var anchorId = verifier.Anchors.Anchors[0].Id;
        Assert.Equal(anchorId, result.Certificate!.TrustAnchorId);
        Assert.Equal(anchorId + ":" + Convert.ToHexString(card.SerialNumberBytes.Span), result.Certificate.LinkageKey);
        Assert.Equal("C=JP, CN=997794E9AGCIEG13221003A", result.Certificate.SubjectName);
    }

    [Fact]
    public void RefusesEverySingleBitFlipOfTheSignedMessage()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        // The message is ~120 bytes, so this is ~960 verifications: bounded.
        for (var bit = 0; bit < message.Length * 8; bit++)
        {
            var tampered = (byte[])message.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var result = verifier.Verify(card.RawData, signature, tampered, Now);
            Assert.Equal(JpkiFailureReason.BadSignature, result.Failure);
        }
    }

    [Fact]
    public void RefusesEverySingleByteChangeOfTheSignature()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        for (var i = 0; i < signature.Length; i++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x5A;
            Assert.Equal(JpkiFailureReason.BadSignature, verifier.Verify(card.RawData, tampered, message, Now).Failure);
        }

        Assert.Equal(JpkiFailureReason.BadSignature, verifier.Verify(card.RawData, signature.AsSpan(0, signature.Length - 1), message, Now).Failure);
        Assert.Equal(JpkiFailureReason.BadSignature, verifier.Verify(card.RawData, [], message, Now).Failure);
    }

    [Fact]
    public void RefusesASignatureForAnotherPurposeInstitutionOrDevice()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var challenge = RandomNumberGenerator.GetBytes(32);
        var signed = AuthenticationMessage.Build(challenge, "2714206386", DeviceThumbprint, AuthenticationPurpose.Outpatient);
        var signature = Sign(_pki.CardKey, signed);

        byte[][] others =
        [
            AuthenticationMessage.Build(challenge, "2714206386", DeviceThumbprint, AuthenticationPurpose.HomeVisit),
            AuthenticationMessage.Build(challenge, "0110113719", DeviceThumbprint, AuthenticationPurpose.Outpatient),
            AuthenticationMessage.Build(challenge, "2714206386", SHA256.HashData("other device"u8), AuthenticationPurpose.Outpatient),
            AuthenticationMessage.Build(RandomNumberGenerator.GetBytes(32), "2714206386", DeviceThumbprint, AuthenticationPurpose.Outpatient),
        ];
        Assert.True(verifier.Verify(card.RawData, signature, signed, Now).IsSuccess);
        foreach (var other in others)
        {
            Assert.Equal(JpkiFailureReason.BadSignature, verifier.Verify(card.RawData, signature, other, Now).Failure);
        }
    }

    [Fact]
    public void RefusesASignatureByAnotherCardsKey()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        using var otherCard = TestPki.IssueCard(_pki.Root, _pki.OtherCardKey);
        var message = Message();

        var result = verifier.Verify(card.RawData, Sign(_pki.OtherCardKey, message), message, Now);
        var swapped = verifier.Verify(otherCard.RawData, Sign(_pki.CardKey, message), message, Now);

        Assert.Equal(JpkiFailureReason.BadSignature, result.Failure);
        Assert.Equal("jpki.bad_signature", result.MachineCode);
        Assert.Contains("電子署名", result.Message, StringComparison.Ordinal);
        Assert.Equal(JpkiFailureReason.BadSignature, swapped.Failure);
        Assert.True(verifier.Verify(otherCard.RawData, Sign(_pki.OtherCardKey, message), message, Now).IsSuccess);
    }

    [Fact]
    public void RefusesACardFromARootWithTheSameNameButAnotherKey()
    {
        var (verifier, _) = CreateDefault();
        using var forged = TestPki.IssueCard(_pki.ImpostorRoot, _pki.CardKey);
        var message = Message();

        var result = verifier.Verify(forged.RawData, Sign(_pki.CardKey, message), message, Now);

        Assert.Equal(JpkiFailureReason.UntrustedChain, result.Failure);
        Assert.Equal("jpki.untrusted_chain", result.MachineCode);
        Assert.Null(result.Certificate!.LinkageKey);
    }

    [Fact]
    public void AForgedCertificateWithTheSameIssuerAndSerialDoesNotInheritACachedVerdict()
    {
        var (verifier, _) = CreateDefault();
        var serial = TestPki.RandomSerial();
        using var genuine = TestPki.IssueCard(_pki.Root, _pki.CardKey, serial: serial);
        using var forged = TestPki.IssueCard(_pki.ImpostorRoot, _pki.OtherCardKey, serial: serial);
        var message = Message();

        Assert.True(verifier.Verify(genuine.RawData, Sign(_pki.CardKey, message), message, Now).IsSuccess);
        Assert.True(verifier.Verify(genuine.RawData, Sign(_pki.CardKey, message), message, Now).IsSuccess);
        var result = verifier.Verify(forged.RawData, Sign(_pki.OtherCardKey, message), message, Now);

        Assert.Equal(JpkiFailureReason.UntrustedChain, result.Failure);
    }

    [Fact]
    public void ReusesTheParsedCertificateOfACardSeenBeforeAndOnlyThen()
    {
        var (cached, _) = CreateDefault();
        var (uncached, _) = Create([_pki.Root], options: new JpkiVerifierOptions { ChainCacheLifetime = TimeSpan.Zero });
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        var first = cached.Verify(card.RawData, signature, message, Now);
        var second = cached.Verify(card.RawData, signature, message, Now.AddMinutes(1));
        var withoutCacheFirst = uncached.Verify(card.RawData, signature, message, Now);
        var withoutCacheSecond = uncached.Verify(card.RawData, signature, message, Now.AddMinutes(1));

        // The second answer comes from the cache (the very same parsed certificate facts); without a cache it is parsed again.
        Assert.True(second.IsSuccess, second.Detail);
        Assert.Same(first.Certificate, second.Certificate);
        Assert.True(withoutCacheSecond.IsSuccess, withoutCacheSecond.Detail);
        Assert.NotSame(withoutCacheFirst.Certificate, withoutCacheSecond.Certificate);
        Assert.Equal(withoutCacheFirst.Certificate, first.Certificate);
    }

    [Fact]
    public void ChecksTheSignatureOfACachedCardOnEveryCall()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var first = verifier.Verify(card.RawData, Sign(_pki.CardKey, message), message, Now);
        Assert.True(first.IsSuccess, first.Detail);

        var otherKey = verifier.Verify(card.RawData, Sign(_pki.OtherCardKey, message), message, Now);
        var otherMessage = verifier.Verify(card.RawData, Sign(_pki.CardKey, message), Message(AuthenticationPurpose.HomeVisit), Now);
        var noSignature = verifier.Verify(card.RawData, [], message, Now);

        Assert.Same(first.Certificate, otherKey.Certificate);
        Assert.Equal(JpkiFailureReason.BadSignature, otherKey.Failure);
        Assert.Equal(JpkiFailureReason.BadSignature, otherMessage.Failure);
        Assert.Equal(JpkiFailureReason.BadSignature, noSignature.Failure);
    }

    [Fact]
    public void RefusesACardRevokedAfterItsCertificateWasCached()
    {
        var (verifier, store) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);
        var before = verifier.Verify(card.RawData, signature, message, Now);
        Assert.True(before.IsSuccess, before.Detail);
        Assert.True(verifier.VerifyForVisualIdentification(card.RawData, Now).IsSuccess);

        // A newer list (later thisUpdate, higher CRL number) now lists the card.
        var crl = TestPki.Crl(_pki.Root, _pki.RootKey, [(card.SerialNumberBytes.ToArray(), X509RevocationReason.KeyCompromise)], Now.AddMinutes(-1), Now.AddDays(1), 5);
        Assert.True(store.Load(crl, Now).IsSuccess);
        var after = verifier.Verify(card.RawData, signature, message, Now.AddSeconds(1));
        var visual = verifier.VerifyForVisualIdentification(card.RawData, Now.AddSeconds(1));

        Assert.Equal(JpkiFailureReason.Revoked, after.Failure);
        Assert.Equal(X509RevocationReason.KeyCompromise, after.Revocation!.Reason);
        Assert.Same(before.Certificate, after.Certificate);
        Assert.Equal(JpkiFailureReason.Revoked, visual.Failure);
    }

    [Fact]
    public void RefusesACachedCardOnceItHasExpiredBeyondTheGraceOrIsNotYetValid()
    {
        // A cache lifetime of a year, so the cached chain verdict is still "fresh" at every time below.
        var (verifier, _) = Create([_pki.Root], options: new JpkiVerifierOptions { ChainCacheLifetime = TimeSpan.FromDays(365) }, crlNextUpdate: Now.AddYears(1));
        var notBefore = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(9));
        var notAfter = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.FromHours(9));
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey, notBefore: notBefore, notAfter: notAfter);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);
        var cached = verifier.Verify(card.RawData, signature, message, Now);
        Assert.True(cached.IsSuccess, cached.Detail);
        Assert.True(verifier.Verify(card.RawData, signature, message, Now.AddDays(1)).IsSuccess);

        var withinGrace = verifier.Verify(card.RawData, signature, message, new DateTimeOffset(2027, 2, 28, 12, 0, 0, TimeSpan.FromHours(9)));
        var beyondGrace = verifier.Verify(card.RawData, signature, message, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.FromHours(9)));
        var visualBeyondGrace = verifier.VerifyForVisualIdentification(card.RawData, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.FromHours(9)));
        var tooEarly = verifier.Verify(card.RawData, signature, message, notBefore.AddSeconds(-1));

        Assert.True(withinGrace.IsSuccess, withinGrace.Detail);
        Assert.Equal(JpkiNotices.ExpiredWithinGrace, withinGrace.Notices);
        Assert.Equal(JpkiFailureReason.ExpiredBeyondGrace, beyondGrace.Failure);
        Assert.Same(cached.Certificate, beyondGrace.Certificate);
        Assert.Equal(JpkiFailureReason.ExpiredBeyondGrace, visualBeyondGrace.Failure);
        Assert.Equal(JpkiFailureReason.NotYetValid, tooEarly.Failure);
    }

    [Fact]
    public void RebuildsTheChainOfACachedCardOnceTheCachedVerdictIsTooOld()
    {
        var (verifier, _) = Create([_pki.Root], options: new JpkiVerifierOptions { ChainCacheLifetime = TimeSpan.FromMinutes(10) }, crlNextUpdate: Now.AddDays(2));
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        var first = verifier.Verify(card.RawData, signature, message, Now);
        var within = verifier.Verify(card.RawData, signature, message, Now.AddMinutes(9));
        var later = verifier.Verify(card.RawData, signature, message, Now.AddMinutes(11));

        Assert.True(later.IsSuccess, later.Detail);
        Assert.Same(first.Certificate, within.Certificate);
        Assert.NotSame(first.Certificate, later.Certificate);
        Assert.Equal(first.Certificate, later.Certificate);
    }

    [Fact]
    public void PicksTheIssuingGenerationBySignatureWhenAnchorsShareOneName()
    {
        var (verifier, _) = Create([_pki.Root, _pki.SecondGenerationRoot]);
        using var newCard = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        using var oldCard = TestPki.IssueCard(_pki.SecondGenerationRoot, _pki.OtherCardKey);
        var message = Message();

        var fromNew = verifier.Verify(newCard.RawData, Sign(_pki.CardKey, message), message, Now);
        var fromOld = verifier.Verify(oldCard.RawData, Sign(_pki.OtherCardKey, message), message, Now);

        Assert.True(fromNew.IsSuccess, fromNew.Detail);
        Assert.True(fromOld.IsSuccess, fromOld.Detail);
        Assert.Equal(verifier.Anchors.Anchors[0].Id, fromNew.Certificate!.TrustAnchorId);
        Assert.Equal(verifier.Anchors.Anchors[1].Id, fromOld.Certificate!.TrustAnchorId);
    }

    [Fact]
    public void AcceptsAnExpiredCertificateInsideTheThreeMonthGraceWithANotice()
    {
        var (verifier, _) = Create([_pki.Root], crlNextUpdate: Now.AddMonths(3));
        var notAfter = new DateTimeOffset(2026, 9, 30, 23, 59, 59, TimeSpan.FromHours(9));
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey, notAfter: notAfter);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        var inside = verifier.Verify(card.RawData, signature, message, Now);
        var lastInstant = verifier.Verify(card.RawData, signature, message, new DateTimeOffset(2026, 12, 30, 23, 59, 59, TimeSpan.FromHours(9)));

        Assert.True(inside.IsSuccess, inside.Detail);
        Assert.Equal(JpkiNotices.ExpiredWithinGrace, inside.Notices);
        Assert.True(lastInstant.IsSuccess, lastInstant.Detail);
        Assert.True(lastInstant.Notices.HasFlag(JpkiNotices.ExpiredWithinGrace));
        var justAfter = verifier.Verify(card.RawData, signature, message, new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.FromHours(9)));
        Assert.Equal(JpkiFailureReason.ExpiredBeyondGrace, justAfter.Failure);
    }

    [Fact]
    public void RefusesAnExpiredCertificateOutsideTheGrace()
    {
        var (verifier, _) = CreateDefault();
        var notAfter = new DateTimeOffset(2026, 8, 24, 23, 59, 59, TimeSpan.FromHours(9));
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey, notAfter: notAfter);
        var message = Message();

        var result = verifier.Verify(card.RawData, Sign(_pki.CardKey, message), message, new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.FromHours(9)));
        var visual = verifier.VerifyForVisualIdentification(card.RawData, Now);

        Assert.Equal(JpkiFailureReason.ExpiredBeyondGrace, result.Failure);
        Assert.Equal("jpki.expired", result.MachineCode);
        Assert.Equal(JpkiFailureReason.ExpiredBeyondGrace, visual.Failure);
    }

    [Fact]
    public void FlagsACertificateExpiringWithinThreeMonths()
    {
        var (verifier, _) = CreateDefault();
        using var soon = TestPki.IssueCard(_pki.Root, _pki.CardKey, notAfter: Now.AddMonths(2));
        using var later = TestPki.IssueCard(_pki.Root, _pki.CardKey, notAfter: Now.AddMonths(3).AddDays(1));
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        var soonResult = verifier.Verify(soon.RawData, signature, message, Now);

        Assert.True(soonResult.IsSuccess, soonResult.Detail);
        Assert.Equal(JpkiNotices.ExpiresWithinThreeMonths, soonResult.Notices);
        Assert.Equal(JpkiNotices.None, verifier.Verify(later.RawData, signature, message, Now).Notices);
    }

    [Fact]
    public void RefusesACertificateThatIsNotYetValid()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey, notBefore: Now.AddDays(1));
        var message = Message();

        var result = verifier.Verify(card.RawData, Sign(_pki.CardKey, message), message, Now);

        Assert.Equal(JpkiFailureReason.NotYetValid, result.Failure);
        Assert.Equal("jpki.not_yet_valid", result.MachineCode);
    }

    [Fact]
    public void RefusesARevokedCertificateInBothModes()
    {
        var (verifier, store) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        using var otherCard = TestPki.IssueCard(_pki.Root, _pki.OtherCardKey);
        var crl = TestPki.Crl(_pki.Root, _pki.RootKey, [(card.SerialNumberBytes.ToArray(), X509RevocationReason.KeyCompromise)], Now.AddMinutes(-10), Now.AddDays(1), 2);
        Assert.True(store.Load(crl, Now).IsSuccess);
        var message = Message();

        var result = verifier.Verify(card.RawData, Sign(_pki.CardKey, message), message, Now);
        var visual = verifier.VerifyForVisualIdentification(card.RawData, Now);

        Assert.Equal(JpkiFailureReason.Revoked, result.Failure);
        Assert.Equal("jpki.revoked", result.MachineCode);
        Assert.Equal(X509RevocationReason.KeyCompromise, result.Revocation!.Reason);
        Assert.Equal(Convert.ToHexString(card.SerialNumberBytes.Span), result.Revocation.SerialNumber);
        Assert.Equal(JpkiFailureReason.Revoked, visual.Failure);
        Assert.True(verifier.Verify(otherCard.RawData, Sign(_pki.OtherCardKey, message), message, Now).IsSuccess);
    }

    [Fact]
    public void RefusesEveryCardWhileNoRevocationListIsLoaded()
    {
        var (verifier, _) = Create([_pki.Root], loadEmptyCrls: false);
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);

        var result = verifier.VerifyForVisualIdentification(card.RawData, Now);

        Assert.Equal(JpkiFailureReason.RevocationListUnavailable, result.Failure);
        Assert.Equal("jpki.revocation_list_unavailable", result.MachineCode);
    }

    [Fact]
    public void AcceptsAMissingRevocationListOnlyWhenTheOperatorAllowsItAndSaysSo()
    {
        var (verifier, _) = Create([_pki.Root], new CrlFreshnessPolicy { AllowMissingRevocationList = true }, loadEmptyCrls: false);
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);

        var result = verifier.VerifyForVisualIdentification(card.RawData, Now);

        Assert.True(result.IsSuccess, result.Detail);
        Assert.Equal(JpkiNotices.RevocationNotChecked, result.Notices);
    }

    [Fact]
    public void RefusesCardsOnceTheLoadedRevocationListIsStale()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);

        Assert.True(verifier.VerifyForVisualIdentification(card.RawData, Now.AddHours(23)).IsSuccess);
        var stale = verifier.VerifyForVisualIdentification(card.RawData, Now.AddDays(1).AddSeconds(1));

        Assert.Equal(JpkiFailureReason.RevocationListStale, stale.Failure);
        Assert.Equal("jpki.revocation_list_stale", stale.MachineCode);
    }

    [Fact]
    public void ToleratesALateRevocationListWithinTheConfiguredTolerance()
    {
        var (verifier, _) = Create([_pki.Root], new CrlFreshnessPolicy { ToleranceAfterNextUpdate = TimeSpan.FromHours(6) });
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);

        Assert.True(verifier.VerifyForVisualIdentification(card.RawData, Now.AddDays(1).AddHours(5)).IsSuccess);
        Assert.Equal(JpkiFailureReason.RevocationListStale, verifier.VerifyForVisualIdentification(card.RawData, Now.AddDays(1).AddHours(7)).Failure);
    }

    [Fact]
    public void VisualModeAcceptsAValidCertificateWithoutASignature()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);

        var result = verifier.VerifyForVisualIdentification(card.RawData, Now);

        Assert.True(result.IsSuccess, result.Detail);
        Assert.Equal(JpkiIdentificationMode.Visual, result.Mode);
    }

    [Fact]
    public void RefusesCertificatesWithoutTheUserAuthenticationKeyUsage()
    {
        var (verifier, _) = CreateDefault();
        using var noSignature = TestPki.IssueCard(_pki.Root, _pki.CardKey, usage: X509KeyUsageFlags.KeyEncipherment);
        using var caUsage = TestPki.IssueCard(_pki.Root, _pki.CardKey, usage: X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign);
        using var noUsage = TestPki.IssueCard(_pki.Root, _pki.CardKey, includeKeyUsage: false);

        foreach (var card in new[] { noSignature, caUsage, noUsage })
        {
            var result = verifier.VerifyForVisualIdentification(card.RawData, Now);
            Assert.Equal(JpkiFailureReason.WrongKeyUsage, result.Failure);
            Assert.Equal("jpki.wrong_key_usage", result.MachineCode);
        }

        // The anchor itself presented as a card.
        Assert.Equal(JpkiFailureReason.WrongKeyUsage, verifier.VerifyForVisualIdentification(_pki.Root.RawData, Now).Failure);
    }

    [Fact]
    public void RefusesADigitalSignatureCertificate()
    {
        var (verifier, _) = CreateDefault();
        using var signingCertificate = TestPki.IssueCard(
            _pki.Root, _pki.CardKey, usage: X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, policies: [JpkiProfile.DigitalSignaturePolicyOid]);
        using var noPolicy = TestPki.IssueCard(_pki.Root, _pki.CardKey, policies: []);

        Assert.Equal(JpkiFailureReason.WrongCertificatePolicy, verifier.VerifyForVisualIdentification(signingCertificate.RawData, Now).Failure);
        Assert.Equal(JpkiFailureReason.WrongCertificatePolicy, verifier.VerifyForVisualIdentification(noPolicy.RawData, Now).Failure);
    }

    [Fact]
    public void RefusesKeysSmallerThan2048BitsAndNonRsaKeys()
    {
        var (verifier, _) = CreateDefault();
        using var smallKey = RSA.Create(1024);
        using var small = TestPki.IssueCard(_pki.Root, smallKey);
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ec = TestPki.IssueCard(_pki.Root, ecKey);

        var smallResult = verifier.VerifyForVisualIdentification(small.RawData, Now);
        var ecResult = verifier.VerifyForVisualIdentification(ec.RawData, Now);

        Assert.Equal(JpkiFailureReason.KeyTooSmall, smallResult.Failure);
        Assert.Equal("jpki.key_too_small", smallResult.MachineCode);
        Assert.Equal(JpkiFailureReason.UnsupportedKeyAlgorithm, ecResult.Failure);
    }

    [Fact]
    public void TurnsRandomBytesIntoAMalformedCertificateFailureWithoutThrowing()
    {
        var (verifier, _) = CreateDefault();
        var message = Message();
        Gen.Byte.Array[0, 2048].Sample(bytes =>
        {
            var result = verifier.Verify(bytes, new byte[256], message, Now);
            Assert.Equal(JpkiFailureReason.MalformedCertificate, result.Failure);
            Assert.Equal("jpki.malformed_certificate", result.MachineCode);
            Assert.False(string.IsNullOrEmpty(result.Message));
        }, iter: 500);
    }

    [Fact]
    public void NeverAcceptsOrThrowsOnACorruptedGenuineCertificate()
    {
        var (verifier, _) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var der = card.RawData;
        var message = Message();
        var signature = Sign(_pki.CardKey, message);

        Gen.Select(Gen.Int[0, der.Length - 1], Gen.Byte[1, 255]).Sample((position, mask) =>
        {
            var corrupted = (byte[])der.Clone();
            corrupted[position] ^= mask;
            var result = verifier.Verify(corrupted, signature, message, Now);
            Assert.False(result.IsSuccess, $"byte {position} ^ {mask:X2} was accepted");
            Assert.NotNull(result.MachineCode);
        }, iter: 300);
    }

    [Fact]
    public void RefusesARevocationStoreBuiltForOtherAnchors()
    {
        var anchors = JpkiTrustAnchors.FromCertificates([_pki.Root]);
        var otherStore = new JpkiRevocationStore(JpkiTrustAnchors.FromCertificates([_pki.Root]));

        Assert.Throws<ArgumentException>(() => new JpkiVerifier(anchors, otherStore));
    }

    [Fact]
    public void GivesEveryFailureADistinctMachineCodeAndAJapaneseMessage()
    {
        var reasons = Enum.GetValues<JpkiFailureReason>();
        var codes = reasons.Select(JpkiFailures.MachineCode).ToList();

        Assert.Equal(12, reasons.Length);
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.StartsWith("jpki.", c, StringComparison.Ordinal));
        Assert.All(reasons, r => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", JpkiFailures.Message(r)));
    }

    [Fact]
    public async Task VerifiesConsistentlyWhileRevocationListsAreSwapped()
    {
        var (verifier, store) = CreateDefault();
        using var card = TestPki.IssueCard(_pki.Root, _pki.CardKey);
        var message = Message();
        var signature = Sign(_pki.CardKey, message);
        var serial = card.SerialNumberBytes.ToArray();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<JpkiFailureReason?>();

        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 400; i++)
            {
                outcomes.Add(verifier.Verify(card.RawData, signature, message, Now).Failure);
            }
        }, TestContext.Current.CancellationToken)).ToList();

        // Alternate "revoked" and "not revoked" lists with increasing numbers while the readers run.
        for (var number = 2; number < 12; number++)
        {
            IEnumerable<(byte[], X509RevocationReason)> entries = number % 2 == 0 ? [(serial, X509RevocationReason.Superseded)] : [];
            var loaded = store.Load(TestPki.Crl(_pki.Root, _pki.RootKey, entries, Now.AddMinutes(number - 30), Now.AddDays(1), number), Now);
            Assert.True(loaded.IsSuccess, loaded.Detail);
        }

        await Task.WhenAll(readers);
        Assert.Equal(800, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o is null or JpkiFailureReason.Revoked, o?.ToString()));
    }
}
