using Onshi.Bench;

// One executable, four commands: "confirm" and "import" are the benchmarks (docs/performance.md); "serve" and
// "import-one" are the child processes they start, so that the server's and the importer's memory are measured alone.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var command = args.Length > 0 ? args[0] : "";
var options = new BenchArgs(args.Skip(1));
return command switch
{
    "confirm" => await ConfirmBenchmark.RunAsync(options, cancel.Token),
    "import" => await ImportBenchmark.RunAsync(options, cancel.Token),
    "serve" => await BenchServerHost.RunAsync(cancel.Token),
    "import-one" => await ImportBenchmark.ImportOneAsync(options, cancel.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Onshi.Bench -- confirm [--store sqlite,postgres] [--persons 10k,1M]
                   [--concurrency 1,8,32,64] [--duration 20s] [--requests 5000] [--cards 2000] [--devices 64] [--revoked 10000] [--repeat 3]
               dotnet run -c Release --project bench/Onshi.Bench -- import [--store sqlite,postgres] [--persons 1M] [--repeat 3] [--exclusive]
        """);
    return 2;
}
