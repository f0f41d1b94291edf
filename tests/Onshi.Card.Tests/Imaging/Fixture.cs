using System.Runtime.CompilerServices;

namespace Onshi.Card.Tests.Imaging;

/// <summary>The JPEG 2000 files made by Fixtures/make-fixtures.sh, and the pixels they were made from.</summary>
public static class Fixture
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory(), "Fixtures", name));

    /// <summary>gradient-gray-lossless.j2k: 64×48, value = (4x + 2y) mod 256.</summary>
    public static byte Gradient(int x, int y) => (byte)((x * 4) + (y * 2));

    /// <summary>shapes-rgb-*.jp2: 40×30, red rectangle, blue disc, off-white background.</summary>
    public static (byte R, byte G, byte B) Shapes(int x, int y)
        => x is >= 5 and < 20 && y is >= 5 and < 15 ? ((byte)220, (byte)30, (byte)30)
            : ((x - 28) * (x - 28)) + ((y - 20) * (y - 20)) <= 36 ? ((byte)30, (byte)60, (byte)200)
            : ((byte)245, (byte)245, (byte)240);

    /// <summary>subsampled-420-lossless.j2k: component 0 full size, components 1 and 2 at half resolution.</summary>
    public static (byte C0, byte C1, byte C2) Subsampled(int x, int y)
        => ((byte)(x * 5), (byte)(100 + ((x / 2) * 3)), (byte)(50 + ((y / 2) * 5)));

    // The fixtures are read from the source tree (next to this file) so the test project needs no copy rules.
    private static string Directory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
