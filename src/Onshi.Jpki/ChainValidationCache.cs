using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Onshi.Jpki;

/// <summary>
/// What a verifier learnt from one certificate that chained to an anchor: the facts that depend only on the DER bytes
/// (subject, serial, validity dates, the profile checks, the imported RSA key) and the chain verdict (which anchor,
/// judged at what time). Immutable except for the key, which is used under <see cref="KeyLock"/>.
/// </summary>
internal sealed class CachedCertificate(JpkiCertificateInfo info, byte[] serial, RSA key, int anchorIndex, DateTimeOffset validatedAt)
{
    /// <summary>Includes <see cref="JpkiCertificateInfo.TrustAnchorId"/> of the anchor the chain ended at.</summary>
    public JpkiCertificateInfo Info { get; } = info;

    /// <summary>The serial number without leading zero bytes (the revocation index's form).</summary>
    public byte[] Serial { get; } = serial;

    /// <summary>The card's public key, imported once. Never disposed while cached (readers may hold it); the finalizer frees it.</summary>
    public RSA Key { get; } = key;

    /// <summary>
    /// The runtime does not document RSA instances as safe for concurrent use, so verifications with one cached key
    /// take turns (two requests with the same card at the same moment are rare; the lock is uncontended otherwise).
    /// </summary>
    public Lock KeyLock { get; } = new();

    public int AnchorIndex { get; } = anchorIndex;

    /// <summary>The chain time at which the chain to <see cref="AnchorIndex"/> was built.</summary>
    public DateTimeOffset ValidatedAt { get; } = validatedAt;
}

/// <summary>
/// Remembers certificates that chained to an anchor, so the hot path skips parsing, the profile checks, the RSA key
/// import and <see cref="System.Security.Cryptography.X509Certificates.X509Chain"/> (hundreds of microseconds) for a
/// card seen recently.
/// <para>
/// The key is the SHA-256 of the whole certificate DER as received, never issuer + serial: a forged certificate that
/// reuses a genuine issuer and serial but carries another key would otherwise inherit the genuine one's "trusted"
/// verdict. Everything cached is a function of those bytes and of the verifier's immutable anchors and options.
/// Only successful chains are cached; validity, revocation and the signature are evaluated on every call.
/// </para>
/// <para>
/// Bounded in size with two generations: when the current generation holds half the capacity it becomes the
/// previous one and the older generation is dropped. Bounded in time: an entry is used only within
/// <c>lifetime</c> of when it was validated (in either direction of the passed-in time).
/// </para>
/// </summary>
internal sealed class ChainValidationCache
{
    private readonly int _generationCapacity;
    private readonly TimeSpan _lifetime;
    private readonly Lock _rotateLock = new();
    private ConcurrentDictionary<CertificateHash, CachedCertificate> _current = new();
    private ConcurrentDictionary<CertificateHash, CachedCertificate> _previous = new();
    private int _currentCount;

    public ChainValidationCache(int capacity, TimeSpan lifetime)
    {
        _generationCapacity = Math.Max(1, capacity / 2);
        _lifetime = lifetime;
    }

    /// <summary>The entry for <paramref name="key"/> whatever its age; use <see cref="IsFresh"/> before trusting its chain verdict.</summary>
    public CachedCertificate? Find(in CertificateHash key)
    {
        if (Volatile.Read(ref _current).TryGetValue(key, out var entry))
        {
            return entry;
        }

        if (!Volatile.Read(ref _previous).TryGetValue(key, out entry))
        {
            return null;
        }

        Add(key, entry);
        return entry;
    }

    /// <summary>True when the entry's chain verdict may be reused at chain time <paramref name="at"/>.</summary>
    public bool IsFresh(CachedCertificate entry, DateTimeOffset at) => (at - entry.ValidatedAt).Duration() <= _lifetime;

    public void Add(in CertificateHash key, CachedCertificate entry)
    {
        var current = Volatile.Read(ref _current);
        if (current.TryAdd(key, entry))
        {
            if (Interlocked.Increment(ref _currentCount) >= _generationCapacity)
            {
                Rotate(current);
            }
        }
        else
        {
            current[key] = entry;
        }
    }

    public int Count => Volatile.Read(ref _current).Count + Volatile.Read(ref _previous).Count;

    private void Rotate(ConcurrentDictionary<CertificateHash, CachedCertificate> full)
    {
        lock (_rotateLock)
        {
            if (!ReferenceEquals(_current, full))
            {
                return;
            }

            Volatile.Write(ref _previous, full);
            Volatile.Write(ref _current, new ConcurrentDictionary<CertificateHash, CachedCertificate>());
            Volatile.Write(ref _currentCount, 0);
        }
    }
}

/// <summary>A SHA-256 value as two 128-bit halves: a cheap, allocation-free dictionary key.</summary>
internal readonly record struct CertificateHash(UInt128 High, UInt128 Low)
{
    public static CertificateHash From(ReadOnlySpan<byte> sha256)
    {
        return new CertificateHash(MemoryMarshal.Read<UInt128>(sha256), MemoryMarshal.Read<UInt128>(sha256[16..]));
    }
}
