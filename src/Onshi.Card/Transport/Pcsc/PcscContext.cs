using System.Runtime.InteropServices;

namespace Onshi.Card.Transport.Pcsc;

/// <summary>
/// A connection to the PC/SC service (pcscd, the Windows smart card service, or macOS's CryptoTokenKit bridge):
/// lists readers, reports reader and card state, and waits for cards.
/// </summary>
/// <remarks>
/// Calls on one context are serialised (pcsc-lite locks the context for the whole of a blocking wait anyway).
/// A connected card gets its own context (<see cref="PcscCardTransport.Connect"/>) so that a long wait here never
/// delays an APDU exchange. Waits are issued in slices of at most one second so a cancellation that races the
/// start of a native call still takes effect promptly; SCardCancel makes the common case immediate.
/// </remarks>
public sealed class PcscContext : IDisposable
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly PcscNative _native;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private nint _handle;
    private int _disposed;

    private PcscContext(PcscNative native, nint handle, TimeProvider timeProvider)
    {
        _native = native;
        _handle = handle;
        _timeProvider = timeProvider;
    }

    /// <summary>Opens a context to the system PC/SC service.</summary>
    /// <exception cref="CardTransportException">ReaderUnavailable when there is no PC/SC library or service.</exception>
    public static PcscContext Establish(TimeProvider? timeProvider = null)
    {
        var native = PcscNative.Shared;
        var rc = native.EstablishContext(out var handle);
        if (rc != PcscConstants.Success)
        {
            throw PcscErrors.Exception("SCardEstablishContext", rc, PcscPhase.Context);
        }

        return new PcscContext(native, handle, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The readers connected now; empty when there are none.</summary>
    public IReadOnlyList<string> ListReaders()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _gate.Wait();
        try
        {
            return ListReadersLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The state of every reader now, without waiting.</summary>
    public async Task<PcscReaderSnapshot> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunBlocking(() => SnapshotLocked(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Waits until a reader is plugged in or out, or a card is inserted, removed, taken or released, and returns
    /// the new state. Returns a snapshot equal to <paramref name="previous"/> when nothing changed within
    /// <paramref name="timeout"/> (check <see cref="PcscReaderSnapshot.DiffersFrom"/>), so a UI can poll in a loop.
    /// </summary>
    public async Task<PcscReaderSnapshot> WaitForChangeAsync(
        PcscReaderSnapshot previous, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        CheckTimeout(timeout);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunBlocking(() => WaitForChangeLocked(previous, timeout, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits until a card that answers its reset is in <paramref name="readerName"/> and returns its state.</summary>
    /// <exception cref="CardTransportException">
    /// ReaderUnavailable when the reader is not connected (or goes away), Timeout when no card came in time.
    /// </exception>
    public async Task<PcscReaderStatus> WaitForCardAsync(
        string readerName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(readerName);
        CheckTimeout(timeout);
        var deadline = _timeProvider.GetUtcNow() + timeout;
        var snapshot = await GetStatusAsync(cancellationToken).ConfigureAwait(false);

        // Bounded by the deadline: every pass either returns, throws, or waits for (part of) the remaining time.
        while (true)
        {
            var reader = snapshot.Find(readerName) ?? throw PcscErrors.Exception(
                "SCardGetStatusChange", PcscConstants.UnknownReader, PcscPhase.Context, readerName);
            if (reader.CardReady)
            {
                return reader;
            }

            var remaining = deadline - _timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw PcscErrors.Exception("SCardGetStatusChange", PcscConstants.TimeoutCode, PcscPhase.Context, readerName);
            }

            snapshot = await WaitForChangeAsync(snapshot, remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Connects to the card in <paramref name="readerName"/> in shared mode (see <see cref="PcscCardTransport.Connect"/>).</summary>
    public static PcscCardTransport Connect(string readerName, PcscProtocols protocols = PcscProtocols.Any)
        => PcscCardTransport.Connect(readerName, protocols);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Wake a blocked wait, then release once it has left the native call.
        _native.Cancel(_handle);
        var entered = _gate.Wait(TimeSpan.FromSeconds(5));
        try
        {
            _native.ReleaseContext(_handle);
            _handle = 0;
        }
        finally
        {
            if (entered)
            {
                _gate.Release();
            }
        }
    }

    private static void CheckTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero || timeout > LongestWait)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A wait must last between zero and one day.");
        }
    }

    private static Task<T> RunBlocking<T>(Func<T> call, CancellationToken cancellationToken)
        => Task.Factory.StartNew(call, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private IReadOnlyList<string> ListReadersLocked()
    {
        var rc = _native.ListReaders(_handle, out var readers);
        return rc switch
        {
            PcscConstants.Success => readers,
            PcscConstants.NoReadersAvailable => [],
            _ => throw PcscErrors.Exception("SCardListReaders", rc, PcscPhase.Context),
        };
    }

    private PcscReaderSnapshot SnapshotLocked()
    {
        // A reader unplugged between the listing and the query makes the query fail; list again (bounded).
        for (var attempt = 0; ; attempt++)
        {
            var readers = ListReadersLocked();
            var known = new PcscReaderStatus[readers.Count];
            for (var i = 0; i < readers.Count; i++)
            {
                known[i] = new PcscReaderStatus(readers[i], false, false, false, false, false, ReadOnlyMemory<byte>.Empty,
                    PcscConstants.StateUnaware);
            }

            var (rc, statuses, pnp) = Query(known, PcscConstants.StateUnaware, 0);
            if (rc is PcscConstants.Success or PcscConstants.TimeoutCode)
            {
                return new PcscReaderSnapshot(statuses, pnp);
            }

            if (rc is not (PcscConstants.UnknownReader or PcscConstants.ReaderUnavailableCode) || attempt >= 3)
            {
                throw PcscErrors.Exception("SCardGetStatusChange", rc, PcscPhase.Context);
            }
        }
    }

    private PcscReaderSnapshot WaitForChangeLocked(PcscReaderSnapshot previous, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + timeout;
        using var registration = cancellationToken.Register(static state =>
        {
            var self = (PcscContext)state!;
            if (Volatile.Read(ref self._disposed) == 0)
            {
                self._native.Cancel(self._handle);
            }
        }, this);

        // Bounded by the deadline: each pass waits at most one slice.
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var remaining = deadline - _timeProvider.GetUtcNow();
            var slice = remaining < Slice ? remaining : Slice;
            var milliseconds = slice <= TimeSpan.Zero ? 0u : (uint)Math.Ceiling(slice.TotalMilliseconds);

            var (rc, statuses, pnp) = Query(previous.Readers, previous.PnpState, milliseconds);
            switch (rc)
            {
                case PcscConstants.Success:
                    // A reader came or went: list again so the snapshot names every reader.
                    return ((pnp ^ previous.PnpState) & ~PcscConstants.StateChanged) != 0
                        ? SnapshotLocked()
                        : new PcscReaderSnapshot(statuses, pnp);
                case PcscConstants.TimeoutCode when slice >= remaining:
                    return previous;
                case PcscConstants.TimeoutCode:
                    continue;
                case PcscConstants.Cancelled:
                    cancellationToken.ThrowIfCancellationRequested();
                    ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                    continue;
                case PcscConstants.UnknownReader or PcscConstants.ReaderUnavailableCode:
                    return SnapshotLocked();
                default:
                    throw PcscErrors.Exception("SCardGetStatusChange", rc, PcscPhase.Context);
            }
        }
    }

    /// <summary>One SCardGetStatusChange over the given readers plus the plug-and-play pseudo-reader.</summary>
    private unsafe (uint Code, PcscReaderStatus[] Readers, uint PnpState) Query(
        IReadOnlyList<PcscReaderStatus> readers, uint pnpCurrent, uint timeoutMilliseconds)
    {
        var layout = _native.Layout;
        var count = readers.Count + 1;
        var names = new byte[count][];
        for (var i = 0; i < readers.Count; i++)
        {
            names[i] = PcscStrings.Encode(readers[i].ReaderName, layout.WideStrings);
        }

        names[readers.Count] = PcscStrings.Encode(PcscConstants.PnpNotification, layout.WideStrings);
        var handles = new GCHandle[count];
        var states = (byte*)NativeMemory.AllocZeroed((nuint)(count * layout.ReaderStateSize));
        try
        {
            for (var i = 0; i < count; i++)
            {
                handles[i] = GCHandle.Alloc(names[i], GCHandleType.Pinned);
                var entry = states + (i * layout.ReaderStateSize);
                *(nint*)entry = handles[i].AddrOfPinnedObject();
                var current = i < readers.Count ? readers[i].EventState : pnpCurrent;
                layout.WriteDword(entry, layout.CurrentStateOffset, current & ~PcscConstants.StateChanged);
            }

            var rc = _native.GetStatusChange(_handle, timeoutMilliseconds, states, count);
            var result = new PcscReaderStatus[readers.Count];
            for (var i = 0; i < readers.Count; i++)
            {
                var entry = states + (i * layout.ReaderStateSize);
                if (rc != PcscConstants.Success)
                {
                    result[i] = readers[i];
                    continue;
                }

                var eventState = layout.ReadDword(entry, layout.EventStateOffset);
                var atrLength = (int)Math.Min(layout.ReadDword(entry, layout.AtrLengthOffset), (uint)layout.AtrSize);
                var atr = new ReadOnlySpan<byte>(entry + layout.AtrOffset, atrLength).ToArray();
                result[i] = PcscReaderStatus.FromEventState(readers[i].ReaderName, eventState, atr);
            }

            var pnpEntry = states + (readers.Count * layout.ReaderStateSize);
            var pnp = rc == PcscConstants.Success ? layout.ReadDword(pnpEntry, layout.EventStateOffset) : pnpCurrent;
            return (rc, result, pnp);
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }

            NativeMemory.Free(states);
        }
    }
}
