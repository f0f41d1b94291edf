using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Onshi.Server.Devices;

/// <summary>
/// A DPoP proof already accepted: the key is SHA-256(thumbprint ‖ jti), unique, so a second insert of the same proof
/// fails in the database whichever server process receives it. Rows are deleted after <see cref="ExpiresAt"/>, when
/// the proof's iat is outside the accepted window anyway.
/// </summary>
public sealed class UsedProof
{
    public required byte[] Key { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public static byte[] KeyOf(DeviceProof proof)
    {
        var jti = Encoding.UTF8.GetBytes(proof.Jti);
        var input = new byte[proof.Key.Thumbprint.Length + jti.Length];
        proof.Key.Thumbprint.CopyTo(input, 0);
        jti.CopyTo(input, proof.Key.Thumbprint.Length);
        return SHA256.HashData(input);
    }
}

internal sealed class UsedProofConfiguration : IEntityTypeConfiguration<UsedProof>
{
    public void Configure(EntityTypeBuilder<UsedProof> builder)
    {
        builder.HasKey(p => p.Key);
        builder.Property(p => p.Key).HasMaxLength(32);
        builder.HasIndex(p => p.ExpiresAt);
    }
}
