using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Onshi.Card.Issuing;

/// <summary>Writes 1-bit greyscale PNGs, the format the card stores its name, address and number images in.</summary>
public static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="black"/>[y, x] (true = ink) as a 1-bit greyscale PNG, with optional tEXt entries.</summary>
    public static byte[] WriteBlackAndWhite(bool[,] black, IReadOnlyDictionary<string, string>? text = null)
    {
        ArgumentNullException.ThrowIfNull(black);
        var height = black.GetLength(0);
        var width = black.GetLength(1);
        var stride = (width + 7) / 8;
        var raw = new byte[height * (stride + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (stride + 1);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                if (!black[y, x])
                {
                    raw[row + 1 + (x / 8)] |= (byte)(0x80 >> (x % 8));
                }
            }
        }

        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth
        header[9] = 0; // greyscale
        WriteChunk(output, "IHDR", header);
        if (text is not null)
        {
            foreach (var (key, value) in text)
            {
                WriteChunk(output, "tEXt", [.. Encoding.Latin1.GetBytes(key), 0, .. Encoding.Latin1.GetBytes(value)]);
            }
        }

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(raw);
            }

            WriteChunk(output, "IDAT", compressed.ToArray());
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc(Crc(0xFFFFFFFF, typeBytes), data) ^ 0xFFFFFFFF;
        BinaryPrimitives.WriteUInt32BigEndian(length, crc);
        output.Write(length);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

/// <summary>
/// Renders digit strings (セキュリティコード, 個人番号) with a committed 5×7 digit font: digits only, so a tiny
/// bitmap font is honest here, unlike for kanji.
/// </summary>
public static class DigitImage
{
    // Each digit: 7 rows of 5 bits, most significant bit = leftmost pixel.
    private static readonly byte[][] Glyphs =
    [
        [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
    ];

    /// <summary>Draws the digits 6 pixels apart on a 12-pixel-high 1-bit PNG (4 digits → 24×12, 12 digits → 72×12).</summary>
    public static byte[] Render(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (!digits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("Only ASCII digits can be drawn.", nameof(digits));
        }

        var pixels = new bool[12, Math.Max(1, digits.Length * 6)];
        for (var i = 0; i < digits.Length; i++)
        {
            var glyph = Glyphs[digits[i] - '0'];
            for (var row = 0; row < 7; row++)
            {
                for (var col = 0; col < 5; col++)
                {
                    if ((glyph[row] & (0x10 >> col)) != 0)
                    {
                        pixels[row + 2, (i * 6) + col] = true;
                    }
                }
            }
        }

        return PngWriter.WriteBlackAndWhite(pixels);
    }
}
