using Onshi.Server.Settings;

namespace Onshi.Server.Consent;

/// <summary>The medical information a patient may consent to share (閲覧同意). Stored as its number; never renumber.</summary>
public enum InformationType
{
    /// <summary>薬剤情報; wire <c>pharmacy</c>.</summary>
    Pharmacy = 1,

    /// <summary>診療情報; wire <c>diagnosis</c>.</summary>
    Diagnosis = 2,

    /// <summary>特定健診情報; wire <c>checkup</c>.</summary>
    Checkup = 3,

    /// <summary>手術情報; wire <c>operation</c>.</summary>
    Operation = 4,
}

/// <summary>Wire names, Japanese names and which types an institution offers (環境設定情報).</summary>
public static class InformationTypes
{
    public static IReadOnlyList<InformationType> All { get; } = [InformationType.Pharmacy, InformationType.Diagnosis, InformationType.Checkup, InformationType.Operation];

    public static string ToWire(InformationType type) => type switch
    {
        InformationType.Pharmacy => WireInformationTypes.Pharmacy,
        InformationType.Diagnosis => WireInformationTypes.Diagnosis,
        InformationType.Checkup => WireInformationTypes.Checkup,
        InformationType.Operation => WireInformationTypes.Operation,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Japanese(InformationType type) => type switch
    {
        InformationType.Pharmacy => "薬剤情報",
        InformationType.Diagnosis => "診療情報",
        InformationType.Checkup => "特定健診情報",
        InformationType.Operation => "手術情報",
        _ => "不明",
    };

    public static bool IsOffered(InstitutionSettings settings, InformationType type) => type switch
    {
        InformationType.Pharmacy => settings.OfferMedicationInformation,
        InformationType.Diagnosis => settings.OfferClinicalInformation,
        InformationType.Checkup => settings.OfferCheckupInformation,
        InformationType.Operation => settings.OfferSurgeryInformation,
        _ => false,
    };

    public static IReadOnlyList<string> Offered(InstitutionSettings settings) => [.. All.Where(t => IsOffered(settings, t)).Select(ToWire)];
}
