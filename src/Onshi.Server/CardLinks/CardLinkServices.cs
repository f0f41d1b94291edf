namespace Onshi.Server.CardLinks;

public static class CardLinkServices
{
    /// <summary>健康保険証利用登録: linking a card's certificate to an insured person.</summary>
    public static IServiceCollection AddCardLinks(this IServiceCollection services)
    {
        services.AddScoped<LinkCard>();
        return services;
    }
}
