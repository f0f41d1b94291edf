using Onshi.Fuzz;
using SharpFuzz;

// Usage: Onshi.Fuzz TARGET            — run under afl-fuzz (input on stdin, via SharpFuzz's fork server)
//        Onshi.Fuzz TARGET --replay F — run one input file once outside AFL (to reproduce a crash)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync("usage: Onshi.Fuzz <" + string.Join('|', FuzzTargets.All.Keys) + "> [--replay FILE]");
    return 2;
}

if (args.Length == 3 && args[1] == "--replay")
{
    target(File.ReadAllBytes(args[2]));
    Console.WriteLine("no crash");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
