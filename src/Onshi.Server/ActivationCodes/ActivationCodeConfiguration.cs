using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Institutions;

namespace Onshi.Server.ActivationCodes;

internal sealed class ActivationCodeConfiguration : IEntityTypeConfiguration<ActivationCode>
{
    public void Configure(EntityTypeBuilder<ActivationCode> builder)
    {
        builder.Property(c => c.Label).HasMaxLength(40);
        builder.Property(c => c.CodeHash).HasMaxLength(32);
        builder.HasIndex(c => c.CodeHash).IsUnique();
        builder.HasIndex(c => new { c.InstitutionId, c.IssuedAt });
        builder.HasIndex(c => c.DeviceId);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Institution>().WithMany().HasForeignKey(c => c.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.IssuedBy).WithMany().HasForeignKey(c => c.IssuedByAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
