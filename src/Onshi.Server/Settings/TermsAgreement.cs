namespace Onshi.Server.Settings;

/// <summary>A record that an administrator agreed to one version of the オンライン資格確認等システム利用規約. Never updated.</summary>
public sealed class TermsAgreement
{
    public long Id { get; set; }

    public int InstitutionId { get; set; }

    public int AccountId { get; set; }

    public required string TermsVersion { get; set; }

    public DateTimeOffset AgreedAt { get; set; }
}
