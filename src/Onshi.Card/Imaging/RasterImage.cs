namespace Onshi.Card.Imaging;

/// <summary>Layout of one pixel in <see cref="RasterImage.Pixels"/>.</summary>
public enum RasterFormat
{
    /// <summary>One byte per pixel, 0 = black.</summary>
    Gray8 = 1,

    /// <summary>Three bytes per pixel: red, green, blue.</summary>
    Rgb8 = 3,
}

/// <summary>8-bit pixels, rows top to bottom without padding.</summary>
public sealed class RasterImage
{
    public RasterImage(int width, int height, RasterFormat format, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (format is not (RasterFormat.Gray8 or RasterFormat.Rgb8))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Gray8 or Rgb8.");
        }

        if ((long)width * height * (int)format != pixels.Length)
        {
            throw new ArgumentException($"{width}×{height} {format} needs {(long)width * height * (int)format} bytes, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Format = format;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public RasterFormat Format { get; }

    public int BytesPerPixel => (int)Format;

    public byte[] Pixels { get; }
}
