using Onshi.Core.Codes;

namespace Onshi.OqsXml.Layout;

/// <summary>
/// A 業務コード table (別紙5-1, OQSCDxxx) as the layout checks it: codes and meanings only. Built from the shared
/// tables of Onshi.Core.Codes (<see cref="From"/>); only tables Core does not have (values that are 推定) or a
/// deliberate subset are written here.
/// </summary>
public sealed class CodeSet
{
    private readonly HashSet<string> _codes;

    public CodeSet(string id, string name, params (string Code, string Meaning)[] entries)
    {
        Id = id;
        Name = name;
        Entries = entries;
        _codes = new HashSet<string>(entries.Select(e => e.Code), StringComparer.Ordinal);
    }

    /// <summary>The table id, e.g. <c>OQSCD006</c>.</summary>
    public string Id { get; }

    public string Name { get; }

    public IReadOnlyList<(string Code, string Meaning)> Entries { get; }

    public bool Contains(string code) => _codes.Contains(code);

    /// <summary>The layout's view of a shared code table: same id, name, codes and labels.</summary>
    public static CodeSet From<TEnum>(CodeTable<TEnum> table)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(table);
        return new(table.Id, table.Name, [.. table.Entries.Select(e => (e.Code, e.Label))]);
    }

    public string? MeaningOf(string? code)
    {
        foreach (var (c, meaning) in Entries)
        {
            if (c == code)
            {
                return meaning;
            }
        }

        return null;
    }
}

/// <summary>The code tables the folder interface uses (values from oqs-system.md §3.5, held in Onshi.Core.Codes.OqsCodes).</summary>
public static class OqsCodeSets
{
    public static CodeSet ConsentFlag { get; } = CodeSet.From(OqsCodes.LimitCertificateConsentFlag);

    public static CodeSet ReferenceClassification { get; } = CodeSet.From(OqsCodes.ReferenceClassification);

    public static CodeSet SegmentOfResult { get; } = CodeSet.From(OqsCodes.SegmentOfResult);

    public static CodeSet ProcessingResultStatus { get; } = CodeSet.From(OqsCodes.ProcessingResultStatus);

    public static CodeSet CharacterCodeIdentifier { get; } = CodeSet.From(OqsCodes.CharacterCodeIdentifier);

    public static CodeSet QualificationValidity { get; } = CodeSet.From(OqsCodes.QualificationValidity);

    public static CodeSet Sex { get; } = CodeSet.From(OqsCodes.Sex);

    public static CodeSet ReasonOfLoss { get; } = CodeSet.From(OqsCodes.ReasonOfLoss);

    public static CodeSet PersonalFamilyClassification { get; } = CodeSet.From(OqsCodes.PersonalFamilyClassification);

    public static CodeSet InsuredCardClassification { get; } = CodeSet.From(OqsCodes.InsuredCardClassification);

    public static CodeSet LimitCertificateClassification { get; } = CodeSet.From(OqsCodes.LimitCertificateClassification);

    public static CodeSet LimitCertificateClassificationFlag { get; } = CodeSet.From(OqsCodes.LimitApplicationBracket);

    public static CodeSet SpecificDiseaseCategory { get; } = CodeSet.From(OqsCodes.SpecificDiseaseCategory);

    public static CodeSet LimitCertificateChanged { get; } = CodeSet.From(OqsCodes.LimitCertificateChanged);

    public static CodeSet PreschoolClassification { get; } = CodeSet.From(OqsCodes.PreschoolClassification);

    public static CodeSet InformationConsentFlag { get; } = CodeSet.From(OqsCodes.ConsentFlag);

    public static CodeSet PrescriptionIssueSelect { get; } = CodeSet.From(OqsCodes.PrescriptionIssueSelect);

    public static CodeSet TicketType { get; } = CodeSet.From(OqsCodes.MedicalTicketType);

    public static CodeSet MedicalTreatmentType { get; } = CodeSet.From(OqsCodes.MedicalTreatmentType);

    public static CodeSet SingleOrCombinedUse { get; } = CodeSet.From(OqsCodes.SingleOrCombinedUse);

    public static CodeSet StatusOfSocialInsurance { get; } = CodeSet.From(OqsCodes.StatusOfSocialInsurance);

    public static CodeSet ConsistencyFlag { get; } = CodeSet.From(OqsCodes.ConsistencyFlag);

    // OQSCD023–025: only the table names are public; the values are our guess (01 該当, 02 非該当), docs/receipt-xml.md.
    public static CodeSet StatusOfInfection { get; } = new("OQSCD023", "感染症法第37条の2の該当状況（値は推定）", ("01", "該当"), ("02", "非該当"));

    public static CodeSet StatusOfElderlyMedicalCare { get; } = new("OQSCD024", "後期高齢者医療の該当状況（値は推定）", ("01", "該当"), ("02", "非該当"));

    public static CodeSet StatusOfPrefecturalExpenses { get; } = new("OQSCD025", "都道府県費の該当状況（値は推定）", ("01", "該当"), ("02", "非該当"));

    public static CodeSet DesignatedMedicalInstitutionFlag { get; } = CodeSet.From(OqsCodes.DesignatedInstitutionFlag);

    /// <summary>Only 2 and 3 are meaningful in the 同意済資格情報一括取得 requests.</summary>
    public static CodeSet MedicalTreatmentFlag { get; } = new("OQSCD028", "診療区分", ("2", "訪問診療等"), ("3", "オンライン診療等"));
}
