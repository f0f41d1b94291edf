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

    private byte[] TransmitLocked(ReadOnlyMemory<byte> commandApdu)
    {
        var rc = _native.Transmit(_card, _protocol, commandApdu.Span, _receiveBuffer, out var received);
        if (rc != PcscConstants.Success)
        {
            throw PcscErrors.Exception("SCardTransmit", rc, PcscPhase.Exchange, ReaderName);
        }

        if (received < 2)
        {
            throw new CardTransportException(CardTransportError.Failed,
                $"SCardTransmit on reader \"{ReaderName}\" returned {received} bytes; a response has at least SW1 SW2.");
        }

        return _receiveBuffer.AsSpan(0, received).ToArray();
    }
}
