using System.Globalization;
using Onshi.Card.Transport.Pcsc;

namespace Onshi.App.Tests.Infrastructure;

/// <summary>
/// pcscd + vpcd from the environment (scripts/test). Test assemblies run in parallel and Onshi.Card.Tests uses the
/// first vpcd slot ("… 00 00", port N), so these tests take the second one ("… 00 01", port N+1), which vpcd always
/// offers next to the first.
/// </summary>
public static class PcscSlot
{
    public static readonly TimeSpan CardWait = TimeSpan.FromSeconds(20);

    public static string Reader { get; private set; } = "";

    public static int Port { get; private set; }

    public static void Require()
    {
        var reader = Environment.GetEnvironmentVariable("ONSHI_TEST_PCSC_READER");
        var port = Environment.GetEnvironmentVariable("ONSHI_TEST_VPCD_PORT");
        if (string.IsNullOrEmpty(reader) || string.IsNullOrEmpty(port))
        {
            Onshi.Tests.MissingService.Skip("ONSHI_TEST_PCSC_READER and ONSHI_TEST_VPCD_PORT are not set: no pcscd with vpcd to test against (scripts/test provides one).");
        }

        var first = int.Parse(port, CultureInfo.InvariantCulture);
        (Reader, Port) = reader.EndsWith(" 00", StringComparison.Ordinal) ? (reader[..^3] + " 01", first + 1) : (reader, first);
    }

    /// <summary>Waits until pcscd shows the slot with or without a card (bounded by <see cref="CardWait"/>).</summary>
    public static async Task WaitUntilAsync(bool present, CancellationToken cancellationToken)
    {
        using var context = PcscContext.Establish();
        var deadline = TimeProvider.System.GetUtcNow() + CardWait;
        var snapshot = await context.GetStatusAsync(cancellationToken);
        while (snapshot.Find(Reader) is not { } status || status.CardPresent != present)
        {
            var remaining = deadline - TimeProvider.System.GetUtcNow();
            Assert.True(remaining > TimeSpan.Zero, $"the reader {Reader} did not show present={present} within {CardWait}");
            snapshot = await context.WaitForChangeAsync(snapshot, remaining, cancellationToken);
        }
    }
}

/// <summary>The browser tests take turns: they share the vpcd slot, and two Chromiums on two cores help nobody.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialBrowserTests
{
    public const string Name = "App browser tests (one at a time; the vpcd slot is shared)";
}
