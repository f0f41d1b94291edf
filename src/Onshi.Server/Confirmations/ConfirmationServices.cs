namespace Onshi.Server.Confirmations;

public static class ConfirmationServices
{
    /// <summary>資格確認 from the app: the card check, the confirmation and its stored record.</summary>
    public static IServiceCollection AddConfirmations(this IServiceCollection services)
    {
        services.AddScoped<ConfirmQualification>();
        services.AddScoped<CheckCard>();
        services.AddSingleton<ConfirmationWriter>();
        return services;
    }
}
