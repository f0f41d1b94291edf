using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Onshi.Server.Accounts;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.Property(a => a.UserId).HasMaxLength(8).IsUnicode(false);
        builder.Property(a => a.NormalizedUserId).HasMaxLength(8).IsUnicode(false);
        builder.HasIndex(a => new { a.InstitutionId, a.NormalizedUserId }).IsUnique();
        builder.Property(a => a.Name).HasMaxLength(50);
        builder.Property(a => a.NameKana).HasMaxLength(50);
        builder.Property(a => a.PasswordHash).HasMaxLength(200).IsUnicode(false);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasOne(a => a.Institution).WithMany().HasForeignKey(a => a.InstitutionId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(a => a.HasCompletedFirstLogin);
    }
}
