namespace Onshi.Server.Settings;

/// <summary>環境設定情報 of one institution (one row per institution, created with it).</summary>
public sealed class InstitutionSettings
{
    public int InstitutionId { get; set; }

    /// <summary>外来診療等(通常とは異なる動線)機能; turning it on requires agreeing to the 利用規約.</summary>
    public bool OutpatientFunction { get; set; }

    /// <summary>訪問診療等機能.</summary>
    public bool HomeVisitFunction { get; set; }

    /// <summary>オンライン診療等機能.</summary>
    public bool OnlineCareFunction { get; set; }

    /// <summary>薬剤情報 offered for consent (default 利用する).</summary>
    public bool OfferMedicationInformation { get; set; } = true;

    /// <summary>診療情報 offered for consent (default 利用しない).</summary>
    public bool OfferClinicalInformation { get; set; }

    /// <summary>特定健診情報 offered for consent (default 利用する).</summary>
    public bool OfferCheckupInformation { get; set; } = true;

    /// <summary>手術情報 offered for consent (default 利用しない).</summary>
    public bool OfferSurgeryInformation { get; set; }

    /// <summary>
    /// 処方箋を発行する: a 医療機関 that prescribes (a 薬局 does not). Where it does, the app asks the patient 処方箋の発行形態
    /// (紙 / 電子), as the face reader does, and the answer reaches the レセコン as PrescriptionIssueSelect (OQSCD017).
    /// </summary>
    public bool IssuesPrescriptions { get; set; }

    /// <summary>二要素認証を必須にする: 管理者 and 医療情報閲覧 accounts must enrol a TOTP authenticator and use it at every login.</summary>
    public bool RequireTwoFactor { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int? UpdatedByAccountId { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();
}
