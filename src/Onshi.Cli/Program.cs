using System.CommandLine;
using Onshi.Cli.Cards;

var root = new RootCommand("Onshi operator tool");
root.Subcommands.Add(CardCommands.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
