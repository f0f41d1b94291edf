using Onshi.Card.Imaging;

namespace Onshi.Card.Tests.Imaging;

public sealed class Jpeg2000DecoderTests
{
    [Fact]
    public void RecognisesCodestreamsAndJp2FilesByTheirMagicBytes()
    {
        Assert.Equal(Jpeg2000Container.Codestream, Jpeg2000Decoder.Detect(Fixture.Bytes("gradient-gray-lossless.j2k")));
        Assert.Equal(Jpeg2000Container.Jp2, Jpeg2000Decoder.Detect(Fixture.Bytes("shapes-rgb-lossless.jp2")));
        Assert.Null(Jpeg2000Decoder.Detect([0xFF, 0xD8, 0xFF, 0xE0])); // baseline JPEG
        Assert.Null(Jpeg2000Decoder.Detect([]));
    }

    [Fact]
    public void DecodesALosslessGrayCodestreamExactly()
    {
        var image = Jpeg2000Decoder.Decode(Fixture.Bytes("gradient-gray-lossless.j2k"));

        Assert.Equal((64, 48, RasterFormat.Gray8), (image.Width, image.Height, image.Format));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                Assert.Equal(Fixture.Gradient(x, y), image.Pixels[(y * image.Width) + x]);
            }
        }
    }

    [Fact]
    public void DecodesALosslessRgbJp2Exactly()
    {
        var image = Jpeg2000Decoder.Decode(Fixture.Bytes("shapes-rgb-lossless.jp2"));

        Assert.Equal((40, 30, RasterFormat.Rgb8), (image.Width, image.Height, image.Format));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = 3 * ((y * image.Width) + x);
                Assert.Equal(Fixture.Shapes(x, y), (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]));
            }
        }
    }

    [Fact]
    public void DecodesALossyJp2CloseToTheOriginal()
    {
        var image = Jpeg2000Decoder.Decode(Fixture.Bytes("shapes-rgb-lossy.jp2"));

        Assert.Equal((40, 30, RasterFormat.Rgb8), (image.Width, image.Height, image.Format));
        long error = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = 3 * ((y * image.Width) + x);
                var (r, g, b) = Fixture.Shapes(x, y);
                error += Math.Abs(image.Pixels[i] - r) + Math.Abs(image.Pixels[i + 1] - g) + Math.Abs(image.Pixels[i + 2] - b);
            }
        }

        // Encoded for 36 dB PSNR: edges blur a little, the mean error per sample stays small, shapes stay put.
        var meanError = error / (3.0 * image.Width * image.Height);
        Assert.InRange(meanError, 0.0, 6.0);
        Assert.NotEqual(0.0, meanError);
        var centreOfRectangle = 3 * ((10 * image.Width) + 12);
        Assert.True(image.Pixels[centreOfRectangle] > 150 && image.Pixels[centreOfRectangle + 2] < 100, "rectangle centre is red");
        var centreOfDisc = 3 * ((20 * image.Width) + 28);
        Assert.True(image.Pixels[centreOfDisc + 2] > 150 && image.Pixels[centreOfDisc] < 100, "disc centre is blue");
    }

    [Fact]
    public void RepeatsSubsampledComponentsOverTheFullGrid()
    {
        var image = Jpeg2000Decoder.Decode(Fixture.Bytes("subsampled-420-lossless.j2k"));

        Assert.Equal((40, 30, RasterFormat.Rgb8), (image.Width, image.Height, image.Format));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = 3 * ((y * image.Width) + x);
                Assert.Equal(Fixture.Subsampled(x, y), (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]));
            }
        }
    }

    [Fact]
    public void ConvertsSyccToRgbWithTheJpeg2000Matrix()
    {
        Assert.Equal(((byte)128, (byte)128, (byte)128), Jpeg2000Decoder.YccToRgb(128, 128, 128));
        Assert.Equal(((byte)255, (byte)255, (byte)255), Jpeg2000Decoder.YccToRgb(255, 128, 128));
        // Pure red in BT.601 full range: Y 76, Cb 85, Cr 255.
        var (r, g, b) = Jpeg2000Decoder.YccToRgb(76, 85, 255);
        Assert.InRange(r, 250, 255);
        Assert.InRange(g, 0, 3);
        Assert.InRange(b, 0, 3);
    }

    [Fact]
    public void TurnsTheFaceImageIntoAPngABrowserCanShow()
    {
        var png = Jpeg2000Decoder.ToPng(Fixture.Bytes("shapes-rgb-lossless.jp2"));
        var decoded = PngReader.Read(png);

        var direct = Jpeg2000Decoder.Decode(Fixture.Bytes("shapes-rgb-lossless.jp2"));
        Assert.Equal((direct.Width, direct.Height, direct.Format), (decoded.Width, decoded.Height, decoded.Format));
        Assert.Equal(direct.Pixels, decoded.Pixels);
    }

    [Theory]
    [InlineData("gradient-gray-lossless.j2k")]
    [InlineData("shapes-rgb-lossless.jp2")]
    public void RefusesTruncatedDataWithATypedError(string name)
    {
        var whole = Fixture.Bytes(name);
        // Cut in the header, just after it, and in the middle of the tile data.
        foreach (var length in new[] { 12, 30, 60, whole.Length / 2, whole.Length - 10 })
        {
            var error = Assert.Throws<ImageDecodeException>(() => Jpeg2000Decoder.Decode(whole.AsSpan(0, length)));
            Assert.Equal(ImageDecodeError.Corrupt, error.Error);
            Assert.False(string.IsNullOrEmpty(error.UserMessage));
        }
    }

    [Fact]
    public void RefusesAHeaderWithImpossibleDimensionsBeforeDecoding()
    {
        var data = Fixture.Bytes("gradient-gray-lossless.j2k");
        // SIZ: Xsiz, Ysiz (bytes 8..15) and the tile size XTsiz, YTsiz (bytes 24..31) set to 60000 × 60000, a
        // consistent header that would make OpenJPEG allocate 3.6 G samples.
        foreach (var offset in new[] { 8, 12, 24, 28 })
        {
            data[offset] = 0x00;
            data[offset + 1] = 0x00;
            data[offset + 2] = 0xEA;
            data[offset + 3] = 0x60;
        }

        var error = Assert.Throws<ImageDecodeException>(() => Jpeg2000Decoder.Decode(data));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("60000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesInputOverTheByteLimit()
    {
        var data = Fixture.Bytes("shapes-rgb-lossless.jp2");

        var error = Assert.Throws<ImageDecodeException>(
            () => Jpeg2000Decoder.Decode(data, Jpeg2000Limits.Default with { MaxInputBytes = 100 }));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
    }

    [Fact]
    public void RefusesDataThatIsNotJpeg2000()
    {
        var error = Assert.Throws<ImageDecodeException>(() => Jpeg2000Decoder.Decode("GIF89a"u8));

        Assert.Equal(ImageDecodeError.UnknownFormat, error.Error);
        Assert.Contains("JPEG 2000", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SurvivesRandomDamageToTheTileDataWithEitherPixelsOrATypedError()
    {
        var original = Fixture.Bytes("shapes-rgb-lossless.jp2");
        var random = new Random(20240601);
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < 300; round++)
        {
            var data = (byte[])original.Clone();
            for (var flips = 0; flips < 4; flips++)
            {
                data[random.Next(12, data.Length)] ^= (byte)random.Next(1, 256);
            }

            string outcome;
            try
            {
                var image = Jpeg2000Decoder.Decode(data);
                Assert.Equal(image.Width * image.Height * image.BytesPerPixel, image.Pixels.Length);
                outcome = "decoded";
            }
            catch (ImageDecodeException e)
            {
                outcome = e.Error.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // The damage has to reach the decoder's error paths, or the test would only show that undamaged-enough data decodes;
        // with this seed it does, in more than one way.
        var refusals = outcomes.Where(o => o.Key != "decoded").ToList();
        Assert.True(refusals.Sum(o => o.Value) >= 30, "too few damaged files were refused: " + string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(refusals.Count >= 2, "expected more than one kind of typed error: " + string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }
}
