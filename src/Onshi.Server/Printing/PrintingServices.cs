namespace Onshi.Server.Printing;

public static class PrintingServices
{
    /// <summary>PDF output of results (setting <c>Printing:FontFile</c> overrides the default font candidates).</summary>
    public static IServiceCollection AddPrinting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrintingOptions>(configuration.GetSection("Printing"));
        services.AddSingleton<ResultPdf>();
        return services;
    }
}
