using System.Globalization;
using Onshi.Card.Transport.Pcsc;

namespace Onshi.Card.Tests.Transport.Pcsc;

/// <summary>What every test against the real pcscd + vpcd needs: the reader from the environment, and waiting for a slot state.</summary>
internal static class RealStack
{
    /// <summary>Generous: pcscd notices a vpcd card only at its next presence poll.</summary>
    public static readonly TimeSpan CardWait = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static (string Reader, int Port) Require()
    {
        var reader = Environment.GetEnvironmentVariable("ONSHI_TEST_PCSC_READER");
        var port = Environment.GetEnvironmentVariable("ONSHI_TEST_VPCD_PORT");
        if (string.IsNullOrEmpty(reader) || string.IsNullOrEmpty(port))
        {
            Onshi.Tests.MissingService.Skip("ONSHI_TEST_PCSC_READER and ONSHI_TEST_VPCD_PORT are not set: no pcscd with vpcd to test against (scripts/test provides one).");
        }

        return (reader, int.Parse(port, CultureInfo.InvariantCulture));
    }

    /// <summary>Follows state changes until the reader shows (or stops showing) a card; bounded by <see cref="CardWait"/>.</summary>
    public static async Task<PcscReaderSnapshot> WaitUntilAsync(
        PcscContext context, string reader, bool present, PcscReaderSnapshot? from = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + CardWait;
        var snapshot = from ?? await context.GetStatusAsync(Ct);
        while (snapshot.Find(reader) is not { } status || status.CardPresent != present)
        {
            var remaining = deadline - TimeProvider.System.GetUtcNow();
            Assert.True(remaining > TimeSpan.Zero, $"the reader did not show present={present} within {CardWait}");
            snapshot = await context.WaitForChangeAsync(snapshot, remaining, Ct);
        }

        return snapshot;
    }
}
