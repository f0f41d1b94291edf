using System.Globalization;
using System.Text;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.Layout;

/// <summary>Renders the layout tables, code sets and error catalogue as Markdown for docs/receipt-xml.md.</summary>
public static class OqsLayoutMarkdown
{
    public const string BeginMarker = "<!-- BEGIN GENERATED: OqsLayoutMarkdown.Render() -->";
    public const string EndMarker = "<!-- END GENERATED -->";

    public static string Render()
    {
        var text = new StringBuilder();
        text.Append(BeginMarker).Append('\n');
        foreach (var layout in OqsLayouts.All)
        {
            text.Append("\n### ").Append(layout.Title).Append('\n');
            text.Append("\nFiles: ").Append(layout.Files).Append(". Model: `").Append(layout.ModelType.Name).Append("`.\n\n");
            text.Append("| Element path | 項目名 | 必須 | 形式 | Pattern | 最大 | コード | 備考 |\n");
            text.Append("|---|---|---|---|---|---|---|---|\n");
            foreach (var (path, _, node) in layout.Flatten())
            {
                var format = node.Format;
                text.Append("| `").Append(path).Append(node.Kind == LayoutNodeKind.Repeated ? "` (繰返し)" : "`")
                    .Append(" | ").Append(node.JapaneseName)
                    .Append(" | ").Append(Occurrence(node.Occurrence))
                    .Append(" | ").Append(Cell(format?.Description ?? Kind(node.Kind)))
                    .Append(" | ").Append(format is null ? "" : "`" + Cell(format.Pattern) + "`")
                    .Append(" | ").Append(format?.MaxLength?.ToString(CultureInfo.InvariantCulture) ?? "")
                    .Append(" | ").Append(format?.Codes?.Id ?? "")
                    .Append(" | ").Append(Cell(node.Note ?? ""))
                    .Append(" |\n");
            }
        }

        text.Append("\n### Code sets (local copies; to be replaced by Onshi.Core.Codes)\n\n| Id | 名称 | Codes |\n|---|---|---|\n");
        foreach (var codes in CodeSets())
        {
            text.Append("| ").Append(codes.Id).Append(" | ").Append(codes.Name).Append(" | ")
                .Append(Cell(string.Join(", ", codes.Entries.Select(e => e.Code + " " + e.Meaning)))).Append(" |\n");
        }

        text.Append("\n### Error codes (Onshi's own; the real 別紙6-1 is not public)\n\n| Wire code | Machine code | Level | Default message |\n|---|---|---|---|\n");
        foreach (var (code, wire, machine, message) in OqsErrorCatalogue.All)
        {
            var level = OqsErrorCatalogue.IsStructural(code) ? "file (SegmentOfResult 9)" : (int)code < 300 ? "row, or file if in header" : (int)code < 400 ? "note" : "writer refuses (bug in the caller)";
            text.Append("| ").Append(wire).Append(" | `").Append(machine).Append("` | ").Append(level).Append(" | ").Append(Cell(message)).Append(" |\n");
        }

        text.Append('\n').Append(EndMarker).Append('\n');
        return text.ToString();
    }

    private static IEnumerable<CodeSet> CodeSets() => typeof(OqsCodeSets).GetProperties()
        .Select(p => (CodeSet)p.GetValue(null)!)
        .OrderBy(c => c.Id, StringComparer.Ordinal);

    private static string Occurrence(Occurrence occurrence) => occurrence switch
    {
        Layout.Occurrence.Required => "必須",
        Layout.Occurrence.Optional => "任意",
        _ => "条件付",
    };

    private static string Kind(LayoutNodeKind kind) => kind switch
    {
        LayoutNodeKind.Group => "（グループ）",
        LayoutNodeKind.Inline => "（グループ）",
        LayoutNodeKind.Repeated => "（繰返しグループ）",
        _ => "",
    };

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
