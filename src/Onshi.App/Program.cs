using Onshi.App.Hosting;

var (options, error) = AppOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(error);
    return error == AppOptions.Usage ? 0 : 1;
}

var app = OnshiApp.Build(options);
await app.RunAsync();
return 0;
