namespace Onshi.Server.MedicalInformation;

public static class MedicalInformationServices
{
    /// <summary>Medical information records and their retention.</summary>
    public static IServiceCollection AddMedicalInformation(this IServiceCollection services)
    {
        services.AddScoped<PurgeExpiredMedicalInformation>();
        return services;
    }
}
