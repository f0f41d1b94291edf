using Onshi.Server.Data;
using Onshi.Server.Tests.Infrastructure;

namespace Onshi.Server.Tests.Reliability;

/// <summary>
/// Two real server processes on one PostgreSQL database behind a round-robin proxy, and an app device activated
/// through the proxy. Every request opens a new connection, so consecutive requests alternate between the servers.
/// </summary>
public sealed class BalancedServers : IAsyncDisposable
{
    private BalancedServers(ServerProcess one, ServerProcess two, RoundRobinProxy proxy, AppClient app)
    {
        One = one;
        Two = two;
        Proxy = proxy;
        App = app;
    }

    public ServerProcess One { get; }

    public ServerProcess Two { get; }

    public RoundRobinProxy Proxy { get; }

    public AppClient App { get; }

    public Guid DeviceId { get; private set; }

    public static async Task<BalancedServers> StartAsync(string connectionString, Clinic clinic)
    {
        var one = new ServerProcess(DatabaseProvider.Postgres, connectionString);
        var two = new ServerProcess(DatabaseProvider.Postgres, connectionString);
        var proxy = new RoundRobinProxy([one.Port, two.Port]);
        var http = new HttpClient { BaseAddress = proxy.Url, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.ConnectionClose = true;
        var servers = new BalancedServers(one, two, proxy, new AppClient(http, TimeProvider.System));
        try
        {
            await Task.WhenAll(one.StartAsync(), two.StartAsync());
            servers.DeviceId = await ReliabilitySetup.ActivateAsync(servers.App, clinic);
        }
        catch
        {
            // A failed start must not leave server processes behind for the rest of the test run.
            await servers.DisposeAsync();
            throw;
        }

        return servers;
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Proxy.DisposeAsync();
        await Two.DisposeAsync();
        await One.DisposeAsync();
    }
}
