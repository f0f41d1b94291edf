using System.Diagnostics;

namespace Onshi.Card.Issuing;

/// <summary>A PNG of a text, and whether it really shows the text.</summary>
public sealed record TextImage(byte[] Png, bool Rendered);

/// <summary>
/// Draws the card's 氏名 and 住所 images. Real cards store these as 1-bit PNGs of the printed text. Drawing kanji
/// needs a real font rasteriser, so this uses ImageMagick (<c>magick</c> or <c>convert</c>) with a Noto CJK font
/// when both are installed. Otherwise it returns a blank placeholder PNG that says so in a tEXt chunk and reports
/// <see cref="TextImage.Rendered"/> = false, which the card image records and the CLI prints — never a silent fake.
/// </summary>
public static class TextImageRenderer
{
    private static readonly string[] FontCandidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    ];

    private static readonly string[] ToolCandidates = ["magick", "convert-im6.q16", "convert"];

    /// <summary>Renders <paramref name="text"/> at about 24 px per character line, or returns the placeholder.</summary>
    public static TextImage Render(string text, int maxWidth = 480)
    {
        ArgumentNullException.ThrowIfNull(text);
        var font = FontCandidates.FirstOrDefault(File.Exists);
        if (font is not null)
        {
            foreach (var tool in ToolCandidates)
            {
                var png = TryImageMagick(tool, font, text, maxWidth);
                if (png is not null)
                {
                    return new TextImage(png, true);
                }
            }
        }

        return new TextImage(Placeholder(), false);
    }

    /// <summary>A blank 1-bit PNG marked as a placeholder.</summary>
    public static byte[] Placeholder() => PngWriter.WriteBlackAndWhite(new bool[24, 96], new Dictionary<string, string>
    {
        ["Comment"] = "placeholder: text not rendered (ImageMagick or a CJK font was not available when the card was issued)",
    });

    private static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static byte[]? TryImageMagick(string tool, string font, string text, int maxWidth)
    {
        var executable = FindOnPath(tool);
        if (executable is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-background", "white", "-fill", "black", "-font", font, "-pointsize", "20",
            "-size", $"{maxWidth}x", "caption:" + text.Replace("%", "%%", StringComparison.Ordinal).Replace("@", "\\@", StringComparison.Ordinal),
            "-threshold", "50%", "-type", "bilevel", "-depth", "1", "-define", "png:bit-depth=1", "-define", "png:color-type=0",
            "png:-",
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            copy.Wait(TimeSpan.FromSeconds(5));
            _ = errors.Wait(TimeSpan.FromSeconds(5));
            var png = output.ToArray();
            return process.ExitCode == 0 && png.Length > 8 && png[0] == 0x89 && png[1] == (byte)'P' ? png : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
