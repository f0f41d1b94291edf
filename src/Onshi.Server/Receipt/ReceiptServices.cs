using Microsoft.AspNetCore.Authentication;
using Onshi.OqsXml;

namespace Onshi.Server.Receipt;

public static class ReceiptServices
{
    /// <summary>
    /// The レセコン interface: machine accounts and their authentication scheme, the JSON API (whose OQS layout types
    /// hold EquatableLists), the bulk worker and the confirmation feed.
    /// </summary>
    public static IServiceCollection AddReceipt(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(ReceiptOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CreateMachineAccount>();
        services.AddScoped<RotateMachineSecret>();
        services.AddScoped<StopMachineAccount>();
        services.AddScoped<OqsResultMapping>();
        services.AddScoped<ReceiptOperations>();
        services.AddScoped<ReceiptFeed>();
        services.AddScoped<BulkJobs>();
        services.AddScoped<BulkJobProcessor>();
        services.AddSingleton<BulkJobSignal>();
        services.AddHostedService<BulkJobWorker>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new EquatableListJsonConverter()));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, MachineAuthenticationHandler>(MachineAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(MachineAuthenticationHandler.Policy, policy => policy
                .AddAuthenticationSchemes(MachineAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(MachineAuthenticationHandler.MachineAccountIdType));
        return services;
    }
}
