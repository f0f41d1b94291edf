using Onshi.Server.Hosting;

// Everything lives in OnshiServer so the operator tool can host the same server in-process.
var builder = OnshiServer.CreateBuilder(args);
WebApplication app;
try
{
    app = OnshiServer.Build(builder);
}
catch (UnsafeProductionSettingsException exception)
{
    await Console.Error.WriteLineAsync($"{exception.Message}\n({UnsafeProductionSettingsException.MachineCode})");
    return 4;
}

await app.RunAsync();
return 0;
