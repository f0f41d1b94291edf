using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Onshi.Agent;

/// <summary>Entry point. onshi-agent --server https://onshi.example.jp/ --client-id rc-… --secret-file secret.txt --root C:\OQS   (or --config agent.json)</summary>
internal static class AgentProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (AgentSecret.IsOnCommandLine(args))
        {
            await Console.Error.WriteLineAsync($"{AgentSecret.RefusedMessage} [{AgentSecret.RefusedCode}]").ConfigureAwait(false);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        var switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["--server"] = "Agent:Server",
            ["--client-id"] = "Agent:ClientId",
            ["--secret-file"] = "Agent:SecretFile",
            ["--root"] = "Agent:Root",
            ["--feed-poll-ms"] = "Agent:FeedPollMilliseconds",
            ["--rescan-ms"] = "Agent:RescanMilliseconds",
            ["--face-encoding"] = "Agent:FaceEncoding",
            ["--config"] = "ConfigFile",
        };
        var commandLine = new ConfigurationBuilder().AddCommandLine(args, switches).Build();
        if (commandLine["ConfigFile"] is { } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        builder.Configuration.AddEnvironmentVariables("ONSHI_AGENT_").AddCommandLine(args, switches);
        builder.Services.AddOptions<AgentOptions>().Bind(builder.Configuration.GetSection(AgentOptions.Section))
            .PostConfigure(options => options.Secret = AgentSecret.Resolve(options.Secret, options.SecretFile))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient("onshi", (services, http) => http.BaseAddress = services.GetRequiredService<IOptions<AgentOptions>>().Value.Server);
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new ReceiptApiClient(services.GetRequiredService<IHttpClientFactory>().CreateClient("onshi"), options.ClientId!, options.Secret!);
        });
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<AgentOptions>>().Value);
        builder.Services.AddSingleton<ReceiptAgent>();
        builder.Services.AddHostedService<AgentHost>();
        await builder.Build().RunAsync().ConfigureAwait(false);
        return 0;
    }
}
