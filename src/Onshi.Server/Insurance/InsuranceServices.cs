namespace Onshi.Server.Insurance;

public static class InsuranceServices
{
    /// <summary>Qualification data: the lookup every confirmation runs.</summary>
    public static IServiceCollection AddInsurance(this IServiceCollection services)
    {
        services.AddScoped<QualificationLookup>();
        return services;
    }
}
