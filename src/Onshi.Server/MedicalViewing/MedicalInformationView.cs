using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Accounts;
using Onshi.Server.Consent;
using Onshi.Server.Institutions;

namespace Onshi.Server.MedicalViewing;

/// <summary>
/// One viewing of a patient's medical information by a 医療情報閲覧 account: written before the information is shown,
/// in the same commit as nothing else, so no view happens without its log line (医療情報閲覧履歴照会).
/// </summary>
public sealed class MedicalInformationView
{
    public long Id { get; set; }

    public int InstitutionId { get; set; }

    public int AccountId { get; set; }

    /// <summary>ユーザID at the time of viewing.</summary>
    public required string AccountUserId { get; set; }

    public long PersonId { get; set; }

    public string? PatientName { get; set; }

    public InformationType InformationType { get; set; }

    /// <summary>The app confirmation whose consent allowed the view; null for a view under 緊急時医療情報・資格確認機能.</summary>
    public Guid? ConfirmationId { get; set; }

    /// <summary>The oral consent recorded under 緊急時医療情報・資格確認機能 that allowed the view (Emergency/readme.md).</summary>
    public Guid? EmergencyConsentId { get; set; }

    public DateTimeOffset ViewedAt { get; set; }

    /// <summary>How many records were shown.</summary>
    public int RecordCount { get; set; }
}

internal sealed class MedicalInformationViewConfiguration : IEntityTypeConfiguration<MedicalInformationView>
{
    public void Configure(EntityTypeBuilder<MedicalInformationView> builder)
    {
        builder.Property(v => v.AccountUserId).HasMaxLength(40);
        builder.Property(v => v.PatientName).HasMaxLength(100);
        builder.HasIndex(v => new { v.InstitutionId, v.ViewedAt });
        builder.HasOne<Institution>().WithMany().HasForeignKey(v => v.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(v => v.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
