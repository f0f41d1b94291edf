using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Onshi.Server.Data;

/// <summary>
/// Plain ADO.NET statements for a hot path, built once per EF Core model from that model: table and column names,
/// value converters (UTC ticks on SQLite, enums as integers) and parameter types are EF Core's own, so a row written
/// here is byte for byte the row EF Core would have written. Used where EF Core's per-entity work (change tracking,
/// batch ordering, SQL generation on every save) cost more than the database itself: the confirmation group commit
/// (docs/performance.md, time budget).
/// </summary>
internal static class ModelStatements
{
    /// <summary>Both providers quote identifiers with double quotes.</summary>
    public static string Quote(string name) => "\"" + name + "\"";

    public static string TableOf(IEntityType entity) =>
        entity.GetTableName() ?? throw new InvalidOperationException(entity.DisplayName() + " is not mapped to a table.");

    public static string ColumnOf(IProperty property) =>
        property.GetColumnName(StoreObjectIdentifier.Table(TableOf(property.DeclaringType.ContainingEntityType), property.DeclaringType.ContainingEntityType.GetSchema()))
        ?? throw new InvalidOperationException(property.Name + " has no column.");

    public static RelationalTypeMapping MappingOf(IProperty property) =>
        property.GetRelationalTypeMapping();

    /// <summary>A parameter as EF Core would bind it (converter applied, provider type set).</summary>
    public static DbParameter Parameter(DbCommand factory, RelationalTypeMapping mapping, string name, object? value, bool nullable) =>
        mapping.CreateParameter(factory, name, value, nullable);
}

/// <summary>INSERT of every stored property of <typeparamref name="T"/> except a store-generated key.</summary>
internal sealed class ModelInsert<T>
    where T : class
{
    private readonly (IProperty Property, RelationalTypeMapping Mapping, Func<T, object?> Read)[] _columns;

    public ModelInsert(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException(typeof(T).Name + " is not in the model.");
        var columns = new List<(IProperty, RelationalTypeMapping, Func<T, object?>)>();
        foreach (var property in entity.GetProperties())
        {
            // An integer key the database numbers (identity / rowid) is left to the database, as EF Core does.
            if (property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType.IsInteger())
            {
                continue;
            }

            var member = property.PropertyInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a shadow property; this writer needs CLR properties.");
            columns.Add((property, ModelStatements.MappingOf(property), Getter(member)));
        }

        _columns = [.. columns];
        var table = ModelStatements.Quote(ModelStatements.TableOf(entity));
        Sql = $"INSERT INTO {table} ({string.Join(", ", _columns.Select(c => ModelStatements.Quote(ModelStatements.ColumnOf(c.Property))))}) " +
            $"VALUES ({string.Join(", ", _columns.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
    }

    public string Sql { get; }

    public void Bind(DbCommand factory, DbParameterCollection target, T row)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var i = 0; i < _columns.Length; i++)
        {
            var (property, mapping, read) = _columns[i];
            target.Add(ModelStatements.Parameter(factory, mapping, "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), read(row), property.IsNullable));
        }
    }

    private static Func<T, object?> Getter(PropertyInfo member)
    {
        var row = Expression.Parameter(typeof(T), "row");
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Property(row, member), typeof(object)), row).Compile();
    }
}

internal static class IntegerTypes
{
    public static bool IsInteger(this Type type) => type == typeof(int) || type == typeof(long) || type == typeof(short);
}

/// <summary>
/// Reads rows of <typeparamref name="T"/> written by EF Core, column by column through the model's own type mappings and
/// converters (the reverse of <see cref="ModelInsert{T}"/>): the SELECT lists every mapped column of the table.
/// </summary>
internal sealed class ModelRead<T>
    where T : class
{
    private static readonly MethodInfo GetFieldValue = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!;

    // An expression tree, not "new T()": entities with required members cannot satisfy the new() constraint, and every
    // member is assigned from the row below.
    private static readonly Func<T> Create = Expression.Lambda<Func<T>>(Expression.New(typeof(T))).Compile();

    private readonly (Func<DbDataReader, int, object?> Read, Action<T, object?> Write)[] _columns;

    public ModelRead(IModel model, string alias)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException(typeof(T).Name + " is not in the model.");
        var properties = entity.GetProperties().ToList();
        _columns = [.. properties.Select(p => (Reader(p), Setter(p)))];
        Columns = string.Join(", ", properties.Select(p => alias + "." + ModelStatements.Quote(ModelStatements.ColumnOf(p))));
        Table = ModelStatements.Quote(ModelStatements.TableOf(entity)) + " AS " + alias;
    }

    /// <summary>The select list, in the order <see cref="Materialize"/> reads it.</summary>
    public string Columns { get; }

    /// <summary>The table with its alias.</summary>
    public string Table { get; }

    public T Materialize(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var row = Create();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Write(row, reader.IsDBNull(i) ? null : _columns[i].Read(reader, i));
        }

        return row;
    }

    private static Func<DbDataReader, int, object?> Reader(IProperty property)
    {
        var mapping = ModelStatements.MappingOf(property);
        var converter = mapping.Converter;
        var providerType = converter?.ProviderClrType ?? Nullable.GetUnderlyingType(mapping.ClrType) ?? mapping.ClrType;
        var read = GetFieldValue.MakeGenericMethod(Nullable.GetUnderlyingType(providerType) ?? providerType);
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var ordinal = Expression.Parameter(typeof(int), "ordinal");
        var raw = Expression.Lambda<Func<DbDataReader, int, object?>>(Expression.Convert(Expression.Call(reader, read, ordinal), typeof(object)), reader, ordinal).Compile();
        return converter is null ? raw : (r, i) => converter.ConvertFromProvider(raw(r, i));
    }

    private static Action<T, object?> Setter(IProperty property)
    {
        var member = property.PropertyInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a shadow property; this reader needs CLR properties.");
        var row = Expression.Parameter(typeof(T), "row");
        var value = Expression.Parameter(typeof(object), "value");
        return Expression.Lambda<Action<T, object?>>(Expression.Assign(Expression.Property(row, member), Expression.Convert(value, member.PropertyType)), row, value).Compile();
    }
}
