namespace Onshi.Core.Codes;

/// <summary>券種 (OQSCD018), 医療扶助 MedicalTicketInfo/TicketType.</summary>
public enum MedicalTicketType
{
    /// <summary>01 医療券.</summary>
    MedicalTicket = 1,

    /// <summary>02 調剤券.</summary>
    DispensingTicket = 2,
}

/// <summary>診療別 (OQSCD019).</summary>
public enum MedicalTreatmentType
{
    /// <summary>01 入院.</summary>
    Inpatient = 1,

    /// <summary>02 入院外.</summary>
    Outpatient = 2,

    /// <summary>03 歯科.</summary>
    Dental = 3,

    /// <summary>04 調剤.</summary>
    Dispensing = 4,

    /// <summary>05 訪問看護.</summary>
    HomeNursing = 5,
}

/// <summary>単独/併用 (OQSCD020).</summary>
public enum SingleOrCombinedUse
{
    /// <summary>01 単独.</summary>
    SingleUse = 1,

    /// <summary>02 併用.</summary>
    CombinedUse = 2,
}

/// <summary>社会保険 有無 (OQSCD021).</summary>
public enum StatusOfSocialInsurance
{
    /// <summary>01 あり.</summary>
    Present = 1,

    /// <summary>02 なし.</summary>
    Absent = 2,
}

/// <summary>不整合フラグ (OQSCD022).</summary>
public enum ConsistencyFlag
{
    /// <summary>1 不整合あり.</summary>
    Inconsistent = 1,
}

/// <summary>指定医療機関 一致フラグ (OQSCD026).</summary>
public enum DesignatedInstitutionFlag
{
    /// <summary>0 一致.</summary>
    Matches = 0,

    /// <summary>1 不一致.</summary>
    DoesNotMatch = 1,
}
