namespace Onshi.Server.Institutions;

/// <summary>A hospital, clinic or pharmacy (医療機関等) using Onshi; every other record belongs to exactly one.</summary>
public sealed class Institution
{
    public int Id { get; set; }

    /// <summary>医療機関コード, 10 digits, validated with its check digit before it gets here.</summary>
    public required string Code { get; set; }

    /// <summary>機関名.</summary>
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
