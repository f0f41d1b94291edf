using Onshi.Server.Hosting;

// Everything lives in OnshiServer so the operator tool can host the same server in-process.
var builder = OnshiServer.CreateBuilder(args);
var app = OnshiServer.Build(builder);
app.Run();
