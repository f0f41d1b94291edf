// Measures JPEG 2000 → PNG conversion of the 40×30 RGB test photo (docs/pcsc.md quotes the figure).
// The loop is bounded in rounds. Run: dotnet run -c Release --project bench/Onshi.Card.Bench [rounds] [file.jp2]
using System.Diagnostics;
using System.Globalization;
using Onshi.Card.Imaging;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var path = args.Length > 1
    ? args[1]
    : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "Onshi.Card.Tests", "Imaging", "Fixtures", "shapes-rgb-lossless.jp2");
var data = File.ReadAllBytes(path);
if (rounds is < 1 or > 100_000)
{
    Console.Error.WriteLine("rounds must be between 1 and 100000");
    return 2;
}

Jpeg2000Decoder.Decode(data);
var clock = Stopwatch.StartNew();
var bytes = 0L;
for (var i = 0; i < rounds; i++)
{
    bytes += Jpeg2000Decoder.ToPng(data).Length;
}

clock.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"JP2 ({data.Length} B) → PNG ({bytes / rounds} B): {clock.Elapsed.TotalMilliseconds / rounds:0.000} ms each over {rounds} rounds"));
return 0;
