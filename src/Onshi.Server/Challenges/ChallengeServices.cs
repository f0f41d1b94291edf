namespace Onshi.Server.Challenges;

public static class ChallengeServices
{
    /// <summary>Single-use challenges the card signs.</summary>
    public static IServiceCollection AddChallenges(this IServiceCollection services)
    {
        services.AddScoped<IssueChallenge>();
        return services;
    }
}
