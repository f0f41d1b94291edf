using System.Collections;
using System.Globalization;
using System.Text;
using System.Xml;
using Onshi.OqsXml.Encodings;
using Onshi.OqsXml.Errors;

namespace Onshi.OqsXml.Layout;

/// <summary>Thrown inside the reader to unwind on a structural error; never escapes the public API.</summary>
internal sealed class StructuralException(OqsError error) : Exception(error.Message)
{
    public OqsError Error { get; } = error;
}

/// <summary>Streams a document against a layout into its model, refusing anything the layout does not allow.</summary>
internal sealed class LayoutReader
{
    /// <summary>More skipped paths than this are counted but not listed: the list goes into logs, not the answer.</summary>
    private const int MaxReportedPaths = 20;

    private readonly OqsReadOptions _options;
    private readonly List<string> _skipped = [];
    private int _repeatedItems;

    private LayoutReader(OqsReadOptions options) => _options = options;

    public static (object? Model, OqsError? Error) Read(string text, OqsLayout layout, OqsReadOptions options)
    {
        var (model, error, _) = ReadReporting(text, layout, options);
        return (model, error);
    }

    /// <summary>As <see cref="Read"/>, also listing the undefined elements and attributes that were skipped.</summary>
    public static (object? Model, OqsError? Error, IReadOnlyList<string> Skipped) ReadReporting(string text, OqsLayout layout, OqsReadOptions options)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = options.MaxBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
            CheckCharacters = true,
            ConformanceLevel = ConformanceLevel.Document,
            CloseInput = true,
        };

        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != layout.Root.Name || reader.NamespaceURI.Length != 0)
            {
                return (null, new OqsError(OqsErrorCode.WrongRootElement, $"ルート要素は {layout.Root.Name} でなければなりません。", reader.LocalName), []);
            }

            var model = Activator.CreateInstance(layout.ModelType)!;
            var layoutReader = new LayoutReader(options);
            layoutReader.ReadContainer(reader, layout.Root, model, layout.Root.Name);
            while (reader.Read())
            {
                // Drain to the end so trailing garbage after the root is reported as malformed XML.
            }

            return (model, null, layoutReader._skipped);
        }
        catch (StructuralException ex)
        {
            return (null, ex.Error, []);
        }
        catch (XmlException ex)
        {
            if (text.Contains("<!DOCTYPE", StringComparison.Ordinal))
            {
                return (null, OqsErrorCatalogue.Create(OqsErrorCode.DtdProhibited), []);
            }

            return (null, new OqsError(
                OqsErrorCode.MalformedXml,
                string.Create(CultureInfo.InvariantCulture, $"XMLの形式が正しくありません（{ex.LineNumber}行{ex.LinePosition}文字目付近）。")), []);
        }
    }

    private void ReadContainer(XmlReader reader, LayoutNode container, object model, string path)
    {
        CheckAttributes(reader, path, container.UnknownChildren);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        reader.Read();
        var children = container.Children;
        var seen = new bool[children.Count];
        var position = -1;
        Dictionary<int, List<object>>? lists = null;
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var index = IndexOf(children, reader);
                    if (index < 0)
                    {
                        if (_options.RejectUnknownElements && container.UnknownChildren == UnknownChildPolicy.Refuse)
                        {
                            throw new StructuralException(new OqsError(
                                OqsErrorCode.UnknownElement,
                                $"要素「{reader.Name}」は {path} に定義されていません。", path + "/" + reader.Name));
                        }

                        Report(path + "/" + reader.Name);
                        reader.Skip();
                        continue;
                    }

                    var node = children[index];
                    var childPath = path + "/" + node.Name;
                    if (seen[index] && node.Kind != LayoutNodeKind.Repeated)
                    {
                        throw new StructuralException(new OqsError(OqsErrorCode.DuplicateElement, $"要素「{node.Name}」が重複しています。", childPath));
                    }

                    if (index < position)
                    {
                        throw new StructuralException(new OqsError(
                            OqsErrorCode.ElementOutOfOrder, $"要素「{node.Name}」は「{children[position].Name}」より前に置いてください。", childPath));
                    }

                    position = index;
                    seen[index] = true;
                    ReadChild(reader, container, node, model, childPath, ref lists, index);
                    continue;
                case XmlNodeType.EndElement:
                    reader.Read();
                    if (lists is not null)
                    {
                        foreach (var (i, items) in lists)
                        {
                            children[i].SetValue(model, children[i].MakeList!(items));
                        }
                    }

                    return;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    throw new StructuralException(new OqsError(OqsErrorCode.UnexpectedContent, $"要素「{container.Name}」の直下に文字列は置けません。", path));
                case XmlNodeType.None:
                    throw new StructuralException(OqsErrorCatalogue.Create(OqsErrorCode.MalformedXml, path));
                default:
                    reader.Read();
                    continue;
            }
        }
    }

    private void ReadChild(XmlReader reader, LayoutNode container, LayoutNode node, object model, string path, ref Dictionary<int, List<object>>? lists, int index)
    {
        switch (node.Kind)
        {
            case LayoutNodeKind.Leaf:
                node.SetValue(model, ReadLeaf(reader, path, container.UnknownChildren));
                break;
            case LayoutNodeKind.Group:
                var child = Activator.CreateInstance(node.ItemType!)!;
                ReadContainer(reader, node, child, path);
                node.SetValue(model, child);
                break;
            case LayoutNodeKind.Inline:
                ReadContainer(reader, node, model, path);
                break;
            case LayoutNodeKind.Repeated:
                if (++_repeatedItems > _options.MaxRows)
                {
                    throw new StructuralException(new OqsError(
                        OqsErrorCode.TooManyRows,
                        string.Create(CultureInfo.InvariantCulture, $"繰返し要素は1ファイル{_options.MaxRows}件までです。"), path));
                }

                var item = Activator.CreateInstance(node.ItemType!)!;
                ReadContainer(reader, node, item, path);
                lists ??= [];
                if (!lists.TryGetValue(index, out var list))
                {
                    lists[index] = list = [];
                }

                list.Add(item);
                break;
        }
    }

    // The policy is the parent's: an attribute on a leaf is tolerated exactly where an undefined sibling would be.
    private string? ReadLeaf(XmlReader reader, string path, UnknownChildPolicy policy)
    {
        CheckAttributes(reader, path, policy);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return null;
        }

        reader.Read();
        var text = new StringBuilder();
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    reader.Read();
                    continue;
                case XmlNodeType.EndElement:
                    reader.Read();
                    var value = text.ToString();
                    return string.IsNullOrWhiteSpace(value) ? null : value;
                case XmlNodeType.Element:
                    throw new StructuralException(new OqsError(OqsErrorCode.UnexpectedContent, $"項目「{path[(path.LastIndexOf('/') + 1)..]}」の中に要素は置けません。", path));
                case XmlNodeType.None:
                    throw new StructuralException(OqsErrorCatalogue.Create(OqsErrorCode.MalformedXml, path));
                default:
                    reader.Read();
                    continue;
            }
        }
    }

    private void CheckAttributes(XmlReader reader, string path, UnknownChildPolicy policy)
    {
        if (!reader.HasAttributes)
        {
            return;
        }

        while (reader.MoveToNextAttribute())
        {
            var isNamespaceDeclaration = reader.Name == "xmlns" || reader.Prefix == "xmlns";
            if (isNamespaceDeclaration)
            {
                continue;
            }

            if (_options.RejectUnknownElements && policy == UnknownChildPolicy.Refuse)
            {
                throw new StructuralException(new OqsError(OqsErrorCode.UnexpectedAttribute, $"属性「{reader.Name}」は指定できません。", path));
            }

            Report(path + "/@" + reader.Name);
        }

        reader.MoveToElement();
    }

    private void Report(string path)
    {
        if (_skipped.Count < MaxReportedPaths && !_skipped.Contains(path))
        {
            _skipped.Add(path);
        }
    }

    private static int IndexOf(IReadOnlyList<LayoutNode> children, XmlReader reader)
    {
        if (reader.NamespaceURI.Length != 0)
        {
            return -1;
        }

        for (var i = 0; i < children.Count; i++)
        {
            if (children[i].Name == reader.LocalName)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>Writes a model in layout order; optionally makes every value Shift_JIS-safe and records substitutions.</summary>
internal static class LayoutWriter
{
    public static string Write(object model, OqsLayout layout, OqsCharacterEncoding encoding, List<CharacterSubstitution> substitutions)
    {
        var builder = new StringBuilder(4096);
        builder.Append("<?xml version=\"1.0\" encoding=\"").Append(encoding.DeclarationName()).Append("\" standalone=\"no\"?>\n");
        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
            CheckCharacters = true,
            ConformanceLevel = ConformanceLevel.Document,
        };
        using (var writer = XmlWriter.Create(builder, settings))
        {
            WriteNode(writer, layout.Root, model, layout.Root.Name, encoding, substitutions);
        }

        builder.Append('\n');
        return builder.ToString();
    }

    private static void WriteNode(XmlWriter writer, LayoutNode node, object model, string path, OqsCharacterEncoding encoding, List<CharacterSubstitution> substitutions)
    {
        switch (node.Kind)
        {
            case LayoutNodeKind.Leaf:
                var value = (string?)node.GetValue(model);
                if (string.IsNullOrWhiteSpace(value))
                {
                    return;
                }

                if (encoding == OqsCharacterEncoding.ShiftJis)
                {
                    value = ShiftJisText.Prepare(value, (index, original) => substitutions.Add(new CharacterSubstitution(path, index, original)));
                }

                writer.WriteElementString(node.Name, value);
                return;
            case LayoutNodeKind.Inline:
                if (node.Occurrence == Occurrence.Required || HasContent(node, model))
                {
                    WriteContainer(writer, node, model, path, encoding, substitutions);
                }

                return;
            case LayoutNodeKind.Group:
                if (node.GetValue(model) is { } child)
                {
                    WriteContainer(writer, node, child, path, encoding, substitutions);
                }

                return;
            case LayoutNodeKind.Repeated:
                foreach (var item in (IEnumerable)node.GetValue(model)!)
                {
                    WriteContainer(writer, node, item, path, encoding, substitutions);
                }

                return;
        }
    }

    private static void WriteContainer(XmlWriter writer, LayoutNode node, object model, string path, OqsCharacterEncoding encoding, List<CharacterSubstitution> substitutions)
    {
        writer.WriteStartElement(node.Name);
        foreach (var child in node.Children)
        {
            WriteNode(writer, child, model, path + "/" + child.Name, encoding, substitutions);
        }

        writer.WriteEndElement();
    }

    internal static bool HasContent(LayoutNode inline, object model)
    {
        foreach (var child in inline.Children)
        {
            var has = child.Kind switch
            {
                LayoutNodeKind.Leaf => !string.IsNullOrWhiteSpace((string?)child.GetValue(model)),
                LayoutNodeKind.Group => child.GetValue(model) is not null,
                LayoutNodeKind.Inline => HasContent(child, model),
                LayoutNodeKind.Repeated => ((IReadOnlyCollection<object>)child.GetValue(model)!).Count > 0,
                _ => false,
            };
            if (has)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Checks a model against a layout: required elements present, every value in its format and code set.</summary>
internal static class LayoutValidator
{
    /// <summary>Validates the children of <paramref name="container"/> held by <paramref name="model"/>.</summary>
    public static void Validate(LayoutNode container, object model, string path, List<OqsError> errors)
    {
        foreach (var child in container.Children)
        {
            var childPath = path + "/" + child.Name;
            switch (child.Kind)
            {
                case LayoutNodeKind.Leaf:
                    var value = (string?)child.GetValue(model);
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        if (child.Occurrence == Occurrence.Required)
                        {
                            errors.Add(OqsErrorCatalogue.ForElement(OqsErrorCode.MissingElement, child.JapaneseName, childPath));
                        }
                    }
                    else if (child.Format!.Check(value, child.JapaneseName, childPath) is { } error)
                    {
                        errors.Add(error);
                    }

                    break;
                case LayoutNodeKind.Group:
                    if (child.GetValue(model) is { } group)
                    {
                        Validate(child, group, childPath, errors);
                    }
                    else if (child.Occurrence == Occurrence.Required)
                    {
                        errors.Add(OqsErrorCatalogue.ForElement(OqsErrorCode.MissingElement, child.JapaneseName, childPath));
                    }

                    break;
                case LayoutNodeKind.Inline:
                    Validate(child, model, childPath, errors);
                    break;
                case LayoutNodeKind.Repeated:
                    var items = (IReadOnlyCollection<object>)child.GetValue(model)!;
                    if (items.Count == 0 && child.Occurrence == Occurrence.Required)
                    {
                        errors.Add(new OqsError(OqsErrorCode.NoRows, $"{child.JapaneseName}（{child.Name}）が1件もありません。", childPath));
                    }

                    var row = 0;
                    foreach (var item in items)
                    {
                        row++;
                        var before = errors.Count;
                        Validate(child, item, childPath, errors);
                        for (var i = before; i < errors.Count; i++)
                        {
                            errors[i] = errors[i].Row is null ? errors[i].WithRow(row) : errors[i];
                        }
                    }

                    break;
            }
        }
    }

    public static List<OqsError> Validate(LayoutNode container, object model, string path)
    {
        var errors = new List<OqsError>();
        Validate(container, model, path, errors);
        return errors;
    }
}

/// <summary>
/// Finds model values the layout has no element for. The writer only walks the layout, so such a value would vanish
/// from the file without a trace; the writer refuses instead (<see cref="Errors.OqsErrorCode.FieldNotInLayout"/>).
/// </summary>
internal static class LayoutCoverage
{
    public static List<OqsError> Check(OqsLayout layout, object model)
    {
        var errors = new List<OqsError>();
        Walk(layout.Root, model, layout.Root.Name, errors);
        return errors;
    }

    private static void Walk(LayoutNode container, object model, string path, List<OqsError> errors)
    {
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        CollectMapped(container, mapped);
        foreach (var property in model.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0 || mapped.Contains(property.Name))
            {
                continue;
            }

            var carriesData = property.GetValue(model) switch
            {
                null => false,
                string text => !string.IsNullOrWhiteSpace(text),
                IEnumerable items => items.GetEnumerator().MoveNext(),
                _ => true,
            };
            if (carriesData)
            {
                errors.Add(new OqsError(
                    OqsErrorCode.FieldNotInLayout,
                    $"{OqsErrorCatalogue.DefaultMessageOf(OqsErrorCode.FieldNotInLayout)} 項目: {model.GetType().Name}.{property.Name}",
                    path + "/" + property.Name));
            }
        }

        WalkChildren(container, model, path, errors);
    }

    private static void WalkChildren(LayoutNode container, object model, string path, List<OqsError> errors)
    {
        foreach (var child in container.Children)
        {
            var childPath = path + "/" + child.Name;
            switch (child.Kind)
            {
                case LayoutNodeKind.Group when child.GetValue(model) is { } group:
                    Walk(child, group, childPath, errors);
                    break;
                case LayoutNodeKind.Repeated:
                    foreach (var item in (IEnumerable)child.GetValue(model)!)
                    {
                        Walk(child, item, childPath, errors);
                    }

                    break;
                case LayoutNodeKind.Inline:
                    WalkChildren(child, model, childPath, errors);
                    break;
            }
        }
    }

    private static void CollectMapped(LayoutNode container, HashSet<string> mapped)
    {
        foreach (var child in container.Children)
        {
            if (child.Kind == LayoutNodeKind.Inline)
            {
                CollectMapped(child, mapped);
            }
            else
            {
                mapped.Add(child.PropertyName);
            }
        }
    }
}
