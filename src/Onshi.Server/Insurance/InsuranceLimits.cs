namespace Onshi.Server.Insurance;

/// <summary>
/// Column lengths of the insurance data, shared by the EF model and the CSV import (which must refuse what the
/// database would refuse, with a line number). 記号/番号 ≤ 20 follow the XML interface (oqs-system.md §4).
/// </summary>
public static class InsuranceLimits
{
    public const int InsurerName = 100;
    public const int PersonName = 100;
    public const int Address = 200;
    public const int PostNumber = 8;
    public const int Symbol = 20;
    public const int Number = 20;
    public const int Branch = 2;
    public const int LinkageKey = 160;
    public const int InstitutionName = 100;
    public const int MedicalText = 200;
    public const int DrugCode = 12;
    public const int ProcedureCode = 12;
}
