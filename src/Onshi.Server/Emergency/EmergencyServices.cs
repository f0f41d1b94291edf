namespace Onshi.Server.Emergency;

public static class EmergencyServices
{
    /// <summary>緊急時医療情報・資格確認機能: the switch, the search by attributes and the oral consent.</summary>
    public static IServiceCollection AddEmergency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmergencyOptions>().Bind(configuration.GetSection(EmergencyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<EmergencyMode>();
        services.AddScoped<EmergencyLookup>();
        return services;
    }
}
