using System.Text.Json;
using System.Text.Json.Serialization;

namespace Onshi.OqsXml;

/// <summary>
/// Lets System.Text.Json read and write the OQS layout types, whose repeated elements are <see cref="EquatableList{T}"/>,
/// as arrays: the server's レセコン API and the agent's client share it so both sides read the wire alike.
/// </summary>
public sealed class EquatableListJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(EquatableList<>);
    }

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
    }

    private sealed class ListConverter<T> : JsonConverter<EquatableList<T>>
    {
        public override EquatableList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<List<T>>(ref reader, options) ?? []);

        public override void Write(Utf8JsonWriter writer, EquatableList<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToList(), options);
    }
}
