namespace Onshi.Server.MedicalViewing;

public static class MedicalViewingServices
{
    /// <summary>閲覧 of consented medical information in the portal.</summary>
    public static IServiceCollection AddMedicalViewing(this IServiceCollection services)
    {
        services.AddScoped<ViewMedicalInformation>();
        return services;
    }
}
