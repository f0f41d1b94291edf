namespace Onshi.Server.ActivationCodes;

public static class ActivationCodeServices
{
    /// <summary>Activation codes: issued in the portal, redeemed once by a device.</summary>
    public static IServiceCollection AddActivationCodes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ActivationCodeOptions>().Bind(configuration.GetSection(ActivationCodeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IssueActivationCode>();
        services.AddScoped<InvalidateActivationCode>();
        services.AddScoped<RedeemActivationCode>();
        return services;
    }
}
