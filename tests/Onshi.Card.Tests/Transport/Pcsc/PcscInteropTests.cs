using System.Text;
using Onshi.Card.Transport;
using Onshi.Card.Transport.Pcsc;

namespace Onshi.Card.Tests.Transport.Pcsc;

/// <summary>The parts of the P/Invoke layer that do not need a PC/SC service: strings, struct shapes, error mapping.</summary>
public sealed class PcscInteropTests
{
    [Fact]
    public void SplitsAUtf8MultiStringAtItsTerminators()
    {
        var buffer = Encoding.UTF8.GetBytes("Virtual PCD 00 00\0Virtual PCD 00 01\0\0");

        Assert.Equal(["Virtual PCD 00 00", "Virtual PCD 00 01"], PcscStrings.ParseMultiString(buffer, wide: false));
    }

    [Fact]
    public void SplitsAUtf16MultiStringAsWinscardReturnsIt()
    {
        var buffer = Encoding.Unicode.GetBytes("SONY FeliCa Port/PaSoRi 3.0 0\0ACS ACR39U ICC Reader 0\0\0");

        Assert.Equal(["SONY FeliCa Port/PaSoRi 3.0 0", "ACS ACR39U ICC Reader 0"], PcscStrings.ParseMultiString(buffer, wide: true));
    }

    [Fact]
    public void KeepsNonAsciiReaderNamesAndTheLastNameOfATruncatedList()
    {
        var buffer = Encoding.UTF8.GetBytes("カードリーダー 00\0Reader B");

        Assert.Equal(["カードリーダー 00", "Reader B"], PcscStrings.ParseMultiString(buffer, wide: false));
    }

    [Fact]
    public void AnEmptyMultiStringHasNoReaders()
    {
        Assert.Empty(PcscStrings.ParseMultiString([0, 0], wide: false));
        Assert.Empty(PcscStrings.ParseMultiString([], wide: true));
    }

    [Fact]
    public void EncodesReaderNamesNullTerminated()
    {
        Assert.Equal([(byte)'A', 0], PcscStrings.Encode("A", wide: false));
        Assert.Equal([(byte)'A', 0, 0, 0], PcscStrings.Encode("A", wide: true));
    }

    [Fact]
    public void LaysOutReaderStatesAsEachPlatformsHeaderDoes()
    {
        Assert.SkipUnless(IntPtr.Size == 8, "offsets below are for 64-bit processes");

        // pcsc-lite x86-64: checked with offsetof() against /usr/include/PCSC/pcsclite.h on this machine.
        Assert.Equal((16, 24, 32, 40, 80), Shape(PcscLayout.PcscLite));
        // winscard x64: DWORD is 32-bit, rgbAtr[36], natural alignment.
        Assert.Equal((16, 20, 24, 28, 64), Shape(PcscLayout.Windows));
        // macOS: DWORD is 32-bit, rgbAtr[33], #pragma pack(1).
        Assert.Equal((16, 20, 24, 28, 61), Shape(PcscLayout.MacOs));

        static (int, int, int, int, int) Shape(PcscLayout l)
            => (l.CurrentStateOffset, l.EventStateOffset, l.AtrLengthOffset, l.AtrOffset, l.ReaderStateSize);
    }

    [Theory]
    [InlineData(0x80100069u, "exchange", CardTransportError.CardRemoved)]
    [InlineData(0x8010000Cu, "exchange", CardTransportError.CardRemoved)]
    [InlineData(0x8010000Cu, "connect", CardTransportError.NoCard)]
    [InlineData(0x80100069u, "connect", CardTransportError.NoCard)]
    [InlineData(0x80100009u, "connect", CardTransportError.ReaderUnavailable)]
    [InlineData(0x8010002Eu, "context", CardTransportError.ReaderUnavailable)]
    [InlineData(0x8010001Du, "context", CardTransportError.ReaderUnavailable)]
    [InlineData(0x8010000Au, "context", CardTransportError.Timeout)]
    [InlineData(0x8010000Bu, "connect", CardTransportError.Failed)]
    public void MapsPcscCodesToTransportErrors(uint code, string phase, CardTransportError expected)
    {
        var error = PcscErrors.Exception("SCardTest", code, Enum.Parse<PcscPhase>(phase, ignoreCase: true), "Reader 0");

        Assert.Equal(expected, error.Error);
        Assert.Contains($"0x{code:X8}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reader 0", error.Message, StringComparison.Ordinal);
    }
}
