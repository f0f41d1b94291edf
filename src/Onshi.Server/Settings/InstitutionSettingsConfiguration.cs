using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Institutions;

namespace Onshi.Server.Settings;

internal sealed class InstitutionSettingsConfiguration : IEntityTypeConfiguration<InstitutionSettings>
{
    public void Configure(EntityTypeBuilder<InstitutionSettings> builder)
    {
        builder.HasKey(s => s.InstitutionId);
        builder.HasOne<Institution>().WithOne().HasForeignKey<InstitutionSettings>(s => s.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
