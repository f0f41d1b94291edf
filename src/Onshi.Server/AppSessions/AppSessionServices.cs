namespace Onshi.Server.AppSessions;

public static class AppSessionServices
{
    /// <summary>Staff sessions on a device: the staff's credentials are checked, then the session's token is used.</summary>
    public static IServiceCollection AddAppSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AppSessionOptions>().Bind(configuration.GetSection(AppSessionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CheckStaffCredentials>();
        services.AddScoped<StartAppSession>();
        services.AddScoped<EndAppSession>();
        return services;
    }
}
