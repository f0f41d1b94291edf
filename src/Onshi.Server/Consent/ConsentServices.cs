namespace Onshi.Server.Consent;

public static class ConsentServices
{
    /// <summary>Withdrawal of a consent given at confirmation.</summary>
    public static IServiceCollection AddConsent(this IServiceCollection services)
    {
        services.AddScoped<WithdrawConsent>();
        return services;
    }
}
