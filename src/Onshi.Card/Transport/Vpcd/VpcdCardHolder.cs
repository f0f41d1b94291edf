namespace Onshi.Card.Transport.Vpcd;

/// <summary>Holds a virtual card in a vpcd slot until cancelled: what a command-line "insert this card" runs.</summary>
public static class VpcdCardHolder
{
    /// <summary>
    /// Serves <paramref name="card"/> to vpcd at <paramref name="host"/>:<paramref name="port"/>, reconnecting whenever
    /// pcscd restarts, until <paramref name="cancellationToken"/> fires. Completes normally on cancellation.
    /// </summary>
    public static async Task RunAsync(
        ICardEmulator card,
        string host,
        int port,
        CancellationToken cancellationToken,
        Action<string>? log = null,
        TimeProvider? timeProvider = null)
    {
        var connector = new VpcdCardConnector(card, host, port, timeProvider, log: log);
        await using (connector.ConfigureAwait(false))
        {
            connector.Start();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider ?? TimeProvider.System, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancellation is how a holder is told to stop; the connector closes the socket on dispose.
            }
        }
    }
}
