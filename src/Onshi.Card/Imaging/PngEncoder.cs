using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Onshi.Card.Imaging;

/// <summary>
/// Writes 8-bit grayscale or RGB PNG (IHDR, one IDAT, IEND) so a browser can show a decoded face photo.
/// Each row gets the filter (None, Sub or Up) with the smallest sum of absolute values, the usual heuristic.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(RasterImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bits per sample
        header[9] = image.Format == RasterFormat.Gray8 ? (byte)0 : (byte)2; // colour type: gray / truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        WriteChunk(output, "IDAT", Compress(image));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) as PNG chunks use it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static byte[] Compress(RasterImage image)
    {
        var stride = image.Width * image.BytesPerPixel;
        var bpp = image.BytesPerPixel;
        var previous = new byte[stride];
        var candidates = new byte[3][];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new byte[stride];
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < image.Height; y++)
            {
                var row = image.Pixels.AsSpan(y * stride, stride);
                for (var x = 0; x < stride; x++)
                {
                    var left = x >= bpp ? row[x - bpp] : (byte)0;
                    candidates[0][x] = row[x];
                    candidates[1][x] = (byte)(row[x] - left);
                    candidates[2][x] = (byte)(row[x] - previous[x]);
                }

                var best = 0;
                var bestScore = long.MaxValue;
                for (var filter = 0; filter < candidates.Length; filter++)
                {
                    long score = 0;
                    foreach (var value in candidates[filter])
                    {
                        score += value < 128 ? value : 256 - value;
                    }

                    if (score < bestScore)
                    {
                        best = filter;
                        bestScore = score;
                    }
                }

                zlib.WriteByte((byte)best);
                zlib.Write(candidates[best]);
                row.CopyTo(previous);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(data, Crc32(typeBytes)));
        output.Write(word);
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
