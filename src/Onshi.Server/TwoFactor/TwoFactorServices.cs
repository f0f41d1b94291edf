namespace Onshi.Server.TwoFactor;

public static class TwoFactorServices
{
    /// <summary>Two-factor authentication of portal accounts (TwoFactor/readme.md).</summary>
    public static IServiceCollection AddTwoFactor(this IServiceCollection services)
    {
        services.AddSingleton<TwoFactorSecrets>();
        services.AddScoped<EnrolTwoFactor>();
        services.AddScoped<ResetTwoFactor>();
        services.AddScoped<VerifySecondFactor>();
        return services;
    }
}
