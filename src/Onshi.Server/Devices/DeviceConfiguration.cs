using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Institutions;

namespace Onshi.Server.Devices;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Label).HasMaxLength(40);
        builder.Property(d => d.KeyThumbprint).HasMaxLength(32);
        builder.HasIndex(d => d.KeyThumbprint).IsUnique();
        builder.Property(d => d.PublicKeyX).HasMaxLength(43).IsUnicode(false);
        builder.Property(d => d.PublicKeyY).HasMaxLength(43).IsUnicode(false);
        builder.HasIndex(d => d.ActivationCodeId).IsUnique();
        builder.HasIndex(d => d.InstitutionId);
        builder.HasOne<Institution>().WithMany().HasForeignKey(d => d.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ActivationCode>().WithMany().HasForeignKey(d => d.ActivationCodeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.ActivatedByAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
