namespace Onshi.Server.Accounts;

/// <summary>権限区分. Stored as its number; never renumber.</summary>
public enum AccountRole
{
    /// <summary>管理者: administration (accounts, 環境設定, アクティベーションコード).</summary>
    Administrator = 1,

    /// <summary>一般利用者: 窓口 staff, qualification confirmation only.</summary>
    General = 2,

    /// <summary>医療情報閲覧: doctors and other qualified staff; also views 薬剤・診療・特定健診 information; needed for the app.</summary>
    MedicalInformationViewer = 3,
}

public static class AccountRoleNames
{
    public static string Japanese(this AccountRole role) => role switch
    {
        AccountRole.Administrator => "管理者",
        AccountRole.General => "一般利用者",
        AccountRole.MedicalInformationViewer => "医療情報閲覧",
        _ => "不明",
    };

    /// <summary>The roles an administrator may give in the portal (the notice's registration screen offers only these two).</summary>
    public static IReadOnlyList<AccountRole> Assignable { get; } = [AccountRole.General, AccountRole.MedicalInformationViewer];
}
