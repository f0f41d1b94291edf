using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Onshi.Jpki;

/// <summary>Why a CRL was refused. The names are stable machine codes; do not renumber.</summary>
public enum CrlLoadError
{
    /// <summary>Not a DER (or PEM "X509 CRL") X.509 v2 CRL.</summary>
    Malformed = 1,

    /// <summary>No trust anchor has the CRL's issuer name.</summary>
    UnknownIssuer = 2,

    /// <summary>An anchor has the issuer name but none verifies the signature (wrong key, tampered list, or SHA-1).</summary>
    SignatureInvalid = 3,

    /// <summary>thisUpdate lies in the future (beyond the allowed clock skew).</summary>
    NotYetValid = 4,

    /// <summary>nextUpdate (plus the policy's tolerance) has already passed.</summary>
    Stale = 5,

    /// <summary>Older than the list already loaded for that anchor (lower CRL number or earlier thisUpdate): a rollback.</summary>
    OlderThanCurrent = 6,

    /// <summary>Delta, partitioned or indirect CRL, or an unknown critical extension.</summary>
    UnsupportedExtension = 7,

    /// <summary>The file exceeds the configured size limit.</summary>
    TooLarge = 8,
}

/// <summary>Outcome of <see cref="JpkiRevocationStore.Load"/>.</summary>
public sealed record CrlLoadResult
{
    /// <summary>The refusal, or null when the list was loaded.</summary>
    public CrlLoadError? Error { get; init; }

    /// <summary>True when the list replaced the previous one for its anchor.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>Stable machine code, e.g. <c>crl.signature_invalid</c>.</summary>
    public string? MachineCode => Error switch
    {
        null => null,
        CrlLoadError.Malformed => "crl.malformed",
        CrlLoadError.UnknownIssuer => "crl.unknown_issuer",
        CrlLoadError.SignatureInvalid => "crl.signature_invalid",
        CrlLoadError.NotYetValid => "crl.not_yet_valid",
        CrlLoadError.Stale => "crl.stale",
        CrlLoadError.OlderThanCurrent => "crl.older_than_current",
        CrlLoadError.UnsupportedExtension => "crl.unsupported_extension",
        CrlLoadError.TooLarge => "crl.too_large",
        _ => "crl.invalid",
    };

    /// <summary>A Japanese sentence for the operator.</summary>
    public string? Message => Error switch
    {
        null => null,
        CrlLoadError.Malformed => "失効リスト（CRL）の形式が正しくありません。",
        CrlLoadError.UnknownIssuer => "失効リストの発行者が、設定された信頼アンカーのいずれとも一致しません。",
        CrlLoadError.SignatureInvalid => "失効リストの署名を検証できません（発行者の鍵で署名されていないか、改ざんされています）。",
        CrlLoadError.NotYetValid => "失効リストの発行日時（thisUpdate）が未来です。時刻設定を確認してください。",
        CrlLoadError.Stale => "失効リストの次回更新日時（nextUpdate）を過ぎています。最新の失効リストを取得してください。",
        CrlLoadError.OlderThanCurrent => "読み込み済みの失効リストより古いため、取り込みません。",
        CrlLoadError.UnsupportedExtension => "差分CRL・分割CRL・間接CRL、または未対応の重要拡張を含む失効リストには対応していません。",
        CrlLoadError.TooLarge => "失効リストのファイルが大きすぎます。",
        _ => "失効リストを取り込めません。",
    };

    /// <summary>Diagnostic detail in English for logs (never shown to patients).</summary>
    public string? Detail { get; init; }

    /// <summary>The loaded list's summary when <see cref="IsSuccess"/>.</summary>
    public LoadedCrlInfo? Loaded { get; init; }
}

/// <summary>What is loaded for one anchor: enough for an operator screen and for the freshness rules.</summary>
/// <param name="AnchorId">The <see cref="TrustAnchor.Id"/> that signed the list.</param>
/// <param name="ThisUpdate">CRL thisUpdate.</param>
/// <param name="NextUpdate">CRL nextUpdate, if present.</param>
/// <param name="CrlNumber">CRL number extension (decimal), if present.</param>
/// <param name="RevokedCount">Number of distinct revoked serials.</param>
/// <param name="LoadedAt">The time passed to <see cref="JpkiRevocationStore.Load"/>.</param>
public sealed record LoadedCrlInfo(string AnchorId, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, string? CrlNumber, int RevokedCount, DateTimeOffset LoadedAt);

/// <summary>
/// When a CRL is too old to trust. J-LIS revocation data is not public (card-protocol.md §7): operators load it,
/// so an operator who forgets must see refusals, not silently accept revoked cards. Defaults are fail-closed.
/// </summary>
public sealed record CrlFreshnessPolicy
{
    /// <summary>How long after nextUpdate a list may still be used (default zero: stale at nextUpdate).</summary>
    public TimeSpan ToleranceAfterNextUpdate { get; init; } = TimeSpan.Zero;

    /// <summary>For a list without nextUpdate: how long after thisUpdate it may be used (default 24 hours).</summary>
    public TimeSpan MaximumAgeWithoutNextUpdate { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How far in the future thisUpdate may be when loading (clock skew between CA and server).</summary>
    public TimeSpan AllowedClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When true, a certificate whose anchor has no CRL loaded passes with <see cref="JpkiNotices.RevocationNotChecked"/>
    /// instead of failing with <see cref="JpkiFailureReason.RevocationListUnavailable"/>. Off by default: it is a
    /// deliberate operator choice (e.g. a demo with the real J-LIS roots, whose CRL an open system cannot obtain).
    /// </summary>
    public bool AllowMissingRevocationList { get; init; }

    /// <summary>Largest CRL file accepted, in bytes (default 512 MiB; a national CRL holds millions of entries).</summary>
    public long MaximumCrlBytes { get; init; } = 512L * 1024 * 1024;

    internal DateTimeOffset StaleAt(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate) =>
        nextUpdate is { } next ? next + ToleranceAfterNextUpdate : thisUpdate + MaximumAgeWithoutNextUpdate;
}

/// <summary>Result of a revocation lookup.</summary>
public enum RevocationState
{
    /// <summary>A fresh CRL from the issuing anchor does not list the serial.</summary>
    Good = 1,

    /// <summary>The issuing anchor's CRL lists the serial.</summary>
    Revoked = 2,

    /// <summary>No CRL is loaded for the issuing anchor.</summary>
    Unavailable = 3,

    /// <summary>The loaded CRL is past its nextUpdate (plus tolerance) at the verification time.</summary>
    Stale = 4,
}

/// <summary>A revocation lookup result: the state, and the CRL entry when revoked.</summary>
public readonly record struct RevocationStatus(RevocationState State, RevokedCertificate? Entry, LoadedCrlInfo? List);

/// <summary>
/// The revocation source the operator loads (standing in for J-LIS): one complete CRL per trust anchor, each
/// verified against that anchor before use, indexed by serial number. Lookups are lock-free and allocation-free;
/// loading builds a new index and swaps it in atomically, so readers always see a whole old or a whole new list.
/// </summary>
public sealed class JpkiRevocationStore
{
    private readonly Lock _loadLock = new();
    private CrlSnapshot?[] _byAnchor;

    /// <summary>Creates an empty store for <paramref name="anchors"/>; nothing is trusted until a CRL is loaded.</summary>
    public JpkiRevocationStore(JpkiTrustAnchors anchors, CrlFreshnessPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        Anchors = anchors;
        Policy = policy ?? new CrlFreshnessPolicy();
        _byAnchor = new CrlSnapshot?[anchors.Anchors.Count];
    }

    /// <summary>The anchors whose CRLs this store accepts.</summary>
    public JpkiTrustAnchors Anchors { get; }

    /// <summary>The freshness policy applied at load and at lookup.</summary>
    public CrlFreshnessPolicy Policy { get; }

    /// <summary>The currently loaded lists, one per anchor at most.</summary>
    public IReadOnlyList<LoadedCrlInfo> Loaded =>
        [.. Volatile.Read(ref _byAnchor).Where(s => s is not null).Select(s => s!.Info)];

    /// <summary>
    /// Verifies and loads a CRL (DER, or PEM with label "X509 CRL"). On success it replaces the list for the anchor
    /// that signed it. Never throws for bad input: every refusal is a <see cref="CrlLoadError"/>.
    /// </summary>
    /// <param name="crl">The file contents.</param>
    /// <param name="at">The current time (passed in: this library reads no clock).</param>
    public CrlLoadResult Load(ReadOnlySpan<byte> crl, DateTimeOffset at)
    {
        if (crl.Length > Policy.MaximumCrlBytes)
        {
            return Fail(CrlLoadError.TooLarge, $"{crl.Length} bytes");
        }

        var der = DecodePem(crl);
        var parsed = ParsedCrl.TryParse(der, out var parseError, out var parseDetail);
        if (parsed is null)
        {
            return Fail(parseError, parseDetail);
        }

        // RFC 5280 §6.3.3 (f)/(g): the CRL issuer must be the certificate's issuer (no indirect CRLs) and its
        // signature must verify with that issuer's key. Generations share one DN, so several anchors may match the
        // name; the one whose key verifies the signature is the issuer (card-protocol.md §7).
        var candidates = Anchors.Anchors.Where(a => a.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(parsed.IssuerName)).ToList();
        if (candidates.Count == 0)
        {
            return Fail(CrlLoadError.UnknownIssuer, "issuer " + new X500DistinguishedName(parsed.IssuerName).Name);
        }

        TrustAnchor? issuer = null;
        foreach (var candidate in candidates)
        {
            using var key = candidate.Certificate.GetRSAPublicKey();
            if (key is not null && SignedDer.VerifyRsa(parsed.Tbs, parsed.SignatureAlgorithm, parsed.SignatureParameters, parsed.Signature, key))
            {
                issuer = candidate;
                break;
            }
        }

        if (issuer is null)
        {
            return Fail(CrlLoadError.SignatureInvalid, "algorithm " + parsed.SignatureAlgorithm);
        }

        // RFC 5280 §4.2.1.3: a CRL issuer needs cRLSign when it carries a KeyUsage extension.
        if (issuer.Certificate.Extensions[Oids.KeyUsage] is X509KeyUsageExtension usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            return Fail(CrlLoadError.SignatureInvalid, "issuing anchor lacks cRLSign");
        }

        if (parsed.ThisUpdate > at + Policy.AllowedClockSkew)
        {
            return Fail(CrlLoadError.NotYetValid, "thisUpdate " + parsed.ThisUpdate.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (at > Policy.StaleAt(parsed.ThisUpdate, parsed.NextUpdate))
        {
            return Fail(CrlLoadError.Stale, "nextUpdate " + parsed.NextUpdate?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        var info = new LoadedCrlInfo(
            issuer.Id,
            parsed.ThisUpdate,
            parsed.NextUpdate,
            parsed.CrlNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            parsed.Entries.Count,
            at);
        var snapshot = new CrlSnapshot(info, parsed.CrlNumber, parsed.Entries, Policy.StaleAt(parsed.ThisUpdate, parsed.NextUpdate));

        lock (_loadLock)
        {
            var current = _byAnchor[issuer.Index];
            // Refuse rollback (an attacker or a careless operator re-loading last week's list would un-revoke cards).
            if (current is not null
                && (parsed.ThisUpdate < current.Info.ThisUpdate
                    || (parsed.CrlNumber is { } number && current.CrlNumber is { } currentNumber && number < currentNumber)))
            {
                return Fail(CrlLoadError.OlderThanCurrent, "current thisUpdate " + current.Info.ThisUpdate.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            }

            var next = (CrlSnapshot?[])_byAnchor.Clone();
            next[issuer.Index] = snapshot;
            Volatile.Write(ref _byAnchor, next);
        }

        return new CrlLoadResult { Loaded = info };
    }

    /// <summary>
    /// Looks up a certificate serial in the CRL of the anchor that issued it. Hot path: no locks, no allocation.
    /// </summary>
    public RevocationStatus Check(TrustAnchor issuer, ReadOnlySpan<byte> serialNumber, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var snapshots = Volatile.Read(ref _byAnchor);
        if (issuer.Index >= snapshots.Length || !ReferenceEquals(Anchors.Anchors[issuer.Index], issuer))
        {
            throw new ArgumentException("The anchor does not belong to this store's anchor set.", nameof(issuer));
        }

        var snapshot = snapshots[issuer.Index];
        if (snapshot is null)
        {
            return new RevocationStatus(RevocationState.Unavailable, null, null);
        }

        // A listed serial is revoked whatever the freshness: staleness can only hide revocations, never invent them.
        if (snapshot.Lookup.TryGetValue(serialNumber, out var entry))
        {
            return new RevocationStatus(RevocationState.Revoked, entry, snapshot.Info);
        }

        return at > snapshot.StaleAt
            ? new RevocationStatus(RevocationState.Stale, null, snapshot.Info)
            : new RevocationStatus(RevocationState.Good, null, snapshot.Info);
    }

    private static ReadOnlyMemory<byte> DecodePem(ReadOnlySpan<byte> bytes)
    {
        // PEM is ASCII text starting (after optional whitespace) with "-----BEGIN"; DER starts with 0x30.
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        if (!trimmed.StartsWith("-----BEGIN"u8))
        {
            return bytes.ToArray();
        }

        var text = Encoding.ASCII.GetString(trimmed);
        if (PemEncoding.TryFind(text, out var fields) && text.AsSpan()[fields.Label].SequenceEqual("X509 CRL"))
        {
            var der = new byte[fields.DecodedDataLength];
            if (Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out var written))
            {
                return der.AsMemory(0, written);
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private static CrlLoadResult Fail(CrlLoadError error, string detail) => new() { Error = error, Detail = detail };

    private sealed class CrlSnapshot
    {
        public CrlSnapshot(LoadedCrlInfo info, BigInteger? crlNumber, Dictionary<byte[], RevokedCertificate> entries, DateTimeOffset staleAt)
        {
            Info = info;
            CrlNumber = crlNumber;
            StaleAt = staleAt;
            Lookup = entries.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public LoadedCrlInfo Info { get; }

        public BigInteger? CrlNumber { get; }

        public DateTimeOffset StaleAt { get; }

        // The dictionary is never written after construction, so concurrent readers are safe.
        public Dictionary<byte[], RevokedCertificate>.AlternateLookup<ReadOnlySpan<byte>> Lookup { get; }
    }
}
