using System.CommandLine;
using Onshi.Cli.Cards;
using Onshi.Cli.Generate;
using Onshi.Cli.Import;

var root = new RootCommand("Onshi operator tool");
root.Subcommands.Add(CardCommands.Create());
root.Subcommands.Add(ImportCommands.Create());
root.Subcommands.Add(CrlCommands.Create());
root.Subcommands.Add(GenerateCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
