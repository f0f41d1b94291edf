namespace Onshi.Server.AppApi;

public static class AppApiServices
{
    /// <summary>The edge of the マイナ資格確認アプリ API: the per-request device proof filter (its operations come from their features).</summary>
    public static IServiceCollection AddAppApi(this IServiceCollection services)
    {
        services.AddScoped<DeviceProofFilter>();
        return services;
    }
}
