using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Onshi.Server.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Actor).HasMaxLength(40);
        builder.Property(a => a.Action).HasMaxLength(60).IsUnicode(false);
        builder.Property(a => a.Target).HasMaxLength(80);
        builder.Property(a => a.Detail).HasMaxLength(400);
        builder.HasIndex(a => new { a.InstitutionId, a.OccurredAt });
    }
}
