using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Onshi.Server.Audit;

/// <summary>
/// The canonical encoding of an audit entry and its chained SHA-256. Every field that says what happened is covered,
/// plus the chain key, the position and the previous hash, so changing, moving, removing or inserting a row changes a
/// hash that verification recomputes. The database id is not covered: it is assigned by the database after hashing,
/// and the position (<see cref="AuditEntry.Sequence"/>) is what orders a chain.
/// </summary>
public static class AuditChainHash
{
    /// <summary>The "previous hash" of the first entry of every chain.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("onshi-audit-v1");

    /// <summary>
    /// Times are hashed in whole microseconds: PostgreSQL keeps no finer, so a value must hash the same before it is
    /// written and after it is read back.
    /// </summary>
    public static DateTimeOffset Canonical(DateTimeOffset time)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % 10), TimeSpan.Zero);
    }

    public static string Compute(AuditEntry entry)
    {
        using var buffer = new MemoryStream(256);
        buffer.Write(Domain);
        WriteInt64(buffer, entry.ChainKey);
        WriteInt64(buffer, entry.Sequence);
        WriteInt64(buffer, Canonical(entry.OccurredAt).UtcTicks);
        WriteNullableInt(buffer, entry.InstitutionId);
        WriteNullableInt(buffer, entry.ActorAccountId);
        WriteText(buffer, entry.Actor);
        WriteText(buffer, entry.Action);
        WriteText(buffer, entry.Target);
        WriteText(buffer, entry.Detail);
        buffer.WriteByte(entry.Succeeded ? (byte)1 : (byte)0);
        WriteText(buffer, entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteNullableInt(Stream stream, int? value)
    {
        stream.WriteByte(value is null ? (byte)0 : (byte)1);
        WriteInt64(stream, value ?? 0);
    }

    // Null and empty differ, and a length prefix keeps ("ab","c") apart from ("a","bc").
    private static void WriteText(Stream stream, string? value)
    {
        if (value is null)
        {
            stream.WriteByte(0);
            return;
        }

        stream.WriteByte(1);
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt64(stream, bytes.Length);
        stream.Write(bytes);
    }
}
