using Onshi.Server.Settings;

namespace Onshi.Server.Institutions;

public static class InstitutionServices
{
    /// <summary>Institutions and their settings (環境設定情報).</summary>
    public static IServiceCollection AddInstitutions(this IServiceCollection services)
    {
        services.AddScoped<CreateInstitution>();
        services.AddScoped<UpdateSettings>();
        return services;
    }
}
