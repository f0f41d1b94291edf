using CsCheck;
using Onshi.Card.Imaging;

namespace Onshi.Card.Tests.Imaging;

public sealed class PngEncoderTests
{
    [Fact]
    public void ComputesTheStandardCrc32()
    {
        // The check value of CRC-32/ISO-HDLC.
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32("123456789"u8));
        // The CRC of an IEND chunk, which every PNG ends with.
        Assert.Equal(0xAE426082u, PngEncoder.Crc32("IEND"u8));
    }

    [Fact]
    public void RoundTripsAnyGrayOrRgbImage()
    {
        var images =
            from width in Gen.Int[1, 40]
            from height in Gen.Int[1, 30]
            from rgb in Gen.Bool
            from pixels in Gen.Byte.Array[width * height * (rgb ? 3 : 1)]
            select new RasterImage(width, height, rgb ? RasterFormat.Rgb8 : RasterFormat.Gray8, pixels);

        images.Sample(image =>
        {
            var decoded = PngReader.Read(PngEncoder.Encode(image));
            Assert.Equal((image.Width, image.Height, image.Format), (decoded.Width, decoded.Height, decoded.Format));
            Assert.Equal(image.Pixels, decoded.Pixels);
        }, iter: 200);
    }

    [Fact]
    public void RefusesPixelBuffersOfTheWrongSize()
    {
        Assert.Throws<ArgumentException>(() => new RasterImage(2, 2, RasterFormat.Rgb8, new byte[4]));
    }
}
