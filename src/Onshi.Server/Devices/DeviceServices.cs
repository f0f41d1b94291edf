namespace Onshi.Server.Devices;

public static class DeviceServices
{
    /// <summary>Devices of the マイナ資格確認アプリ: activation, the per-request device proof, and the cleanup of expired records.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceProofOptions>().Bind(configuration.GetSection(DeviceProofOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.ReplayMemoryMinutes * 60 > 2 * o.IssuedAtWindowSeconds, DeviceProofOptions.ReplayMemoryTooShort).ValidateOnStart();
        services.AddScoped<ProofLedger>();
        services.AddScoped<ActivateDevice>();
        services.AddHostedService<ExpiredRecordsCleanup>();
        return services;
    }
}
