using System.Globalization;

namespace Onshi.Bench;

/// <summary>The benchmark's options: <c>--name value</c> pairs, lists comma-separated, durations like <c>20s</c>.</summary>
public sealed class BenchArgs
{
    private static readonly char[] Separators = [',', '|'];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    _values[name] = "true";
                }

                name = arg[2..];
            }
            else if (name is not null)
            {
                _values[name] = arg;
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }

        if (name is not null)
        {
            _values[name] = "true";
        }
    }

    public string Text(string name, string fallback) => _values.TryGetValue(name, out var value) ? value : fallback;

    public int Count(string name, int fallback) => _values.TryGetValue(name, out var value) ? ParseCount(value) : fallback;

    public bool Flag(string name) => _values.TryGetValue(name, out var value) && value == "true";

    public IReadOnlyList<int> Ints(string name, string fallback) =>
        [.. Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseCount)];

    public IReadOnlyList<string> Texts(string name, string fallback) =>
        [.. Text(name, fallback).Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public TimeSpan Duration(string name, string fallback)
    {
        var text = Text(name, fallback);
        return text.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture))
            : text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture))
            : text.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
    }

    /// <summary>Counts accept k/M suffixes: 10k, 1M, 10M.</summary>
    public static int ParseCount(string text) =>
        text.EndsWith('M') ? checked(int.Parse(text[..^1], CultureInfo.InvariantCulture) * 1_000_000)
        : text.EndsWith('k') ? checked(int.Parse(text[..^1], CultureInfo.InvariantCulture) * 1_000)
        : int.Parse(text, CultureInfo.InvariantCulture);
}
