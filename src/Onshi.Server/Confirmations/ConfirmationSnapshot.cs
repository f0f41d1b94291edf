using System.Text.Json;
using System.Text.Json.Serialization;
using Onshi.Core.Codes;
using Onshi.Jpki;
using Onshi.Server.Insurance;

namespace Onshi.Server.Confirmations;

/// <summary>
/// The domain facts an app confirmation answered with, stored next to the wire answer (<see cref="AppConfirmation.ResultJson"/>).
/// The 連携 feed and the レセコン bulk answers map from this, once (Receipt/OqsResultMapping), instead of parsing the
/// app's JSON back and mapping it a second time; anything the app does not show (e.g. 交付年月日) still reaches the
/// receipt computer. Consents are not in here: they are their own rows, read as of each answer.
/// </summary>
public sealed record ConfirmationSnapshot
{
    /// <summary>資格有効性 at the moment of the confirmation.</summary>
    public QualificationValidity Validity { get; init; }

    /// <summary>処理結果コード: the certificate notice that the answer carried, if any.</summary>
    public OnshiProcessingResultCode? ProcessingResultCode { get; init; }

    public IReadOnlyList<QualificationSnapshot> Qualifications { get; init; } = [];

    /// <summary>
    /// 処方箋発行形態 (OQSCD017) the patient chose, where the institution issues prescriptions; null where it was not
    /// asked (a 薬局) and in snapshots stored before the question existed.
    /// </summary>
    public PrescriptionIssueSelect? PrescriptionIssue { get; init; }

    /// <summary>
    /// The one notice a result file can carry: "expires within three months" wins over "expired within the grace",
    /// the order in which the app's answer lists them.
    /// </summary>
    public static OnshiProcessingResultCode? ProcessingResultCodeOf(JpkiNotices notices) =>
        notices.HasFlag(JpkiNotices.ExpiresWithinThreeMonths) ? OnshiProcessingResultCode.CertificateExpiresWithinThreeMonths
        : notices.HasFlag(JpkiNotices.ExpiredWithinGrace) ? OnshiProcessingResultCode.CertificateExpiredWithinGrace
        : null;

    public static ConfirmationSnapshot Of(QualificationLookupResult found, JpkiNotices notices)
    {
        ArgumentNullException.ThrowIfNull(found);
        return new() { Validity = found.Validity, ProcessingResultCode = ProcessingResultCodeOf(notices), Qualifications = found.Qualifications };
    }

    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    public static ConfirmationSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<ConfirmationSnapshot>(json, SerializerOptions)
        ?? throw new InvalidOperationException("A stored confirmation snapshot was the JSON literal null.");

    /// <summary>
    /// Code-table enums are stored as their wire codes, which the specification fixes, so a renamed or reordered enum
    /// member can never change what an old row means.
    /// </summary>
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new WireCodeEnumConverterFactory() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Writes and reads an enum that has a table in <see cref="OqsCodes"/> as its wire code ("1", "030", "A03").</summary>
internal sealed class WireCodeEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WireCodeEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class WireCodeEnumConverter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        // Throws at first use for an enum without a code table: such an enum must get a table before it is stored.
        private readonly CodeTable<TEnum> _table = OqsCodes.For<TEnum>();

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            _table.TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"{_table.Id} has no code \"{reader.GetString()}\".");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(_table.ToCode(value));
    }
}
