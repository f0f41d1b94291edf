using System.CommandLine;
using Onshi.Cli.Cards;
using Onshi.Cli.Database;
using Onshi.Cli.Hosting;
using Onshi.Cli.Institutions;

var root = new RootCommand("Onshi operator tool");
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(InstitutionCommands.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(CardCommands.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
