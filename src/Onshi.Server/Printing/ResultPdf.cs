using Microsoft.Extensions.Options;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Onshi.Server.Printing;

/// <summary>
/// The Japanese font for PDFs. A TrueType (glyf) font is embedded as a subset CID font; Skia writes CFF-outline fonts
/// such as Noto Sans CJK as Type3 glyph procedures, slower and larger, so IPAゴシック (Debian fonts-ipafont-gothic) is
/// the default and Noto the fallback.
/// </summary>
public sealed class PrintingOptions
{
    /// <summary>Tried in order when <see cref="FontFile"/> is not set; the first that exists and has Japanese glyphs is used.</summary>
    public static IReadOnlyList<string> DefaultFontFiles { get; } =
    [
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ];

    /// <summary>Setting Printing:FontFile: the one font file to use instead of the defaults.</summary>
    public string? FontFile { get; set; }

    public IReadOnlyList<string> Candidates => FontFile is { Length: > 0 } file ? [file] : DefaultFontFiles;
}

/// <summary>The server cannot make a PDF (no usable Japanese font): a configuration problem, never tofu in a PDF.</summary>
public sealed class PrintingUnavailableException(string message) : Exception(message);

/// <summary>
/// Renders a <see cref="ResultSheet"/> as an A4 PDF with SkiaSharp's PDF backend: the Japanese font is embedded (subset)
/// and text is shaped with HarfBuzz, so the PDF reads the same on any computer and its text can be searched and copied.
/// </summary>
public sealed class ResultPdf(IOptions<PrintingOptions> options)
{
    private const float Width = 595.28f;
    private const float Height = 841.89f;
    private const float Margin = 48f;
    private const float LabelWidth = 150f;

    private readonly Lazy<SKTypeface> _typeface = new(() => LoadTypeface(options.Value));

    /// <summary>The sheet on A4 pages; <paramref name="footer"/> (who printed it and when) is on every page.</summary>
    public byte[] Render(ResultSheet sheet, string footer)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        var typeface = _typeface.Value;
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { Title = sheet.Title, Creator = "Onshi", Producer = "Onshi" }))
        using (var shaper = new SKShaper(typeface))
        using (var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black })
        using (var title = new SKFont(typeface, 16))
        using (var heading = new SKFont(typeface, 12))
        using (var body = new SKFont(typeface, 10))
        {
            var writer = new PageWriter(document, shaper, paint, body, footer);
            writer.Line(sheet.Title, title, 26);
            writer.Line("資格有効性: " + sheet.Validity, heading, 20);
            if (sheet.Error is { } error)
            {
                writer.Line(error, body, 16);
            }

            if (sheet.Notice is { } notice)
            {
                writer.Line(notice, body, 16);
            }

            foreach (var section in sheet.Sections)
            {
                writer.Space(8);
                writer.Line(section.Heading, heading, 18);
                foreach (var row in section.Rows)
                {
                    writer.Pair(row.Label, row.Value, 15);
                }
            }

            writer.Finish();
            document.Close();
        }

        return stream.ToArray();
    }

    private static SKTypeface LoadTypeface(PrintingOptions options)
    {
        foreach (var file in options.Candidates.Where(File.Exists))
        {
            // Index 0: the only face of a .ttf, and the JP face of Noto Sans CJK's collection.
            var typeface = SKTypeface.FromFile(file, 0);
            if (typeface is null)
            {
                continue;
            }

            using var probe = new SKFont(typeface);
            if (probe.ContainsGlyphs("資格確認"))
            {
                return typeface;
            }

            typeface.Dispose();
        }

        throw new PrintingUnavailableException(
            $"PDF 用の日本語フォントがありません（試したファイル: {string.Join(", ", options.Candidates)}、設定 Printing:FontFile）。fonts-ipafont-gothic をインストールしてください。");
    }

    /// <summary>Top-down text placement with page breaks; every page gets the footer.</summary>
    private sealed class PageWriter(SKDocument document, SKShaper shaper, SKPaint paint, SKFont small, string footer)
    {
        private SKCanvas? _canvas;
        private float _y;

        public void Line(string text, SKFont font, float advance)
        {
            var canvas = Canvas(advance);
            canvas.DrawShapedText(shaper, text, Margin, _y + font.Size, SKTextAlign.Left, font, paint);
            _y += advance;
        }

        public void Pair(string label, string value, float advance)
        {
            var canvas = Canvas(advance);
            canvas.DrawShapedText(shaper, label, Margin, _y + small.Size, SKTextAlign.Left, small, paint);
            canvas.DrawShapedText(shaper, value, Margin + LabelWidth, _y + small.Size, SKTextAlign.Left, small, paint);
            _y += advance;
        }

        public void Space(float height) => _y += height;

        public void Finish()
        {
            if (_canvas is not null)
            {
                document.EndPage();
                _canvas = null;
            }
        }

        private SKCanvas Canvas(float needed)
        {
            if (_canvas is not null && _y + needed > Height - Margin - 20)
            {
                Finish();
            }

            if (_canvas is null)
            {
                _canvas = document.BeginPage(Width, Height);
                _y = Margin;
                _canvas.DrawShapedText(shaper, footer, Margin, Height - Margin + 10, SKTextAlign.Left, small, paint);
            }

            return _canvas;
        }
    }
}
