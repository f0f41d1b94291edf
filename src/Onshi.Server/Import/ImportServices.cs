namespace Onshi.Server.Import;

public static class ImportServices
{
    /// <summary>`onshi import`: CSV files into the qualification and medical tables.</summary>
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.AddScoped<CsvImporter>();
        return services;
    }
}
