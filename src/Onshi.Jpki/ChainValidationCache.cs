using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Onshi.Jpki;

/// <summary>
/// Remembers which anchor a certificate chained to, so the hot path skips <see cref="System.Security.Cryptography.X509Certificates.X509Chain"/>
/// (hundreds of microseconds) for a card seen recently.
/// <para>
/// The key is the SHA-256 of the whole certificate DER, never issuer + serial: a forged certificate that reuses a
/// genuine issuer and serial but carries another key would otherwise inherit the genuine one's "trusted" verdict.
/// The cache belongs to one verifier, whose anchor set is immutable, so the anchor set version is implicit.
/// Only successes are cached; every other rule (validity, revocation, signature) is evaluated on every call.
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
    private ConcurrentDictionary<CertificateHash, Entry> _current = new();
    private ConcurrentDictionary<CertificateHash, Entry> _previous = new();
    private int _currentCount;

    public ChainValidationCache(int capacity, TimeSpan lifetime)
    {
        _generationCapacity = Math.Max(1, capacity / 2);
        _lifetime = lifetime;
    }

    public bool TryGet(in CertificateHash key, DateTimeOffset at, out int anchorIndex)
    {
        anchorIndex = -1;
        var current = Volatile.Read(ref _current);
        if (!current.TryGetValue(key, out var entry))
        {
            if (!Volatile.Read(ref _previous).TryGetValue(key, out entry))
            {
                return false;
            }

            Add(key, entry.AnchorIndex, entry.ValidatedAt);
        }

        if ((at - entry.ValidatedAt).Duration() > _lifetime)
        {
            return false;
        }

        anchorIndex = entry.AnchorIndex;
        return true;
    }

    public void Add(in CertificateHash key, int anchorIndex, DateTimeOffset validatedAt)
    {
        var current = Volatile.Read(ref _current);
        if (current.TryAdd(key, new Entry(anchorIndex, validatedAt)))
        {
            if (Interlocked.Increment(ref _currentCount) >= _generationCapacity)
            {
                Rotate(current);
            }
        }
        else
        {
            current[key] = new Entry(anchorIndex, validatedAt);
        }
    }

    public int Count => Volatile.Read(ref _current).Count + Volatile.Read(ref _previous).Count;

    private void Rotate(ConcurrentDictionary<CertificateHash, Entry> full)
    {
        lock (_rotateLock)
        {
            if (!ReferenceEquals(_current, full))
            {
                return;
            }

            Volatile.Write(ref _previous, full);
            Volatile.Write(ref _current, new ConcurrentDictionary<CertificateHash, Entry>());
            Volatile.Write(ref _currentCount, 0);
        }
    }

    private readonly record struct Entry(int AnchorIndex, DateTimeOffset ValidatedAt);
}

/// <summary>A SHA-256 value as two 128-bit halves: a cheap, allocation-free dictionary key.</summary>
internal readonly record struct CertificateHash(UInt128 High, UInt128 Low)
{
    public static CertificateHash From(ReadOnlySpan<byte> sha256)
    {
        return new CertificateHash(MemoryMarshal.Read<UInt128>(sha256), MemoryMarshal.Read<UInt128>(sha256[16..]));
    }
}
