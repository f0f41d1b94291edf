using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Onshi.Server.Accounts;

namespace Onshi.Server.TwoFactor;

/// <summary>An account's confirmed TOTP authenticator (二要素認証). At most one per account; enrolling again replaces it.</summary>
public sealed class TwoFactorCredential
{
    public int AccountId { get; set; }

    public int InstitutionId { get; set; }

    /// <summary>The shared secret, encrypted with ASP.NET Core Data Protection (<see cref="TwoFactorSecrets"/>); never stored in clear.</summary>
    public required string ProtectedSecret { get; set; }

    public DateTimeOffset EnabledAt { get; set; }

    /// <summary>The RFC 6238 time step of the last accepted code; a code for this step or an earlier one is refused (no replay).</summary>
    public long LastUsedTimeStep { get; set; }
}

/// <summary>A one-time recovery code (リカバリーコード), stored only as a password hash.</summary>
public sealed class RecoveryCode
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int InstitutionId { get; set; }

    public required string Hash { get; set; }

    /// <summary>Set when the code was used; a used code never works again.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class TwoFactorCredentialConfiguration : IEntityTypeConfiguration<TwoFactorCredential>
{
    public void Configure(EntityTypeBuilder<TwoFactorCredential> builder)
    {
        builder.HasKey(c => c.AccountId);
        builder.HasOne<Account>().WithOne().HasForeignKey<TwoFactorCredential>(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.ProtectedSecret).HasMaxLength(500).IsUnicode(false);
        builder.HasIndex(c => c.InstitutionId);
    }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Hash).HasMaxLength(200).IsUnicode(false);
        builder.HasIndex(c => c.AccountId);
    }
}
