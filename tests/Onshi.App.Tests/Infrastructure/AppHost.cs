using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Onshi.App.Core.Api;
using Onshi.App.Core.Flow;
using Onshi.App.Hosting;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>How the card reaches the app in a test.</summary>
public enum CardPath
{
    /// <summary>The simulated reader: virtual card in memory.</summary>
    Simulated,

    /// <summary>The app's PC/SC reader; the panel serves the card into pcscd through vpcd.</summary>
    RealPcsc,
}

/// <summary>The app, built exactly as onshi-app builds it, on Kestrel at 127.0.0.1 (free port).</summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppHost(WebApplication app, string dataFolder, string cardsFolder)
    {
        _app = app;
        DataFolder = dataFolder;
        CardsFolder = cardsFolder;
    }

    public string DataFolder { get; }

    public string CardsFolder { get; }

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public AppFlow Flow => _app.Services.GetRequiredService<AppFlow>();

    public static async Task<AppHost> StartAsync(Uri server, string cardsFolder, CardPath path)
    {
        var data = Path.Combine(Path.GetTempPath(), "onshi-app-tests", "app-" + Guid.NewGuid().ToString("N"));
        var options = new AppOptions
        {
            Server = server,
            DataFolder = data,
            Url = new Uri("http://127.0.0.1:0/"),
            CardsFolder = cardsFolder,
            Reader = path == CardPath.Simulated ? "simulated" : "pcsc:" + PcscSlot.Reader,
            PanelVpcdPort = path == CardPath.Simulated ? null : PcscSlot.Port,
        };
        var app = OnshiApp.Build(options, services => services.AddSingleton(new RetryPolicy(4, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))));
        await app.StartAsync();
        var host = new AppHost(app, data, cardsFolder);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Url = new Uri(address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }
}
