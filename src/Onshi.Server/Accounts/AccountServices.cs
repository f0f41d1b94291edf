using Microsoft.AspNetCore.Identity;

namespace Onshi.Server.Accounts;

public static class AccountServices
{
    /// <summary>Portal accounts: password hashing and policy, log-in with lockout, and the administrator's account operations.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = PasswordHashing.Iterations;
        });
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<PasswordPolicy>();
        services.AddScoped<LogIn>();
        services.AddScoped<AccountLockout>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<CreateAccount>();
        services.AddScoped<UpdateAccount>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<UnlockAccount>();
        services.AddScoped<StopAccount>();
        return services;
    }
}
