namespace Onshi.Server.Audit;

public static class AuditServices
{
    /// <summary>The audit log and the verifier of its hash chain (Audit/readme.md).</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditChainVerifier>();
        return services;
    }
}
