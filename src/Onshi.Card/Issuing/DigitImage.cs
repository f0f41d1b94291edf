using Onshi.Card.Imaging;

namespace Onshi.Card.Issuing;

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

        return PngEncoder.EncodeBlackAndWhite(pixels);
    }
}
