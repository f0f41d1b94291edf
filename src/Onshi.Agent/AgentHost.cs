using Microsoft.Extensions.Hosting;

namespace Onshi.Agent;

/// <summary>Runs the agent as the host's background service (Ctrl+C / service stop cancels it cleanly).</summary>
internal sealed class AgentHost(ReceiptAgent agent) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => agent.RunAsync(stoppingToken);
}
