using Onshi.Card.Apdu;

namespace Onshi.Card.Tlv;

/// <summary>
/// One BER-TLV data object. <see cref="Tag"/> holds the tag bytes as a big-endian number (<c>0xDF21</c>,
/// <c>0xFF10</c>, <c>0x5F4E</c>, <c>0x90</c>), so the card's non-minimal long-form tags (FF 10 is tag number 16
/// written in the two-byte form) keep the identity the documentation uses.
/// </summary>
public sealed class BerTlv
{
    private BerTlv(uint tag, ReadOnlyMemory<byte> value, int offset, int headerLength)
    {
        Tag = tag;
        Value = value;
        Offset = offset;
        HeaderLength = headerLength;
    }

    public uint Tag { get; }

    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Where the tag starts in the buffer it was read from.</summary>
    public int Offset { get; }

    /// <summary>Tag and length bytes.</summary>
    public int HeaderLength { get; }

    public int TotalLength => HeaderLength + Value.Length;

    /// <summary>Bit 6 of the first tag byte.</summary>
    public bool IsConstructed => (FirstTagByte & 0x20) != 0;

    private byte FirstTagByte => (byte)(Tag >> (8 * (TagByteCount(Tag) - 1)));

    /// <summary>The children of a constructed object (stops at filler).</summary>
    public IReadOnlyList<BerTlv> Children() => BerTlvReader.ReadAll(Value);

    /// <summary>
    /// Reads one TLV at <paramref name="offset"/>. Tags up to 4 bytes; definite lengths in short form or 81–84 long
    /// form. Anything else, or a length past the end, is a MalformedTlv <see cref="CardProtocolException"/>.
    /// </summary>
    public static BerTlv Read(ReadOnlyMemory<byte> buffer, int offset)
    {
        var span = buffer.Span;
        if (offset < 0 || offset >= span.Length)
        {
            throw Malformed(offset, "no tag byte");
        }

        var position = offset;
        uint tag = span[position++];
        if ((tag & 0x1F) == 0x1F)
        {
            var count = 0;
            while (true)
            {
                if (position >= span.Length)
                {
                    throw Malformed(offset, "tag runs past the end");
                }

                var next = span[position++];
                tag = (tag << 8) | next;
                if (++count > 3)
                {
                    throw Malformed(offset, "tag longer than 4 bytes");
                }

                if ((next & 0x80) == 0)
                {
                    break;
                }
            }
        }

        if (position >= span.Length)
        {
            throw Malformed(offset, "missing length");
        }

        int length = span[position++];
        if (length == 0x80)
        {
            throw Malformed(offset, "indefinite length is not allowed");
        }

        if (length > 0x80)
        {
            var lengthBytes = length & 0x7F;
            if (lengthBytes > 3)
            {
                throw Malformed(offset, $"{lengthBytes}-byte length is too large");
            }

            if (position + lengthBytes > span.Length)
            {
                throw Malformed(offset, "length runs past the end");
            }

            length = 0;
            for (var i = 0; i < lengthBytes; i++)
            {
                length = (length << 8) | span[position++];
            }
        }

        if (length > span.Length - position)
        {
            throw Malformed(offset, $"value of {length} bytes runs past the end ({span.Length - position} left)");
        }

        return new BerTlv(tag, buffer.Slice(position, length), offset, position - offset);
    }

    /// <summary>Encodes a TLV with the shortest length form (81/82 forms for 128+ bytes).</summary>
    public static byte[] Encode(uint tag, ReadOnlySpan<byte> value)
    {
        var tagBytes = TagByteCount(tag);
        var lengthBytes = value.Length switch
        {
            < 0x80 => 1,
            <= 0xFF => 2,
            <= 0xFFFF => 3,
            _ => 4,
        };
        var result = new byte[tagBytes + lengthBytes + value.Length];
        for (var i = 0; i < tagBytes; i++)
        {
            result[i] = (byte)(tag >> (8 * (tagBytes - 1 - i)));
        }

        var p = tagBytes;
        switch (lengthBytes)
        {
            case 1:
                result[p++] = (byte)value.Length;
                break;
            case 2:
                result[p++] = 0x81;
                result[p++] = (byte)value.Length;
                break;
            case 3:
                result[p++] = 0x82;
                result[p++] = (byte)(value.Length >> 8);
                result[p++] = (byte)value.Length;
                break;
            default:
                result[p++] = 0x83;
                result[p++] = (byte)(value.Length >> 16);
                result[p++] = (byte)(value.Length >> 8);
                result[p++] = (byte)value.Length;
                break;
        }

        value.CopyTo(result.AsSpan(p));
        return result;
    }

    /// <summary>Concatenates already-encoded TLVs into the value of a constructed one.</summary>
    public static byte[] EncodeConstructed(uint tag, params byte[][] children) =>
        Encode(tag, children.SelectMany(c => c).ToArray());

    private static int TagByteCount(uint tag) => tag switch
    {
        <= 0xFF => 1,
        <= 0xFFFF => 2,
        <= 0xFFFFFF => 3,
        _ => 4,
    };

    private static CardProtocolException Malformed(int offset, string why) =>
        new(CardProtocolErrorKind.MalformedTlv, $"Malformed BER-TLV at offset {offset}: {why}.");
}

/// <summary>Reads sequences of TLVs as the card stores them: objects followed by optional 00/FF filler.</summary>
public static class BerTlvReader
{
    /// <summary>Reads objects until the end of the buffer or a filler byte (00 or FF) where a tag would start.</summary>
    public static IReadOnlyList<BerTlv> ReadAll(ReadOnlyMemory<byte> buffer)
    {
        var result = new List<BerTlv>();
        var offset = 0;
        while (offset < buffer.Length)
        {
            var first = buffer.Span[offset];
            if (first == 0x00 || (first == 0xFF && IsFillerFrom(buffer.Span, offset)))
            {
                break;
            }

            var tlv = BerTlv.Read(buffer, offset);
            result.Add(tlv);
            offset += tlv.TotalLength;
        }

        return result;
    }

    /// <summary>Reads the first object of a file (skipping nothing) and checks its tag.</summary>
    public static BerTlv ReadExpected(ReadOnlyMemory<byte> buffer, uint tag, string what)
    {
        var tlv = BerTlv.Read(buffer, 0);
        if (tlv.Tag != tag)
        {
            throw new CardProtocolException(CardProtocolErrorKind.MalformedData,
                $"{what}: expected tag {tag:X}, found {tlv.Tag:X}.");
        }

        return tlv;
    }

    /// <summary>Finds a child by tag; MalformedData when it is missing.</summary>
    public static BerTlv Require(IReadOnlyList<BerTlv> items, uint tag, string what)
    {
        foreach (var item in items)
        {
            if (item.Tag == tag)
            {
                return item;
            }
        }

        throw new CardProtocolException(CardProtocolErrorKind.MalformedData, $"{what}: tag {tag:X} is missing.");
    }

    // FF is both filler and the first byte of the card's FFxx constructed tags; it is filler when the rest is FF too.
    private static bool IsFillerFrom(ReadOnlySpan<byte> span, int offset) => span[offset..].IndexOfAnyExcept((byte)0x00, (byte)0xFF) < 0;
}
