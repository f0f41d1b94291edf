using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Onshi.OqsXml.Layout;

namespace Onshi.OqsXml.Tests.Support;

/// <summary>
/// An independent checker: parses written bytes with a strict XmlReader (no DTD, no resolver) into an XDocument
/// and walks every element against the layout table — name known at that place, order, no duplicates of
/// non-repeating elements, required children present, leaf text matching pattern, length and code set.
/// Returns how many elements it checked so tests can assert the walk actually covered the document.
/// </summary>
internal static class LayoutConformance
{
    public static int Check(ReadOnlySpan<byte> content, OqsLayout layout, Encoding encoding, string expectedDeclarationEncoding)
    {
        var text = encoding.GetString(content);
        var firstLine = text[..text.IndexOf('\n', StringComparison.Ordinal)];
        Assert.Equal($"<?xml version=\"1.0\" encoding=\"{expectedDeclarationEncoding}\" standalone=\"no\"?>", firstLine);

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CheckCharacters = true };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var document = XDocument.Load(reader);
        Assert.Equal(layout.Root.Name, document.Root!.Name.LocalName);
        var checkedCount = CheckContainer(document.Root, layout.Root, layout.Root.Name);
        Assert.Equal(document.Root.DescendantsAndSelf().Count(), checkedCount);
        return checkedCount;
    }

    private static int CheckContainer(XElement element, LayoutNode node, string path)
    {
        Assert.False(element.HasAttributes, $"{path} has attributes");
        Assert.DoesNotContain(element.Nodes().OfType<XText>(), t => !string.IsNullOrWhiteSpace(t.Value));
        var count = 1;
        var position = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in element.Elements())
        {
            var name = child.Name.LocalName;
            var index = node.Children.ToList().FindIndex(n => n.Name == name);
            Assert.True(index >= 0, $"{path}/{name} is not in the layout table");
            var childNode = node.Children[index];
            Assert.True(index >= position, $"{path}/{name} is out of order");
            Assert.True(childNode.Kind == LayoutNodeKind.Repeated || seen.Add(name), $"{path}/{name} repeats");
            position = index;
            count += childNode.Kind == LayoutNodeKind.Leaf
                ? CheckLeaf(child, childNode, path + "/" + name)
                : CheckContainer(child, childNode, path + "/" + name);
        }

        foreach (var required in node.Children.Where(c => c.Occurrence == Occurrence.Required))
        {
            Assert.True(element.Elements(required.Name).Any(), $"{path}/{required.Name} is required but missing");
        }

        return count;
    }

    private static int CheckLeaf(XElement element, LayoutNode node, string path)
    {
        Assert.False(element.HasElements, $"{path} holds elements");
        var value = element.Value;
        var format = node.Format!;
        Assert.Matches(new Regex(format.Pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline), value);
        if (format.MaxLength is { } max)
        {
            Assert.True(value.EnumerateRunes().Count() <= max, string.Create(CultureInfo.InvariantCulture, $"{path} longer than {max}"));
        }

        if (format.Codes is { } codes)
        {
            Assert.True(codes.Contains(value), $"{path}={value} not in {codes.Id}");
        }

        return 1;
    }
}
