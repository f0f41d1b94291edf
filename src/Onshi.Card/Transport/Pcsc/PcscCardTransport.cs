namespace Onshi.Card.Transport.Pcsc;

/// <summary>
/// A card connected through PC/SC in shared mode. Carries raw APDUs (no 61xx/6Cxx handling: see
/// <see cref="ICardTransport"/>), one exchange at a time.
/// </summary>
public sealed class PcscCardTransport : ICardTransport
{
    /// <summary>Longest command: extended case 4 is 4 header + 3 Lc + 65535 data + 2 Le bytes.</summary>
    public const int MaxCommandLength = 4 + 3 + 65535 + 2;

    /// <summary>Longest response: 65536 data bytes (extended Le = 0000) plus SW1 SW2.</summary>
    public const int MaxResponseLength = 65536 + 2;

    /// <summary>How long a link error may take to turn into "no card" (pcscd polls vpcd every 400 ms or so).</summary>
    private static readonly TimeSpan RemovalCheck = TimeSpan.FromSeconds(2);

    private readonly PcscNative _native;
    private readonly SemaphoreSlim _exchange = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[MaxResponseLength];
    private readonly uint _protocol;
    private nint _context;
    private nint _card;
    private int _disposed;

    private PcscCardTransport(PcscNative native, nint context, nint card, string readerName, uint protocol, byte[] atr)
    {
        _native = native;
        _context = context;
        _card = card;
        _protocol = protocol;
        ReaderName = readerName;
        Atr = atr;
    }

    public string ReaderName { get; }

    /// <summary>The protocol PC/SC negotiated with the card.</summary>
    public PcscProtocols ActiveProtocol => (PcscProtocols)(_protocol & 3);

    /// <summary>The card's answer-to-reset as read right after connecting.</summary>
    public ReadOnlyMemory<byte> Atr { get; }

    /// <summary>Connects (shared mode) to the card in <paramref name="readerName"/> with a context of its own.</summary>
    /// <exception cref="CardTransportException">ReaderUnavailable, NoCard, or Failed (mute card, held exclusively…).</exception>
    public static PcscCardTransport Connect(string readerName, PcscProtocols protocols = PcscProtocols.Any)
    {
        ArgumentException.ThrowIfNullOrEmpty(readerName);
        if (protocols == PcscProtocols.None || (protocols & ~PcscProtocols.Any) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(protocols), protocols, "Choose T=0, T=1 or both.");
        }

        var native = PcscNative.Shared;
        var rc = native.EstablishContext(out var context);
        if (rc != PcscConstants.Success)
        {
            throw PcscErrors.Exception("SCardEstablishContext", rc, PcscPhase.Context);
        }

        nint card = 0;
        try
        {
            rc = native.Connect(context, readerName, PcscConstants.ShareShared, (uint)protocols, out card, out var active);
            if (rc != PcscConstants.Success)
            {
                throw PcscErrors.Exception("SCardConnect", rc, PcscPhase.Connect, readerName);
            }

            rc = native.Status(card, out _, out var statusProtocol, out var atr);
            if (rc != PcscConstants.Success)
            {
                throw PcscErrors.Exception("SCardStatus", rc, PcscPhase.Connect, readerName);
            }

            var transport = new PcscCardTransport(native, context, card, readerName, active != 0 ? active : statusProtocol, atr);
            card = 0;
            context = 0;
            return transport;
        }
        finally
        {
            if (card != 0)
            {
                native.Disconnect(card, PcscConstants.LeaveCard);
            }

            if (context != 0)
            {
                native.ReleaseContext(context);
            }
        }
    }

    public async ValueTask<byte[]> TransmitAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken = default)
    {
        if (commandApdu.Length < 4 || commandApdu.Length > MaxCommandLength)
        {
            throw new ArgumentException(
                $"A command APDU has 4 to {MaxCommandLength} bytes; this one has {commandApdu.Length}.", nameof(commandApdu));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _exchange.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            cancellationToken.ThrowIfCancellationRequested();

            // SCardTransmit cannot be interrupted once sent (the card is mid-command); it runs to completion.
            return await Task.Factory.StartNew(
                () => TransmitLocked(commandApdu),
                CancellationToken.None,
                TaskCreationOptions.DenyChildAttach,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _exchange.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Let an exchange in flight finish (a transmit always returns) before the handle goes away.
        var entered = _exchange.Wait(TimeSpan.FromSeconds(30));
        try
        {
            if (_card != 0)
            {
                _native.Disconnect(_card, PcscConstants.LeaveCard);
                _card = 0;
            }

            if (_context != 0)
            {
                _native.ReleaseContext(_context);
                _context = 0;
            }
        }
        finally
        {
            if (entered)
            {
                _exchange.Release();
            }
        }
    }

    /// <summary>
    /// A card pulled out mid-command shows up first as a link error (SCARD_E_NOT_TRANSACTED from vpcd, a comm error
    /// from CCID readers); pcsc-lite reports SCARD_W_REMOVED_CARD only after its next presence poll. So after such an
    /// error we ask the reader whether the card is still there before calling it a removal.
    /// </summary>
    private CardTransportException ExchangeFailure(uint code)
    {
        var linkError = code is PcscConstants.NotTransacted or PcscConstants.CommunicationError
            or PcscConstants.CommunicationDataLost or PcscConstants.UnpoweredCard or PcscConstants.UnresponsiveCard;
        if (linkError && CardLeftReader())
        {
            return new CardTransportException(CardTransportError.CardRemoved,
                $"SCardTransmit failed on reader \"{ReaderName}\": the card was removed during the exchange; "
                + $"{PcscConstants.Describe(code)}, then the reader reported no card.");
        }

        return PcscErrors.Exception("SCardTransmit", code, PcscPhase.Exchange, ReaderName);
    }

    /// <summary>Watches this reader for up to <see cref="RemovalCheck"/>: true once it reports no card.</summary>
    private unsafe bool CardLeftReader()
    {
        var layout = _native.Layout;
        var name = PcscStrings.Encode(ReaderName, layout.WideStrings);
        var state = stackalloc byte[layout.ReaderStateSize];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var current = PcscConstants.StateUnaware;
        fixed (byte* namePointer = name)
        {
            // Bounded: at most 8 state changes are looked at, and only within the time limit.
            for (var pass = 0; pass < 8; pass++)
            {
                var left = RemovalCheck - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                var timeout = current == PcscConstants.StateUnaware ? 0u : (uint)Math.Max(0, left.TotalMilliseconds);
                new Span<byte>(state, layout.ReaderStateSize).Clear();
                *(nint*)state = (nint)namePointer;
                layout.WriteDword(state, layout.CurrentStateOffset, current);
                var rc = _native.GetStatusChange(_context, timeout, state, 1);
                if (rc == PcscConstants.Success)
                {
                    var eventState = layout.ReadDword(state, layout.EventStateOffset);
                    if ((eventState & PcscConstants.StatePresent) == 0)
                    {
                        return (eventState & PcscConstants.StateEmpty) != 0;
                    }

                    current = eventState & ~PcscConstants.StateChanged;
                }
                else if (rc != PcscConstants.TimeoutCode || left <= TimeSpan.Zero)
                {
                    return false;
                }
            }
        }

        return false;
    }

    private byte[] TransmitLocked(ReadOnlyMemory<byte> commandApdu)
    {
        var rc = _native.Transmit(_card, _protocol, commandApdu.Span, _receiveBuffer, out var received);
        if (rc != PcscConstants.Success)
        {
            throw ExchangeFailure(rc);
        }

        if (received < 2)
        {
            throw new CardTransportException(CardTransportError.Failed,
                $"SCardTransmit on reader \"{ReaderName}\" returned {received} bytes; a response has at least SW1 SW2.");
        }

        return _receiveBuffer.AsSpan(0, received).ToArray();
    }
}
