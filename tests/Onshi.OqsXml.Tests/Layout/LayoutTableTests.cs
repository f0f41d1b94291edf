using System.Reflection;
using Onshi.OqsXml.Layout;

namespace Onshi.OqsXml.Tests.Layout;

public sealed class LayoutTableTests
{
    [Fact]
    public void EveryElementMapsToAStringOrModelPropertyAndEveryModelPropertyToSomeElement()
    {
        // Response headers share one model across layouts (bulk-only elements), so coverage is over all layouts,
        // including the read-only older forms (ResultOfQualificationConfirmation.ReferenceNumber lives only there).
        var mapped = new Dictionary<Type, HashSet<string>>();
        foreach (var layout in OqsLayouts.All.SelectMany(l => l.ReadOnlyForms.Prepend(l)))
        {
            Collect(layout.Root, layout.ModelType, mapped);
        }

        foreach (var (type, names) in mapped)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).Order().ToList();
            Assert.Equal(properties, names.Order().ToList());
        }

        Assert.Contains(typeof(Onshi.OqsXml.Responses.ResultOfQualificationConfirmation), mapped.Keys);
    }

    [Fact]
    public void EveryLeafHasAFormatAndEveryContainerHasNone()
    {
        foreach (var (path, _, node) in OqsLayouts.All.SelectMany(l => l.Flatten()))
        {
            Assert.Equal(node.Kind == LayoutNodeKind.Leaf, node.Format is not null);
            Assert.False(string.IsNullOrWhiteSpace(node.JapaneseName), path);
            Assert.Equal(node.Children.Count, node.Children.Select(c => c.Name).Distinct().Count());
        }
    }

    [Fact]
    public void DocsReceiptXmlContainsTheCurrentRendering()
    {
        var docs = Path.Combine(RepositoryRoot(), "docs", "receipt-xml.md");
        var rendered = OqsLayoutMarkdown.Render();
        if (Environment.GetEnvironmentVariable("ONSHI_UPDATE_DOCS") == "1")
        {
            var current = File.ReadAllText(docs);
            var start = current.IndexOf(OqsLayoutMarkdown.BeginMarker, StringComparison.Ordinal);
            var end = current.IndexOf(OqsLayoutMarkdown.EndMarker, StringComparison.Ordinal) + OqsLayoutMarkdown.EndMarker.Length + 1;
            File.WriteAllText(docs, current[..start] + rendered + current[end..]);
        }

        Assert.Contains(rendered, File.ReadAllText(docs), StringComparison.Ordinal);
    }

    private static void Collect(LayoutNode container, Type modelType, Dictionary<Type, HashSet<string>> mapped)
    {
        if (!mapped.TryGetValue(modelType, out var names))
        {
            mapped[modelType] = names = [];
        }

        foreach (var child in container.Children)
        {
            switch (child.Kind)
            {
                case LayoutNodeKind.Inline:
                    Collect(child, modelType, mapped);
                    break;
                case LayoutNodeKind.Leaf:
                    Assert.Equal(typeof(string), child.Property(modelType).PropertyType);
                    names.Add(child.PropertyName);
                    break;
                default:
                    names.Add(child.Property(modelType).Name);
                    Collect(child, child.ItemType!, mapped);
                    break;
            }
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Onshi.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Onshi.slnx not found above " + AppContext.BaseDirectory);
    }
}
