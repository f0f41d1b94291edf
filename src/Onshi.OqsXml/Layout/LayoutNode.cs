using System.Collections.Concurrent;
using System.Reflection;

namespace Onshi.OqsXml.Layout;

public enum LayoutNodeKind
{
    /// <summary>An element holding text.</summary>
    Leaf,

    /// <summary>An element mapped to a nested model object (e.g. ElderlyRecipientCertificateInfo).</summary>
    Group,

    /// <summary>A wrapper element whose children belong to the same model object (XmlMsg, MessageBody, ResultList).</summary>
    Inline,

    /// <summary>An element that may repeat, each occurrence one item of a list property.</summary>
    Repeated,
}

/// <summary>What the reader does with a child element (or attribute) that the layout does not define.</summary>
public enum UnknownChildPolicy
{
    /// <summary>Fail the file (ONSX0013/ONSX0017): the default, and always inside conditions that identify a person.</summary>
    Refuse,

    /// <summary>
    /// Skip it and report its path in the read result: request positions where a newer specification may add an
    /// optional processing element that Onshi can answer without (docs/receipt-xml.md, "Forward compatibility").
    /// </summary>
    SkipAndReport,
}

public enum Occurrence
{
    Required,
    Optional,

    /// <summary>Required in some situations only (see <see cref="LayoutNode.Note"/>); checked by cross-field rules.</summary>
    Conditional,
}

/// <summary>
/// One element of a layout: name, 項目名, occurrence, format (leaves), children in the order they must appear,
/// and which model property holds its value. The same table drives reading, writing, the writer's self-check,
/// the tests and docs/receipt-xml.md.
/// </summary>
public sealed class LayoutNode
{
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo> Properties = new();

    internal LayoutNode(
        LayoutNodeKind kind, string name, string japaneseName, Occurrence occurrence, FieldFormat? format,
        IReadOnlyList<LayoutNode> children, string? property, Type? itemType, Func<IEnumerable<object>, object>? makeList, string? note,
        UnknownChildPolicy unknownChildren = UnknownChildPolicy.Refuse)
    {
        Kind = kind;
        Name = name;
        JapaneseName = japaneseName;
        Occurrence = occurrence;
        Format = format;
        Children = children;
        PropertyName = property ?? name;
        ItemType = itemType;
        MakeList = makeList;
        Note = note;
        UnknownChildren = unknownChildren;
    }

    public LayoutNodeKind Kind { get; }

    /// <summary>The XML element name.</summary>
    public string Name { get; }

    /// <summary>項目名.</summary>
    public string JapaneseName { get; }

    public Occurrence Occurrence { get; }

    /// <summary>Leaves only.</summary>
    public FieldFormat? Format { get; }

    public IReadOnlyList<LayoutNode> Children { get; }

    /// <summary>How a child element or attribute that this node does not define is treated when reading.</summary>
    public UnknownChildPolicy UnknownChildren { get; }

    /// <summary>A remark for the docs: when a conditional element is required, or that a name/order is our guess.</summary>
    public string? Note { get; }

    /// <summary>The model property (on the parent's model object) that holds this element's value.</summary>
    public string PropertyName { get; }

    /// <summary>Model type of a Group or of one Repeated item.</summary>
    public Type? ItemType { get; }

    internal Func<IEnumerable<object>, object>? MakeList { get; }

    internal object? GetValue(object model) => Property(model.GetType()).GetValue(model);

    internal void SetValue(object model, object? value) => Property(model.GetType()).SetValue(model, value);

    internal PropertyInfo Property(Type modelType) => Properties.GetOrAdd((modelType, PropertyName), key =>
        key.Item1.GetProperty(key.Item2, BindingFlags.Public | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"{key.Item1.Name} has no property {key.Item2} for element {Name}."));

    /// <summary>The same node, tolerating undefined children (see <see cref="UnknownChildPolicy.SkipAndReport"/>).</summary>
    internal LayoutNode ToleratingUnknownChildren() =>
        new(Kind, Name, JapaneseName, Occurrence, Format, Children, PropertyName, ItemType, MakeList, Note, UnknownChildPolicy.SkipAndReport);

    public override string ToString() => Name;
}

/// <summary>Short builders so the layout tables read like the specification's tables.</summary>
internal static class L
{
    public static LayoutNode Leaf(string name, string japaneseName, Occurrence occurrence, FieldFormat format, string? note = null, string? property = null) =>
        new(LayoutNodeKind.Leaf, name, japaneseName, occurrence, format, [], property, null, null, note);

    public static LayoutNode Group<TChild>(string name, string japaneseName, Occurrence occurrence, string? property, string? note, params LayoutNode[] children)
        where TChild : class, new() =>
        new(LayoutNodeKind.Group, name, japaneseName, occurrence, null, children, property, typeof(TChild), null, note);

    public static LayoutNode Inline(string name, string japaneseName, Occurrence occurrence, string? note, params LayoutNode[] children) =>
        new(LayoutNodeKind.Inline, name, japaneseName, occurrence, null, children, null, null, null, note);

    public static LayoutNode Repeated<TItem>(string name, string japaneseName, Occurrence occurrence, string property, string? note, params LayoutNode[] children)
        where TItem : class, new() =>
        new(LayoutNodeKind.Repeated, name, japaneseName, occurrence, null, children, property, typeof(TItem),
            items => new EquatableList<TItem>(items.Cast<TItem>()), note);
}
