using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

// The multi-string parser and the struct layouts are tested directly (AllowMultiple: other folders may say it too).
[assembly: InternalsVisibleTo("Onshi.Card.Tests")]

namespace Onshi.Card.Transport.Pcsc;

/// <summary>
/// The PC/SC entry points of the platform's library, resolved at run time, plus the platform's struct layouts.
/// </summary>
/// <remarks>
/// The three stacks disagree on integer widths: pcsc-lite (Linux, BSD) uses C <c>long</c>/<c>unsigned long</c> for
/// LONG/DWORD and the handles (64-bit on LP64), winscard.dll uses 32-bit LONG/DWORD and pointer-sized handles, and
/// macOS PCSC.framework uses 32-bit LONG/DWORD/handles and packs its structs. Every scalar is therefore passed as a
/// pointer-sized integer: on the little-endian 64-bit ABIs we run on, a 32-bit callee reads the low half of the
/// register (all calls here have at most 7 arguments, so none goes to the stack), and out-parameters are
/// zero-initialised 8-byte slots of which a 32-bit callee fills the low half. Return codes are truncated to 32 bits,
/// which is also where pcsc-lite's positive 64-bit codes live. Only the structs (SCARD_READERSTATE,
/// SCARD_IO_REQUEST) and string encodings need per-platform code, and they are written by hand below.
/// Function pointers instead of [LibraryImport] because the library name and the exported names (…W on Windows)
/// differ per platform and an assembly may have only one DllImport resolver.
/// </remarks>
internal sealed unsafe class PcscNative
{
    private static readonly Lazy<PcscNative> SharedInstance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly delegate* unmanaged<nuint, nint, nint, nint*, nint> _establishContext;
    private readonly delegate* unmanaged<nint, nint> _releaseContext;
    private readonly delegate* unmanaged<nint, byte*, byte*, nuint*, nint> _listReaders;
    private readonly delegate* unmanaged<nint, nuint, byte*, nuint, nint> _getStatusChange;
    private readonly delegate* unmanaged<nint, nint> _cancel;
    private readonly delegate* unmanaged<nint, byte*, nuint, nuint, nint*, nuint*, nint> _connect;
    private readonly delegate* unmanaged<nint, nuint, nint> _disconnect;
    private readonly delegate* unmanaged<nint, byte*, byte*, nuint, byte*, byte*, nuint*, nint> _transmit;
    private readonly delegate* unmanaged<nint, byte*, nuint*, nuint*, nuint*, byte*, nuint*, nint> _status;

    private PcscNative(nint library, PcscLayout layout)
    {
        Layout = layout;
        var suffix = layout.WideStrings ? "W" : "";
        _establishContext = (delegate* unmanaged<nuint, nint, nint, nint*, nint>)Export(library, "SCardEstablishContext");
        _releaseContext = (delegate* unmanaged<nint, nint>)Export(library, "SCardReleaseContext");
        _listReaders = (delegate* unmanaged<nint, byte*, byte*, nuint*, nint>)Export(library, "SCardListReaders" + suffix);
        _getStatusChange = (delegate* unmanaged<nint, nuint, byte*, nuint, nint>)Export(library, "SCardGetStatusChange" + suffix);
        _cancel = (delegate* unmanaged<nint, nint>)Export(library, "SCardCancel");
        _connect = (delegate* unmanaged<nint, byte*, nuint, nuint, nint*, nuint*, nint>)Export(library, "SCardConnect" + suffix);
        _disconnect = (delegate* unmanaged<nint, nuint, nint>)Export(library, "SCardDisconnect");
        _transmit = (delegate* unmanaged<nint, byte*, byte*, nuint, byte*, byte*, nuint*, nint>)Export(library, "SCardTransmit");
        _status = (delegate* unmanaged<nint, byte*, nuint*, nuint*, nuint*, byte*, nuint*, nint>)Export(library, "SCardStatus" + suffix);
    }

    public PcscLayout Layout { get; }

    /// <summary>The loaded library; throws <see cref="CardTransportException"/> (ReaderUnavailable) when absent.</summary>
    public static PcscNative Shared => SharedInstance.Value;

    public uint EstablishContext(out nint context)
    {
        nint handle = 0;
        var rc = _establishContext(PcscConstants.ScopeSystem, 0, 0, &handle);
        context = handle;
        return Code(rc);
    }

    public uint ReleaseContext(nint context) => Code(_releaseContext(context));

    public uint Cancel(nint context) => Code(_cancel(context));

    /// <summary>Asks for the size, then the multi-string; retries when a reader appeared in between.</summary>
    public uint ListReaders(nint context, out IReadOnlyList<string> readers)
    {
        readers = [];
        for (var attempt = 0; attempt < 4; attempt++)
        {
            nuint units = 0;
            var rc = Code(_listReaders(context, null, null, &units));
            if (rc != PcscConstants.Success)
            {
                return rc;
            }

            // pcsc-lite caps the list at a few KiB; anything beyond 64 KiB is a broken stack, not a reader list.
            if (units == 0 || units > 65536)
            {
                return units == 0 ? PcscConstants.Success : PcscConstants.InsufficientBuffer;
            }

            var buffer = new byte[(int)units * Layout.CharSize];
            fixed (byte* p = buffer)
            {
                rc = Code(_listReaders(context, null, p, &units));
            }

            if (rc == PcscConstants.InsufficientBuffer)
            {
                continue;
            }

            if (rc == PcscConstants.Success)
            {
                readers = PcscStrings.ParseMultiString(buffer.AsSpan(0, Math.Min(buffer.Length, (int)units * Layout.CharSize)), Layout.WideStrings);
            }

            return rc;
        }

        return PcscConstants.InsufficientBuffer;
    }

    /// <summary><paramref name="states"/> is an array of <see cref="PcscLayout.ReaderStateSize"/>-byte structs.</summary>
    public uint GetStatusChange(nint context, uint timeoutMilliseconds, byte* states, int count)
        => Code(_getStatusChange(context, timeoutMilliseconds, states, (nuint)count));

    public uint Connect(nint context, string reader, uint shareMode, uint protocols, out nint card, out uint activeProtocol)
    {
        var name = PcscStrings.Encode(reader, Layout.WideStrings);
        nint handle = 0;
        nuint active = 0;
        uint rc;
        fixed (byte* p = name)
        {
            rc = Code(_connect(context, p, shareMode, protocols, &handle, &active));
        }

        card = handle;
        activeProtocol = unchecked((uint)active);
        return rc;
    }

    public uint Disconnect(nint card, uint disposition) => Code(_disconnect(card, disposition));

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        // SCARD_IO_REQUEST is { DWORD dwProtocol; DWORD cbPciLength; } on every platform, with the platform's DWORD.
        var pci = stackalloc byte[16];
        new Span<byte>(pci, 16).Clear();
        Layout.WriteDword(pci, 0, protocol);
        Layout.WriteDword(pci, Layout.DwordSize, (uint)(2 * Layout.DwordSize));
        nuint length = (nuint)response.Length;
        uint rc;
        fixed (byte* send = command)
        fixed (byte* receive = response)
        {
            rc = Code(_transmit(card, pci, send, (nuint)command.Length, null, receive, &length));
        }

        received = rc == PcscConstants.Success ? (int)Math.Min(length, (nuint)response.Length) : 0;
        return rc;
    }

    public uint Status(nint card, out uint state, out uint protocol, out byte[] atr)
    {
        const int NameUnits = 512;
        var name = stackalloc byte[NameUnits * 2];
        var atrBuffer = stackalloc byte[PcscLayout.AtrBufferSize];
        nuint nameLength = NameUnits;
        nuint atrLength = PcscLayout.AtrBufferSize;
        nuint rawState = 0;
        nuint rawProtocol = 0;
        var rc = Code(_status(card, name, &nameLength, &rawState, &rawProtocol, atrBuffer, &atrLength));
        state = unchecked((uint)rawState);
        protocol = unchecked((uint)rawProtocol);
        atr = rc == PcscConstants.Success
            ? new ReadOnlySpan<byte>(atrBuffer, (int)Math.Min(atrLength, (nuint)PcscLayout.AtrBufferSize)).ToArray()
            : [];
        return rc;
    }

    private static uint Code(nint returned) => unchecked((uint)(ulong)returned);

    private static nint Export(nint library, string name)
    {
        if (!NativeLibrary.TryGetExport(library, name, out var address))
        {
            throw new CardTransportException(CardTransportError.ReaderUnavailable,
                $"The PC/SC library has no entry point {name}; it is not a usable PC/SC implementation.");
        }

        return address;
    }

    private static PcscNative Load()
    {
        string[] candidates;
        PcscLayout layout;
        if (OperatingSystem.IsWindows())
        {
            candidates = ["winscard.dll"];
            layout = PcscLayout.Windows;
        }
        else if (OperatingSystem.IsMacOS())
        {
            candidates = ["/System/Library/Frameworks/PCSC.framework/PCSC"];
            layout = PcscLayout.MacOs;
        }
        else
        {
            candidates = ["libpcsclite.so.1", "libpcsclite.so"];
            layout = PcscLayout.PcscLite;
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new CardTransportException(CardTransportError.ReaderUnavailable,
                "PC/SC is supported here only on little-endian processors.");
        }

        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return new PcscNative(handle, layout);
            }
        }

        throw new CardTransportException(CardTransportError.ReaderUnavailable,
            $"The PC/SC library ({string.Join(" or ", candidates)}) could not be loaded; on Debian install libpcsclite1 and pcscd.");
    }
}

/// <summary>Struct shapes and string encoding of one platform's PC/SC API.</summary>
internal sealed class PcscLayout
{
    /// <summary>Big enough for every platform's rgbAtr (33 on pcsc-lite and macOS, 36 on Windows).</summary>
    public const int AtrBufferSize = 36;

    private PcscLayout(int dwordSize, int atrSize, bool packed, bool wideStrings)
    {
        DwordSize = dwordSize;
        AtrSize = atrSize;
        WideStrings = wideStrings;
        var pointer = IntPtr.Size;
        CurrentStateOffset = 2 * pointer;
        EventStateOffset = CurrentStateOffset + dwordSize;
        AtrLengthOffset = EventStateOffset + dwordSize;
        AtrOffset = AtrLengthOffset + dwordSize;
        var alignment = packed ? 1 : Math.Max(pointer, dwordSize);
        ReaderStateSize = (AtrOffset + atrSize + alignment - 1) / alignment * alignment;
    }

    /// <summary>pcsc-lite: DWORD is C unsigned long (pointer-sized on Linux), natural alignment, UTF-8.</summary>
    public static PcscLayout PcscLite { get; } = new(IntPtr.Size, 33, packed: false, wideStrings: false);

    /// <summary>winscard.dll: 32-bit DWORD, 36-byte ATR, natural alignment, UTF-16 (…W entry points).</summary>
    public static PcscLayout Windows { get; } = new(4, 36, packed: false, wideStrings: true);

    /// <summary>PCSC.framework: 32-bit DWORD, 33-byte ATR, structs packed to 1 byte, UTF-8.</summary>
    public static PcscLayout MacOs { get; } = new(4, 33, packed: true, wideStrings: false);

    public int DwordSize { get; }

    public int AtrSize { get; }

    public bool WideStrings { get; }

    public int CharSize => WideStrings ? 2 : 1;

    public int CurrentStateOffset { get; }

    public int EventStateOffset { get; }

    public int AtrLengthOffset { get; }

    public int AtrOffset { get; }

    public int ReaderStateSize { get; }

    public unsafe void WriteDword(byte* structure, int offset, uint value)
    {
        if (DwordSize == 8)
        {
            *(ulong*)(structure + offset) = value;
        }
        else
        {
            *(uint*)(structure + offset) = value;
        }
    }

    public unsafe uint ReadDword(byte* structure, int offset)
        => DwordSize == 8 ? unchecked((uint)*(ulong*)(structure + offset)) : *(uint*)(structure + offset);
}

/// <summary>Null-terminated strings and multi-strings in the platform's PC/SC encoding.</summary>
internal static class PcscStrings
{
    public static byte[] Encode(string value, bool wide)
    {
        var encoding = wide ? Encoding.Unicode : Encoding.UTF8;
        var terminator = wide ? 2 : 1;
        var bytes = new byte[encoding.GetByteCount(value) + terminator];
        encoding.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>Splits "a\0b\0\0" into its strings; an empty string ends the list, so does the end of the buffer.</summary>
    public static IReadOnlyList<string> ParseMultiString(ReadOnlySpan<byte> buffer, bool wide)
    {
        var encoding = wide ? Encoding.Unicode : Encoding.UTF8;
        var unit = wide ? 2 : 1;
        var result = new List<string>();
        var start = 0;
        for (var i = 0; i + unit <= buffer.Length; i += unit)
        {
            var isTerminator = buffer[i] == 0 && (!wide || buffer[i + 1] == 0);
            if (!isTerminator)
            {
                continue;
            }

            if (i == start)
            {
                return result;
            }

            result.Add(encoding.GetString(buffer[start..i]));
            start = i + unit;
        }

        // A truncated buffer whose last name lacks its terminator still yields that name.
        var tail = buffer.Length - (buffer.Length % unit);
        if (start < tail)
        {
            result.Add(encoding.GetString(buffer[start..tail]));
        }

        return result;
    }
}
