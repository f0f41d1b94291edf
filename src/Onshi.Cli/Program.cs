using System.CommandLine;

var root = new RootCommand("Onshi operator tool");
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
