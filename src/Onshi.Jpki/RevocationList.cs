using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Onshi.Jpki;

/// <summary>One revoked certificate from a loaded CRL.</summary>
/// <param name="SerialNumber">Upper-case hex of the serial as encoded in the CRL.</param>
/// <param name="RevokedAt">The CRL entry's revocationDate.</param>
/// <param name="Reason">The CRL entry's reasonCode (RFC 5280 §5.3.1), or null when absent.</param>
public sealed record RevokedCertificate(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason);

/// <summary>
/// A parsed, not yet trusted X.509 v2 CRL (RFC 5280 §5.1). Parsing is a strict DER read with
/// <see cref="AsnReader"/>: no part of it throws on hostile input; every problem is a <see cref="CrlLoadError"/>.
/// </summary>
internal sealed class ParsedCrl
{
    public required ReadOnlyMemory<byte> Tbs { get; init; }
    public required string SignatureAlgorithm { get; init; }
    public required ReadOnlyMemory<byte> SignatureParameters { get; init; }
    public required byte[] Signature { get; init; }
    public required byte[] IssuerName { get; init; }
    public required DateTimeOffset ThisUpdate { get; init; }
    public required DateTimeOffset? NextUpdate { get; init; }
    public required BigInteger? CrlNumber { get; init; }
    public required byte[]? AuthorityKeyIdentifier { get; init; }
    public required Dictionary<byte[], RevokedCertificate> Entries { get; init; }

    public static ParsedCrl? TryParse(ReadOnlyMemory<byte> der, out CrlLoadError error, out string detail)
    {
        error = CrlLoadError.Malformed;
        detail = "";
        if (!SignedDer.TrySplit(der, out var tbs, out var outerAlgorithm, out var outerParameters, out var signature))
        {
            detail = "not a DER SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }";
            return null;
        }

        try
        {
            var reader = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();

            // version INTEGER OPTIONAL; v2 (1) is required once extensions are present (§5.1.2.1).
            if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                if (!reader.TryReadInt32(out var version) || version != 1)
                {
                    detail = "unsupported CRL version";
                    return null;
                }
            }

            // §5.1.1.2: the inner signature algorithm must equal the outer one.
            var innerAlgorithm = reader.ReadSequence();
            var innerOid = innerAlgorithm.ReadObjectIdentifier();
            var innerParameters = innerAlgorithm.HasData ? innerAlgorithm.ReadEncodedValue() : default;
            if (innerOid != outerAlgorithm || !innerParameters.Span.SequenceEqual(outerParameters.Span))
            {
                detail = "tbsCertList.signature differs from signatureAlgorithm";
                return null;
            }

            var issuer = reader.ReadEncodedValue().ToArray();
            var thisUpdate = ReadTime(reader);
            DateTimeOffset? nextUpdate = null;
            if (reader.HasData && IsTime(reader.PeekTag()))
            {
                nextUpdate = ReadTime(reader);
            }

            var entries = new Dictionary<byte[], RevokedCertificate>(SerialNumberComparer.Instance);
            if (reader.HasData && reader.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var revoked = reader.ReadSequence();
                while (revoked.HasData)
                {
                    var entry = revoked.ReadSequence();
                    var serial = SerialNumberComparer.Normalize(entry.ReadIntegerBytes().Span);
                    var revokedAt = ReadTime(entry);
                    X509RevocationReason? reason = null;
                    if (entry.HasData)
                    {
                        foreach (var (oid, critical, value) in ReadExtensions(entry.ReadSequence()))
                        {
                            if (oid == Oids.CrlReason)
                            {
                                var valueReader = new AsnReader(value, AsnEncodingRules.DER);
                                reason = valueReader.ReadEnumeratedValue<X509RevocationReason>();
                                valueReader.ThrowIfNotEmpty();
                            }
                            else if (critical && oid != Oids.InvalidityDate)
                            {
                                // §5.3: an unknown critical entry extension (e.g. certificateIssuer of an
                                // indirect CRL) changes what the entry means; we must not guess.
                                error = CrlLoadError.UnsupportedExtension;
                                detail = "critical CRL entry extension " + oid;
                                return null;
                            }
                        }
                    }

                    entry.ThrowIfNotEmpty();
                    // A duplicated serial keeps its first entry; both say "revoked".
                    entries.TryAdd(serial, new RevokedCertificate(Convert.ToHexString(serial), revokedAt, reason));
                }
            }

            BigInteger? crlNumber = null;
            byte[]? authorityKeyIdentifier = null;
            if (reader.HasData)
            {
                var extensions = reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                foreach (var (oid, critical, value) in ReadExtensions(extensions.ReadSequence()))
                {
                    switch (oid)
                    {
                        case Oids.CrlNumber:
                            crlNumber = new AsnReader(value, AsnEncodingRules.DER).ReadInteger();
                            break;
                        case Oids.AuthorityKeyIdentifier:
                            var aki = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                            if (aki.HasData && aki.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                            {
                                authorityKeyIdentifier = aki.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                            }

                            break;
                        case Oids.DeltaCrlIndicator:
                        case Oids.IssuingDistributionPoint:
                            // §5.2.4/§5.2.5: delta and partitioned CRLs cover only part of the certificates;
                            // treating one as complete would let a revoked card through.
                            error = CrlLoadError.UnsupportedExtension;
                            detail = "delta or partitioned CRL (" + oid + ")";
                            return null;
                        default:
                            if (critical)
                            {
                                error = CrlLoadError.UnsupportedExtension;
                                detail = "critical CRL extension " + oid;
                                return null;
                            }

                            break;
                    }
                }

                extensions.ThrowIfNotEmpty();
            }

            reader.ThrowIfNotEmpty();
            return new ParsedCrl
            {
                Tbs = tbs,
                SignatureAlgorithm = outerAlgorithm,
                SignatureParameters = outerParameters,
                Signature = signature,
                IssuerName = issuer,
                ThisUpdate = thisUpdate,
                NextUpdate = nextUpdate,
                CrlNumber = crlNumber,
                AuthorityKeyIdentifier = authorityKeyIdentifier,
                Entries = entries,
            };
        }
        catch (Exception exception) when (exception is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            detail = exception.GetType().Name;
            return null;
        }
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            // RFC 5280 §4.1.2.5.1: UTCTime YY >= 50 is 19YY, < 50 is 20YY.
            ? reader.ReadUtcTime(2049)
            : reader.ReadGeneralizedTime();

    private static List<(string Oid, bool Critical, ReadOnlyMemory<byte> Value)> ReadExtensions(AsnReader sequence)
    {
        var result = new List<(string, bool, ReadOnlyMemory<byte>)>();
        while (sequence.HasData)
        {
            var extension = sequence.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            var value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            result.Add((oid, critical, value));
        }

        return result;
    }
}

/// <summary>
/// Compares serial numbers by their big-endian magnitude bytes, and lets lookups use a span so the hot path
/// allocates nothing (<see cref="IAlternateEqualityComparer{TAlternate, T}"/>).
/// </summary>
internal sealed class SerialNumberComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly SerialNumberComparer Instance = new();

    /// <summary>Strips redundant leading zero octets so "00 8F" (DER sign padding) and "8F" compare equal.</summary>
    public static byte[] Normalize(ReadOnlySpan<byte> serial) => Trim(serial).ToArray();

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> serial)
    {
        var start = 0;
        while (start < serial.Length - 1 && serial[start] == 0)
        {
            start++;
        }

        return serial[start..];
    }

    public bool Equals(byte[]? x, byte[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => Trim(alternate).SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(Trim(alternate));
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => Normalize(alternate);
}
