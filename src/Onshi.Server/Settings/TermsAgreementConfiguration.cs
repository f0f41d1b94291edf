using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Accounts;
using Onshi.Server.Institutions;

namespace Onshi.Server.Settings;

internal sealed class TermsAgreementConfiguration : IEntityTypeConfiguration<TermsAgreement>
{
    public void Configure(EntityTypeBuilder<TermsAgreement> builder)
    {
        builder.Property(t => t.TermsVersion).HasMaxLength(40).IsUnicode(false);
        builder.HasOne<Institution>().WithMany().HasForeignKey(t => t.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => new { t.InstitutionId, t.AgreedAt });
    }
}
