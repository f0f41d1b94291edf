using Microsoft.Extensions.Options;
using Onshi.Jpki;

namespace Onshi.Server.Revocation;

public static class RevocationServices
{
    /// <summary>Card verification: trust anchors from configuration, CRLs from the database (Revocation/readme.md).</summary>
    public static IServiceCollection AddCardVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JpkiOptions>().Bind(configuration.GetSection(JpkiOptions.Section), binder => binder.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton(sp => JpkiOptions.LoadAnchors(sp.GetRequiredService<IOptions<JpkiOptions>>().Value.TrustAnchors));
        services.AddSingleton(sp => new JpkiRevocationStore(
            sp.GetRequiredService<JpkiTrustAnchors>(),
            new CrlFreshnessPolicy { AllowMissingRevocationList = sp.GetRequiredService<IOptions<JpkiOptions>>().Value.AllowMissingRevocationList }));
        services.AddSingleton(sp => new JpkiVerifier(sp.GetRequiredService<JpkiTrustAnchors>(), sp.GetRequiredService<JpkiRevocationStore>()));
        services.AddSingleton(sp => JpkiOptions.LoadCardPresenceVerifier(sp.GetRequiredService<IOptions<JpkiOptions>>().Value.CardFaceTrustAnchors));
        services.AddSingleton<RevocationListSync>();
        services.AddHostedService<RevocationListPoller>();
        services.AddScoped<StoreRevocationList>();
        return services;
    }
}
