using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Onshi.Server.Insurance;

/// <summary>保険者 (an insurer): 協会けんぽ, a 健康保険組合, a 国保 municipality, a 後期高齢者医療広域連合 ….</summary>
public sealed class Insurer
{
    /// <summary>保険者番号: 8 digits, or 6 for 国保; validated with its check digit (InsurerNumber.Parse) before storing.</summary>
    public required string Number { get; set; }

    /// <summary>保険者名称.</summary>
    public required string Name { get; set; }
}

internal sealed class InsurerConfiguration : IEntityTypeConfiguration<Insurer>
{
    public void Configure(EntityTypeBuilder<Insurer> builder)
    {
        builder.ToTable("Insurers");
        builder.HasKey(i => i.Number);
        builder.Property(i => i.Number).HasMaxLength(8).IsUnicode(false);
        builder.Property(i => i.Name).HasMaxLength(InsuranceLimits.InsurerName);
    }
}
