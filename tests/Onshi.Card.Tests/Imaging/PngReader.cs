using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Onshi.Card.Imaging;

namespace Onshi.Card.Tests.Imaging;

/// <summary>
/// Just enough of a PNG reader to check our encoder from the outside: chunk order, CRCs (computed bit by bit, not
/// with the encoder's table), zlib (whose Adler-32 ZLibStream verifies) and the None/Sub/Up filters.
/// </summary>
public static class PngReader
{
    public static RasterImage Read(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        var position = 8;
        while (position < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.Equal(BitwiseCrc(png.AsSpan(position + 4, 4 + length)), crc);
            chunks.Add((type, data));
            position += 12 + length;
        }

        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var header = chunks[0].Data;
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        Assert.Equal(8, header[8]);
        var format = header[9] switch
        {
            0 => RasterFormat.Gray8,
            2 => RasterFormat.Rgb8,
            var other => throw new InvalidDataException($"colour type {other}"),
        };
        Assert.Equal(new byte[] { 0, 0, 0 }, header[10..13]);

        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var bpp = (int)format;
        var stride = width * bpp;
        Assert.Equal(height * (stride + 1), raw.Length);
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                var value = raw[(y * (stride + 1)) + 1 + x];
                var left = x >= bpp ? pixels[(y * stride) + x - bpp] : 0;
                var up = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                pixels[(y * stride) + x] = filter switch
                {
                    0 => value,
                    1 => (byte)(value + left),
                    2 => (byte)(value + up),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
            }
        }

        return new RasterImage(width, height, format, pixels);
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
