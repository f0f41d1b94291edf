using System.Globalization;

namespace Onshi.Card.Transport.Pcsc;

/// <summary>PC/SC numbers shared by pcsc-lite, winscard and PCSC.framework (same values on all three).</summary>
internal static class PcscConstants
{
    public const uint ScopeSystem = 2;
    public const uint ShareShared = 2;
    public const uint LeaveCard = 0;
    public const uint Infinite = 0xFFFFFFFF;

    public const uint StateUnaware = 0x0000;
    public const uint StateIgnore = 0x0001;
    public const uint StateChanged = 0x0002;
    public const uint StateUnknown = 0x0004;
    public const uint StateUnavailable = 0x0008;
    public const uint StateEmpty = 0x0010;
    public const uint StatePresent = 0x0020;
    public const uint StateExclusive = 0x0080;
    public const uint StateInUse = 0x0100;
    public const uint StateMute = 0x0200;
    public const uint StateUnpowered = 0x0400;

    /// <summary>The pseudo-reader whose state changes when a reader is plugged in or out.</summary>
    public const string PnpNotification = @"\\?PnP?\Notification";

    public const uint Success = 0x00000000;
    public const uint Cancelled = 0x80100002;
    public const uint InvalidHandle = 0x80100003;
    public const uint InvalidParameter = 0x80100004;
    public const uint InsufficientBuffer = 0x80100008;
    public const uint UnknownReader = 0x80100009;
    public const uint TimeoutCode = 0x8010000A;
    public const uint SharingViolation = 0x8010000B;
    public const uint NoSmartcard = 0x8010000C;
    public const uint ProtocolMismatch = 0x8010000F;
    public const uint NotReady = 0x80100010;
    public const uint InvalidValue = 0x80100011;
    public const uint CommunicationError = 0x80100013;
    public const uint NotTransacted = 0x80100016;
    public const uint ReaderUnavailableCode = 0x80100017;
    public const uint NoService = 0x8010001D;
    public const uint ServiceStopped = 0x8010001E;
    public const uint NoReadersAvailable = 0x8010002E;
    public const uint CommunicationDataLost = 0x8010002F;
    public const uint UnsupportedCard = 0x80100065;
    public const uint UnresponsiveCard = 0x80100066;
    public const uint UnpoweredCard = 0x80100067;
    public const uint ResetCard = 0x80100068;
    public const uint RemovedCard = 0x80100069;

    public static string Name(uint code) => code switch
    {
        Success => "SCARD_S_SUCCESS",
        Cancelled => "SCARD_E_CANCELLED",
        InvalidHandle => "SCARD_E_INVALID_HANDLE",
        InvalidParameter => "SCARD_E_INVALID_PARAMETER",
        InsufficientBuffer => "SCARD_E_INSUFFICIENT_BUFFER",
        UnknownReader => "SCARD_E_UNKNOWN_READER",
        TimeoutCode => "SCARD_E_TIMEOUT",
        SharingViolation => "SCARD_E_SHARING_VIOLATION",
        NoSmartcard => "SCARD_E_NO_SMARTCARD",
        ProtocolMismatch => "SCARD_E_PROTO_MISMATCH",
        NotReady => "SCARD_E_NOT_READY",
        InvalidValue => "SCARD_E_INVALID_VALUE",
        CommunicationError => "SCARD_F_COMM_ERROR",
        NotTransacted => "SCARD_E_NOT_TRANSACTED",
        ReaderUnavailableCode => "SCARD_E_READER_UNAVAILABLE",
        NoService => "SCARD_E_NO_SERVICE",
        ServiceStopped => "SCARD_E_SERVICE_STOPPED",
        NoReadersAvailable => "SCARD_E_NO_READERS_AVAILABLE",
        CommunicationDataLost => "SCARD_E_COMM_DATA_LOST",
        UnsupportedCard => "SCARD_W_UNSUPPORTED_CARD",
        UnresponsiveCard => "SCARD_W_UNRESPONSIVE_CARD",
        UnpoweredCard => "SCARD_W_UNPOWERED_CARD",
        ResetCard => "SCARD_W_RESET_CARD",
        RemovedCard => "SCARD_W_REMOVED_CARD",
        _ => "PC/SC error",
    };

    /// <summary>"SCARD_W_REMOVED_CARD (0x80100069)": the name for people, the hex code for searching.</summary>
    public static string Describe(uint code)
        => string.Create(CultureInfo.InvariantCulture, $"{Name(code)} (0x{code:X8})");
}

/// <summary>What a PC/SC call was doing when it failed; the same code means different things in each phase.</summary>
internal enum PcscPhase
{
    /// <summary>Opening a context, listing readers, watching reader states.</summary>
    Context,

    /// <summary>SCardConnect: no card yet means <see cref="CardTransportError.NoCard"/>.</summary>
    Connect,

    /// <summary>SCardTransmit/SCardStatus on a connected card: a missing card means it was taken away.</summary>
    Exchange,
}

internal static class PcscErrors
{
    public static CardTransportError Classify(uint code, PcscPhase phase) => code switch
    {
        PcscConstants.NoService or PcscConstants.ServiceStopped or PcscConstants.UnknownReader
            or PcscConstants.ReaderUnavailableCode or PcscConstants.NoReadersAvailable => CardTransportError.ReaderUnavailable,
        PcscConstants.NoSmartcard or PcscConstants.RemovedCard => phase == PcscPhase.Exchange
            ? CardTransportError.CardRemoved
            : CardTransportError.NoCard,
        PcscConstants.TimeoutCode => CardTransportError.Timeout,
        _ => CardTransportError.Failed,
    };

    public static CardTransportException Exception(string function, uint code, PcscPhase phase, string? reader = null)
    {
        var kind = Classify(code, phase);
        var where = reader is null ? "" : $" on reader \"{reader}\"";
        var meaning = kind switch
        {
            CardTransportError.ReaderUnavailable => "the reader or the PC/SC service is not available",
            CardTransportError.NoCard => "there is no card in the reader",
            CardTransportError.CardRemoved => "the card was removed during the exchange",
            CardTransportError.Timeout => "the wait timed out",
            _ => code == PcscConstants.ResetCard
                ? "another application reset the card"
                : code == PcscConstants.SharingViolation
                    ? "another application holds the card exclusively"
                    : "the reader stack reported an error",
        };
        return new CardTransportException(kind, $"{function} failed{where}: {meaning}; {PcscConstants.Describe(code)}.");
    }
}
